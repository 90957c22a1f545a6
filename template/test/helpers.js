// Shared test helpers (not a test file: `npm test` runs test/**/*.test.js only).
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';

// Random-looking, long enough, no placeholder markers.
export const STRONG_SECRET = 'q8Vn2LrT5wKz9HbM4cJf7GdP1sYe6AuN3RkW0tQm';

/** A pino destination that keeps every emitted line, parsed. */
export function captureLogs() {
  const lines = [];
  const raw = [];
  const destination = new Writable({
    write(chunk, encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line));
      }
      callback();
    },
  });
  return { lines, raw, destination };
}

/**
 * Build the app the way server.js does, from an env object (NODE_ENV=test unless given).
 * @param {object} [options] env (default NODE_ENV=test) plus any createApp dependency to replace
 */
export function buildApp({ env = { NODE_ENV: 'test' }, ...deps } = {}) {
  const config = loadConfig(env);
  const logs = captureLogs();
  const logger = createLogger({ level: 'info', destination: logs.destination });
  return { app: createApp({ config, logger, ...deps }), config, logger, logs: logs.lines, rawLogs: logs.raw };
}

/** Assert the one error shape every failure uses, and return the error object. */
export function assertError(res, status, code) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers['content-type'], /^application\/json; charset=utf-8$/);
  const body = JSON.parse(res.text);
  assert.deepEqual(Object.keys(body), ['error']);
  const allowed = new Set(['code', 'message', 'details', 'requestId']);
  for (const key of Object.keys(body.error)) assert.ok(allowed.has(key), `unexpected key ${key} in error body`);
  assert.equal(body.error.code, code);
  assert.match(body.error.code, /^[a-z][a-z0-9_]*$/);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
  assert.equal(body.error.requestId, res.headers['x-request-id']);
  return body.error;
}

/** A store whose every operation fails the way a database driver might. */
export function failingStore() {
  const leak = () =>
    Object.assign(new Error("SELECT * FROM notes WHERE owner = 'admin' -- at /srv/app/src/db.js:42:7"), {
      sql: 'SELECT * FROM notes',
      path: '/srv/app/data/notes.db',
    });
  return {
    // A synchronous throw and a rejected promise: both must end as a generic 500.
    create() {
      throw leak();
    },
    list: async () => Promise.reject(leak()),
    get: async () => Promise.reject(leak()),
  };
}
