// Shared, framework-free: createTokenService({ config, redis }) → { issue, verify, revoke },
// isInvalidToken(err), ALGORITHM, TOKEN_TYPE.
// Access tokens: JWTs (jose) signed with HS256 under a key derived from
// APP_SECRET for this purpose only. Verification pins the algorithm (so
// `alg: none` or another algorithm is refused before any signature maths), the
// token type, issuer and audience, and requires exp/iat/jti/sub. Tokens are
// short-lived; one can be revoked before it expires: its jti goes on a deny-list
// in Redis until the token's own expiry, shared by every instance.
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { deriveKey, KEY_PURPOSES } from '../auth/keys.js';

export const ALGORITHM = 'HS256';
// RFC 9068 access-token type: a JWT minted for another purpose never passes as one.
export const TOKEN_TYPE = 'at+jwt';

/** jose's verdict on a token (bad signature, expired, wrong audience, ...). */
export const isInvalidToken = (err) => err instanceof errors.JOSEError;

/**
 * @param {object} deps
 * @param {import('../config.js').Config} deps.config
 * @param {import('redis').RedisClientType} deps.redis
 */
export function createTokenService({ config, redis }) {
  const key = deriveKey(config.APP_SECRET, KEY_PURPOSES.accessToken);
  const revokedKey = (jti) => `${config.REDIS_KEY_PREFIX}revoked:${jti}`;

  return {
    /** @param {{ id: string }} user */
    async issue(user) {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE })
        .setSubject(user.id)
        .setIssuer(config.TOKEN_ISSUER)
        .setAudience(config.TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${config.TOKEN_TTL_SECONDS}s`)
        .setJti(randomUUID())
        .sign(key);
      return { accessToken: token, tokenType: 'Bearer', expiresIn: config.TOKEN_TTL_SECONDS };
    },

    /**
     * The token's claims, or a jose error (→ 401); a revoked token throws too.
     * @param {string} token
     */
    async verify(token) {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [ALGORITHM],
        typ: TOKEN_TYPE,
        issuer: config.TOKEN_ISSUER,
        audience: config.TOKEN_AUDIENCE,
        requiredClaims: ['exp', 'iat', 'jti', 'sub'],
        clockTolerance: 5,
      });
      // Redis unreachable → the error propagates (503): a token is never accepted unchecked.
      if ((await redis.exists(revokedKey(payload.jti))) === 1) {
        throw new errors.JWTInvalid('token has been revoked');
      }
      return payload;
    },

    /** Deny-list the token until it would have expired anyway. */
    async revoke({ jti, exp }) {
      const seconds = Math.max(exp - Math.floor(Date.now() / 1000), 1);
      await redis.set(revokedKey(jti), '1', { expiration: { type: 'EX', value: seconds } });
    },
  };
}

/** @typedef {ReturnType<typeof createTokenService>} TokenService */
