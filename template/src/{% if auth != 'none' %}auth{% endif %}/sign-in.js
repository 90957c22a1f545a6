// Shared, framework-free: createSignIn({ users, lockout }) → signIn(req, { username, password }),
// with INVALID_CREDENTIALS and LOCKED (the client-facing codes and messages).
// Checking a username and password, the same way for every sign-in route:
// lockout first, then argon2id (against a dummy hash when the user does not
// exist), then the outcome is counted and logged. An unknown user and a wrong
// password get the same status, body and (about the same) time.
import { HttpError } from '../errors.js';
import { securityEvent } from '../security-events.js';
import { hashPassword, needsRehash, verifyDummy, verifyPassword } from './passwords.js';

export const INVALID_CREDENTIALS = Object.freeze({ code: 'invalid_credentials', message: 'Invalid username or password' });
export const LOCKED = Object.freeze({
  code: 'login_locked',
  message: 'Too many failed sign-in attempts for this account; try again later',
});

/**
 * @param {object} deps
 * @param {import('../db/users.js').UserRepository} deps.users
 * @param {import('./lockout.js').Lockout} deps.lockout
 */
export function createSignIn({ users, lockout }) {
  /**
   * @param {import('../security-events.js').RequestContext} req for the log
   * @param {{ username: string, password: string }} credentials validated, username normalized
   * @returns {Promise<import('../db/users.js').User>} or throws 401 / 429
   */
  return async function signIn(req, { username, password }) {
    const waitSeconds = await lockout.remainingSeconds(username);
    if (waitSeconds > 0) {
      securityEvent(req, 'lockout', { username, retryAfterSeconds: waitSeconds });
      throw new HttpError(429, LOCKED.code, LOCKED.message, { headers: { 'Retry-After': String(waitSeconds) } });
    }

    const found = await users.findCredentials(username);
    const valid = found ? await verifyPassword(found.passwordHash, password) : await verifyDummy(password);

    if (!valid) {
      const { failures, lockedForSeconds } = await lockout.recordFailure(username);
      securityEvent(req, 'login_failure', { username, reason: found ? 'wrong_password' : 'unknown_user', failures });
      if (lockedForSeconds > 0) securityEvent(req, 'lockout', { username, failures, lockedForSeconds });
      throw new HttpError(401, INVALID_CREDENTIALS.code, INVALID_CREDENTIALS.message);
    }

    await lockout.reset(username);
    if (needsRehash(found.passwordHash)) {
      await users.replacePasswordHash(found.user.id, found.passwordHash, await hashPassword(password));
      req.log.info({ event: 'password_rehashed', userId: found.user.id }, 'password hash upgraded to current parameters');
    }
    securityEvent(req, 'login_success', { userId: found.user.id });
    return found.user;
  };
}
