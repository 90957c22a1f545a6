// What the bare baselines answer, shared by bare-express.mjs and bare-fastify.mjs.
// bench/http_load.py captures the hardened service's own answers (GET /api/v1/notes
// after seeding, GET /api/v1/me after signing in) and passes them in, so every
// server sends the same JSON bytes. Each request still serializes the object.
//
//   BENCH_NOTES_BODY  file with the JSON of GET /api/v1/notes
//   BENCH_ME_BODY     file with the JSON of GET /api/v1/me
//   BENCH_COOKIE      the session cookie pair ("__Host-sid=s%3A...") the bench sends
//   PORT              port on 127.0.0.1
import { readFileSync } from 'node:fs';

const json = (name) => JSON.parse(readFileSync(process.env[name], 'utf8'));

export const notesBody = json('BENCH_NOTES_BODY');
export const meBody = json('BENCH_ME_BODY');
export const unauthenticated = { error: { code: 'unauthenticated', message: 'Authentication required' } };
export const port = Number(process.env.PORT);

const expected = process.env.BENCH_COOKIE;

/**
 * The cheapest honest check for the authenticated route: the Cookie header must carry
 * exactly the session cookie pair the bench signed in with (a string compare: no
 * signature, no store lookup, no user lookup).
 */
export function signedIn(cookieHeader) {
  if (typeof cookieHeader !== 'string') return false;
  return cookieHeader.split(';').some((pair) => pair.trim() === expected);
}
