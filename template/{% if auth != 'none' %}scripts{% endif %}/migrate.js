// `npm run migrate`: apply the SQL files in db/migrations/ that the database
// (DATABASE_URL) has not seen yet. Safe to run on every deploy and from several
// instances at once. Exits non-zero, with one log line, when anything fails.
import { ConfigError, loadMigrationConfig } from '../src/config.js';
import { createDatabase } from '../src/db/pool.js';
import { migrate } from '../src/db/migrations.js';
import { createLogger } from '../src/logger.js';

let config;
try {
  config = loadMigrationConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  createLogger().fatal(err.message);
  process.exitCode = 1;
}

if (config) {
  const logger = createLogger({ level: config.LOG_LEVEL });
  const pool = createDatabase({ url: config.DATABASE_URL, max: 1, logger, timeouts: false });
  try {
    const applied = await migrate(pool, { logger });
    logger.info({ applied }, applied.length > 0 ? `applied ${applied.length} migration(s)` : 'database is up to date');
  } catch (err) {
    logger.fatal({ err }, 'migration failed');
    process.exitCode = 1;
  } finally {
    await pool.end();
  }
}
