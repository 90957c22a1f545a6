// Who the session belongs to, and the session's lifecycle around sign-in:
// a new session id at sign-in (no fixation), the old one destroyed in Redis at
// sign-out, and both timeouts checked on every request: idle (time since the last
// request) and absolute (time since sign-in), whichever comes first.
import { promisify } from 'node:util';
import { csrfToken } from './csrf.js';
import { sessionCookieOptions } from './store.js';

const regenerate = (req) => promisify(req.session.regenerate.bind(req.session))();
const save = (req) => promisify(req.session.save.bind(req.session))();
const destroy = (req) => promisify(req.session.destroy.bind(req.session))();

/**
 * Sets req.user when the session belongs to a user whose session has not timed out.
 * @param {object} deps
 * @param {import('../config.js').Config} deps.config
 * @param {import('../db/users.js').UserRepository} deps.users
 */
export function loadSessionUser({ config, users }) {
  const idleMs = config.SESSION_IDLE_TIMEOUT_SECONDS * 1000;
  const absoluteMs = config.SESSION_ABSOLUTE_TIMEOUT_SECONDS * 1000;
  return async function sessionUser(req, res, next) {
    const { userId, signedInAt, lastSeenAt } = req.session;
    if (typeof userId !== 'string') {
      next();
      return;
    }
    const now = Date.now();
    const expired = now - signedInAt >= absoluteMs ? 'absolute' : now - lastSeenAt >= idleMs ? 'idle' : null;
    const user = expired ? null : await users.findById(userId);
    if (user === null) {
      req.log.info({ event: 'session_ended', reason: expired ? `${expired} timeout` : 'user gone', userId }, 'session ended');
      await regenerate(req); // drops the old session from Redis; the request continues signed out
      next();
      return;
    }
    req.session.lastSeenAt = now;
    req.user = user;
    next();
  };
}

/**
 * Sign a verified user in: a fresh session id, the times the timeouts count
 * from, and a fresh CSRF token (returned).
 * @param {import('express').Request} req
 * @param {import('../db/users.js').User} user
 */
export async function startSession(req, user) {
  await regenerate(req);
  const now = Date.now();
  Object.assign(req.session, { userId: user.id, signedInAt: now, lastSeenAt: now });
  const token = csrfToken(req, true);
  await save(req);
  req.user = user;
  return token;
}

/**
 * Sign out: the session is deleted from Redis (its id is worthless from now on)
 * and the browser is told to drop the cookie.
 * @param {import('express').Request} req
 * @param {import('express').Response} res
 * @param {import('../config.js').Config} config
 */
export async function endSession(req, res, config) {
  await destroy(req);
  res.clearCookie(config.SESSION_COOKIE_NAME, sessionCookieOptions(config));
}
