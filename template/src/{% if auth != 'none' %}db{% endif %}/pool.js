// Shared, framework-free: createDatabase({ url, max, logger, timeouts? }) → pg Pool.
// The PostgreSQL connection pool (pg). Queries are parameterized everywhere
// (`$1`, never string-built SQL). Connections that die are dropped and replaced
// on the next query, so the service recovers by itself after a database outage;
// short timeouts turn an unreachable database into a quick 503 rather than a hang.
import pg from 'pg';

/**
 * @param {object} options
 * @param {string} options.url
 * @param {number} options.max pool size
 * @param {import('pino').Logger} options.logger
 * @param {boolean} [options.timeouts] per-query time limits (off for migrations, which may take long)
 */
export function createDatabase({ url, max, logger, timeouts = true }) {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 2000,
    idleTimeoutMillis: 10_000,
    ...(timeouts ? { query_timeout: 5000, statement_timeout: 5000 } : {}),
  });
  // An idle connection that breaks (database restart) emits 'error' on the pool;
  // without a listener that would crash the process.
  pool.on('error', (err) => logger.warn({ err, dependency: 'postgres' }, 'idle database connection lost'));
  return pool;
}

/** @typedef {ReturnType<typeof createDatabase>} Database */
