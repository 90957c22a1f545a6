// What the hand-built peers share: the settings a competent developer would pick from
// the libraries' own docs, so the hardened service is compared with a realistic stack
// that has the same headline properties (security headers, CORS allowlist, Redis-backed
// rate limit, redacted request log, bounded JSON body, validated input, sessions in
// Redis behind a signed cookie), not only with a bare app. The database work is
// bare-common.mjs's: the service's own owner-scoped queries on the same PostgreSQL.
//
// Sign-in: the peers have no users table of their own to check passwords against, so
// a bench-only POST /bench/login starts a session (a new id: regenerate) for the user
// BENCH_USER_ID (the bench user the hardened service registered). What is measured is
// the GET routes: the session loaded from Redis by the signed cookie, its expiry
// renewed (rolling, the idle timeout the service has), the user id taken from it.
//
//   REDIS_URL   the same Redis the bench gives the hardened service
//   PORT        port on 127.0.0.1
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export const redisUrl = process.env.REDIS_URL;
export const origins = ['https://app.example.com'];
export const limit = { max: 1_000_000, windowMs: 10_000 }; // counts every request, never answers 429
// The six log paths a hand-built service would redact.
export const redact = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'req.body.password',
  'req.body.token',
];
// GET /api/v1/notes?limit=&cursor= (cursor: the position a previous page ended at).
export const listNotesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().regex(/^[1-9][0-9]{0,18}$/).optional(),
});
export const memoryNotesQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) });
export const invalid = (error) => ({ error: { code: 'invalid_request', message: error.message } });
// Sessions: express-session / @fastify/session with connect-redis on the bench's Redis.
export const session = {
  cookieName: '__Host-peer.sid',
  secret: randomBytes(32).toString('base64url'), // one process, one secret: its own sign-ins only
  prefix: 'peer:sess:',
  cookie: { path: '/', httpOnly: true, secure: true, sameSite: 'strict', maxAge: 30 * 60 * 1000 },
};
export const loginPath = '/bench/login';
