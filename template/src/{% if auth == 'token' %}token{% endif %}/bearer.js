// Shared, framework-free: authenticateBearer({ tokens, users }, authorizationHeader)
//   → { user, claims } | { error: HttpError (401), reason } (the reason is for the authz_failure security event).
// `Authorization: Bearer <jwt>`. Missing → 401 unauthenticated; invalid, expired,
// wrongly signed or revoked → 401 invalid_token (with a WWW-Authenticate
// challenge, RFC 6750). On success the user is the user as stored now (a deleted
// account stops working at once, a role change applies to the next request).
// Any other failure (Redis down etc.) rejects: never "let it through".
import { HttpError } from '../errors.js';
import { isInvalidToken } from './tokens.js';

// Three base64url segments (the signature may be empty only for alg "none",
// which verification then refuses); bounded so nobody makes us parse megabytes.
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;
const MAX_HEADER = 4096;

const failure = (code, message, challenge, reason) => ({
  error: new HttpError(401, code, message, { headers: { 'WWW-Authenticate': challenge } }),
  reason,
});
const invalid = (reason) =>
  failure('invalid_token', 'The access token is invalid or expired', 'Bearer error="invalid_token"', reason);

/**
 * @param {object} deps
 * @param {import('./tokens.js').TokenService} deps.tokens
 * @param {import('../db/users.js').UserRepository} deps.users
 * @param {string | undefined} header the Authorization header
 */
export async function authenticateBearer({ tokens, users }, header) {
  if (header === undefined) return failure('unauthenticated', 'Authentication required', 'Bearer', 'no token');
  const match = header.length <= MAX_HEADER ? BEARER.exec(header) : null;
  if (match === null) return invalid('malformed authorization header');
  let claims;
  try {
    claims = await tokens.verify(match[1]);
  } catch (err) {
    if (!isInvalidToken(err)) throw err; // → 503 through the error handler
    return invalid(err.code ?? 'invalid token');
  }
  const user = await users.findById(claims.sub);
  if (user === null) return invalid('user no longer exists');
  return { user, claims };
}
