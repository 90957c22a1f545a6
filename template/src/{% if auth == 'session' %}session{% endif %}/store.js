// Cookie sessions (express-session) stored in Redis (connect-redis), never in
// process memory, so every instance sees the same sessions and a restart signs
// nobody out. The cookie: __Host- prefixed, Secure, HttpOnly, SameSite=Strict (or
// Lax by config), Path=/, no Domain, Max-Age = the idle timeout, renewed on every
// response (rolling). The absolute timeout is enforced in user.js.
import { RedisStore } from 'connect-redis';
import session from 'express-session';
import { deriveKey, KEY_PURPOSES } from '../auth/keys.js';

/**
 * The cookie attributes, also used to clear it at sign-out.
 * @param {import('../config.js').Config} config
 */
export function sessionCookieOptions(config) {
  return {
    path: '/',
    httpOnly: true,
    // Only ever sent over HTTPS. Behind a TLS-terminating proxy the app sees HTTPS
    // through X-Forwarded-Proto from a trusted hop (TRUST_PROXY_HOPS); without one
    // express-session issues no cookie at all.
    secure: true,
    sameSite: config.SESSION_SAME_SITE,
    // No `domain`: a __Host- cookie is bound to this exact host.
  };
}

/**
 * @param {object} deps
 * @param {import('../config.js').Config} deps.config
 * @param {import('redis').RedisClientType} deps.redis
 */
export function sessionMiddleware({ config, redis }) {
  return session({
    name: config.SESSION_COOKIE_NAME,
    secret: deriveKey(config.APP_SECRET, KEY_PURPOSES.sessionCookie).toString('base64url'),
    store: new RedisStore({ client: redis, prefix: `${config.REDIS_KEY_PREFIX}sess:` }),
    cookie: { ...sessionCookieOptions(config), maxAge: config.SESSION_IDLE_TIMEOUT_SECONDS * 1000 },
    rolling: true,
    resave: false,
    // No session (and no cookie, no Redis write) until something is stored in it.
    saveUninitialized: false,
    unset: 'destroy',
  });
}
