// What the hand-built peers share: the settings a competent developer would pick from
// the libraries' own docs, so the hardened service is compared with a realistic stack
// that has the same headline properties (security headers, CORS allowlist, Redis-backed
// rate limit, redacted request log, bounded JSON body, validated input), not only with
// a bare app. Bodies and the session-cookie check come from bare-common.mjs.
//
//   REDIS_URL   the same Redis the bench gives the hardened service
//   PORT        port on 127.0.0.1
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
export const listNotes = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) });
