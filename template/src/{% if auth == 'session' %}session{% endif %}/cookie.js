// Shared, framework-free: the session's cookie, store and timeouts, the same for
// every web framework's session middleware (express-session, @fastify/session).
//   sessionCookieOptions(config) → { path, httpOnly, secure, sameSite }  also to clear it at sign-out
//   sessionCookieName(config), sessionSecret(config)                    cookie name; signing secret (HKDF of APP_SECRET)
//   sessionMaxAgeMs(config)                                             cookie Max-Age = the idle timeout
//   createSessionStore({ config, redis }) → connect-redis RedisStore     sessions live in Redis, never in memory
//   sessionExpiry({ signedInAt, lastSeenAt }, config, now) → 'idle' | 'absolute' | null
// Sessions in Redis mean every instance sees the same sessions and a restart
// signs nobody out. The cookie: __Host- prefixed, Secure, HttpOnly,
// SameSite=Strict (or Lax by config), Path=/, no Domain, renewed on every response.
import { RedisStore } from 'connect-redis';
import { deriveKey, KEY_PURPOSES } from '../auth/keys.js';

/** @param {import('../config.js').Config} config */
export function sessionCookieOptions(config) {
  return {
    path: '/',
    httpOnly: true,
    // Only ever sent over HTTPS. Behind a TLS-terminating proxy the app sees HTTPS
    // through X-Forwarded-Proto from a trusted hop (TRUST_PROXY_HOPS); without one
    // the session middleware issues no cookie at all.
    secure: true,
    sameSite: config.SESSION_SAME_SITE,
    // No `domain`: a __Host- cookie is bound to this exact host.
  };
}

/** @param {import('../config.js').Config} config */
export const sessionCookieName = (config) => config.SESSION_COOKIE_NAME;

/** @param {import('../config.js').Config} config */
export const sessionSecret = (config) => deriveKey(config.APP_SECRET, KEY_PURPOSES.sessionCookie).toString('base64url');

/** @param {import('../config.js').Config} config */
export const sessionMaxAgeMs = (config) => config.SESSION_IDLE_TIMEOUT_SECONDS * 1000;

/**
 * @param {object} deps
 * @param {import('../config.js').Config} deps.config
 * @param {import('redis').RedisClientType} deps.redis
 */
export function createSessionStore({ config, redis }) {
  return new RedisStore({ client: redis, prefix: `${config.REDIS_KEY_PREFIX}sess:` });
}

/**
 * Which timeout a signed-in session has passed, if any: idle (time since the
 * last request) or absolute (time since sign-in), whichever comes first.
 * @param {{ signedInAt: number, lastSeenAt: number }} times epoch ms, as stored in the session
 * @param {import('../config.js').Config} config
 * @param {number} now epoch ms
 * @returns {'idle' | 'absolute' | null}
 */
export function sessionExpiry({ signedInAt, lastSeenAt }, config, now) {
  if (now - signedInAt >= config.SESSION_ABSOLUTE_TIMEOUT_SECONDS * 1000) return 'absolute';
  if (now - lastSeenAt >= config.SESSION_IDLE_TIMEOUT_SECONDS * 1000) return 'idle';
  return null;
}
