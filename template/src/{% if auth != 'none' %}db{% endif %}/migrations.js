// Shared, framework-free: migrate(pool, { directory?, logger? }), MIGRATIONS_DIR.
// Plain SQL migrations: db/migrations/NNN_name.sql, applied in order, each in its
// own transaction and recorded in schema_migrations with a checksum. Running it
// again applies nothing new (idempotent); an advisory lock keeps two runners (two
// instances starting, parallel test files) from applying the same file twice; a
// file changed after it was applied is refused instead of silently skipped.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';

export const MIGRATIONS_DIR = new URL('../../db/migrations/', import.meta.url);
const FILE_NAME = /^\d{3}_[a-z0-9_]+\.sql$/;
// Any constant bigint; the same for every instance of this service.
const LOCK_KEY = '727361000001';

async function readMigrations(directory) {
  // The directory is ours (MIGRATIONS_DIR, or a test's), never request input.
  // eslint-disable-next-line security/detect-non-literal-fs-filename
  const names = (await readdir(directory)).filter((name) => FILE_NAME.test(name)).sort();
  return Promise.all(
    names.map(async (name) => {
      // The names come from our own directory listing, checked against FILE_NAME above.
      // eslint-disable-next-line security/detect-non-literal-fs-filename
      const sql = await readFile(new URL(name, directory), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Apply every migration not applied yet; returns the names applied by this call.
 * @param {import('pg').Pool} pool
 * @param {object} [options]
 * @param {URL} [options.directory]
 * @param {import('pino').Logger} [options.logger]
 */
export async function migrate(pool, { directory = MIGRATIONS_DIR, logger } = {}) {
  const migrations = await readMigrations(directory);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query('SELECT name, checksum FROM schema_migrations');
    const applied = new Map(rows.map((row) => [row.name, row.checksum]));
    const done = [];
    for (const { name, sql, checksum } of migrations) {
      if (applied.has(name)) {
        if (applied.get(name) !== checksum) {
          throw new Error(`migration ${name} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [name, checksum]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${name} failed: ${err.message}`, { cause: err });
      }
      logger?.info({ migration: name }, 'migration applied');
      done.push(name);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    client.release();
  }
}
