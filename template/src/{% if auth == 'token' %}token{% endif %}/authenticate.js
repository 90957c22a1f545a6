// Bearer authentication for protected routes: `Authorization: Bearer <jwt>`.
// Missing → 401 unauthenticated; invalid, expired, wrongly signed or revoked →
// 401 invalid_token (with a WWW-Authenticate challenge, RFC 6750). On success
// req.user is the user as stored now (a deleted account stops working at once,
// a role change applies to the next request).
import { HttpError } from '../middleware/errors.js';
import { securityEvent } from '../security-events.js';
import { isInvalidToken } from './tokens.js';

// Three base64url segments (the signature may be empty only for alg "none",
// which verification then refuses); bounded so nobody makes us parse megabytes.
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;
const MAX_HEADER = 4096;

function reject(req, code, message, challenge, reason) {
  securityEvent(req, 'authz_failure', { reason });
  return new HttpError(401, code, message, { headers: { 'WWW-Authenticate': challenge } });
}

/**
 * @param {object} deps
 * @param {import('./tokens.js').TokenService} deps.tokens
 * @param {import('../db/users.js').UserRepository} deps.users
 */
export function bearerAuth({ tokens, users }) {
  return async function authenticate(req, res, next) {
    const header = req.get('authorization');
    if (header === undefined) {
      next(reject(req, 'unauthenticated', 'Authentication required', 'Bearer', 'no token'));
      return;
    }
    const match = header.length <= MAX_HEADER ? BEARER.exec(header) : null;
    const invalid = (reason) =>
      reject(req, 'invalid_token', 'The access token is invalid or expired', 'Bearer error="invalid_token"', reason);
    if (match === null) {
      next(invalid('malformed authorization header'));
      return;
    }
    let claims;
    try {
      claims = await tokens.verify(match[1]);
    } catch (err) {
      if (!isInvalidToken(err)) throw err; // Redis down etc. → 503, never "let it through"
      next(invalid(err.code ?? 'invalid token'));
      return;
    }
    const user = await users.findById(claims.sub);
    if (user === null) {
      next(invalid('user no longer exists'));
      return;
    }
    req.user = user;
    res.locals.token = claims;
    next();
  };
}
