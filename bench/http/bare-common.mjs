// What the bare baselines and the hand-built peers share: the irreducible work of each
// benchmarked route, the same as the generated service's (template/src/resources/
// repository.js, db/users.js), so every server answers the same request by reading
// the same PostgreSQL rows:
//   GET /api/v1/notes         the signed-in user's notes: one parameterized, owner-scoped
//                             SELECT (same columns, WHERE owner_id, ORDER BY seq DESC,
//                             LIMIT limit + 1 for "is there a next page"), as JSON
//   GET /api/v1/me            the signed-in user: one SELECT by id, as JSON
//   GET /api/v1/memory-notes  the auth=none service's public in-memory example: the JSON
//                             it answered, held in memory (each request serializes it)
// bench/http_load.py signs a user in on the hardened service and passes in its id.
//
//   DATABASE_URL              the hardened service's database (runtime role)
//   BENCH_USER_ID             the signed-in bench user's id (users.id)
//   BENCH_COOKIE              the session cookie pair ("__Host-sid=s%3A...") the bench sends (bare apps)
//   BENCH_MEMORY_NOTES_BODY   file with the JSON of the auth=none service's GET /api/v1/notes (optional)
//   PORT                      port on 127.0.0.1
import { readFileSync } from 'node:fs';
import pg from 'pg';

export const port = Number(process.env.PORT);
export const userId = process.env.BENCH_USER_ID;
const memoryFile = process.env.BENCH_MEMORY_NOTES_BODY; // unset: no auth=none service measured
export const memoryNotesBody = memoryFile ? JSON.parse(readFileSync(memoryFile, 'utf8')) : { items: [], nextCursor: null };
export const unauthenticated = { error: { code: 'unauthenticated', message: 'Authentication required' } };

// The service's pool size default (DATABASE_POOL_MAX); same database, same role.
export const db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

// The service's own statements (resources/repository.js list(), db/users.js findById()),
// named like the service's: prepared once per pooled connection, as the service does.
const NOTES_SQL = `SELECT id, "title" AS "title", "body" AS "body", version, created_at AS "createdAt", updated_at AS "updatedAt", seq::text AS position FROM "notes"
         WHERE owner_id = $1 AND ($2::bigint IS NULL OR seq < $2::bigint)
         ORDER BY seq DESC LIMIT $3`;
const USER_SQL = 'SELECT id, username, role, created_at FROM users WHERE id = $1';

/** A page of `owner`'s notes, newest first: { items, nextCursor } (the position of the last item when there are more). */
export async function listNotes(owner, limit = 20, after = null) {
  const { rows } = await db.query({ name: 'notes.list', text: NOTES_SQL, values: [owner, after, limit + 1] });
  const page = rows.slice(0, limit);
  const items = page.map(({ position, ...item }) => item); // Dates serialize as ISO strings
  return { items, nextCursor: rows.length > limit ? page.at(-1).position : null };
}

/** { user } of that id, or null. */
export async function findUser(id) {
  const { rows } = await db.query({ name: 'users.findById', text: USER_SQL, values: [id] });
  if (rows.length !== 1) return null;
  const [{ id: uid, username, role, created_at: createdAt }] = rows;
  return { user: { id: uid, username, role, createdAt } };
}

const expected = process.env.BENCH_COOKIE;

/**
 * The bare apps' cheapest honest check of who is signed in: the Cookie header must carry
 * exactly the session cookie pair the bench signed in with (a string compare: no
 * signature, no store lookup); it stands for the user BENCH_USER_ID.
 */
export function signedIn(cookieHeader) {
  if (typeof cookieHeader !== 'string') return false;
  return cookieHeader.split(';').some((pair) => pair.trim() === expected);
}
