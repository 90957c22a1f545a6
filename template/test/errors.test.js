// BASELINE 1, 9, 12: every failure is the same clean JSON (no stack, path or SQL),
// under each NODE_ENV and with NODE_ENV unset, where Express on its own would
// answer with an HTML stack trace.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { assertError, buildApp, DEPLOYMENT_ENV, failingStore, STRONG_SECRET } from './helpers.js';

const LEAKS = [/SELECT/i, /\/srv\//, /\bat .+:\d+:\d+/, /node_modules/, /stack/i, /\.js\b/, /<html/i, /admin/];

function assertNoLeak(res) {
  for (const pattern of LEAKS) assert.doesNotMatch(res.text, pattern);
}

const ENVIRONMENTS = [
  // process.env.NODE_ENV matters too: Express reads it for its own final handler.
  ['NODE_ENV unset', undefined, { ...DEPLOYMENT_ENV, APP_SECRET: STRONG_SECRET }],
  ['NODE_ENV=development', 'development', { NODE_ENV: 'development' }],
  ['NODE_ENV=production', 'production', { ...DEPLOYMENT_ENV, NODE_ENV: 'production', APP_SECRET: STRONG_SECRET }],
];

for (const [label, processEnv, env] of ENVIRONMENTS) {
  describe(`errors with ${label}`, () => {
    const saved = process.env.NODE_ENV;
    let app;
    let failing;
    let logs;

    before(async () => {
      if (processEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = processEnv;
      ({ app } = await buildApp({ env }));
      ({ app: failing, logs } = await buildApp({ env, notesStore: failingStore() }));
    });
    after(() => {
      if (saved === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = saved;
    });

    if (processEnv === undefined) {
      it('an unset NODE_ENV is production', async () => {
        const { config } = await buildApp({ env });
        assert.equal(config.NODE_ENV, 'production');
      });
    }

    it('unknown route → 404 not_found', async () => {
      const res = await request(app).get('/no/such/thing');
      assertError(res, 404, 'not_found');
      assertNoLeak(res);
    });

    it('missing note → 404 not_found', async () => {
      const res = await request(app).get(`/api/v1/notes/${randomUUID()}`);
      assertError(res, 404, 'not_found');
    });

    it('oversize body → 413 payload_too_large', async () => {
      const res = await request(app).post('/api/v1/notes').send({ title: 't', body: 'x'.repeat(150 * 1024) });
      assertError(res, 413, 'payload_too_large');
      assertNoLeak(res);
    });

    it('malformed JSON → 400 malformed_json without echoing the parser message', async () => {
      const res = await request(app).post('/api/v1/notes').type('json').send('{"title": "a",,}');
      const error = assertError(res, 400, 'malformed_json');
      assert.doesNotMatch(error.message, /Unexpected|position|token/i);
      assertNoLeak(res);
    });

    it('invalid input → 400 validation_failed with field details only', async () => {
      const res = await request(app).post('/api/v1/notes').send({ title: '' });
      const error = assertError(res, 400, 'validation_failed');
      assert.deepEqual(error.details.map((d) => d.field), ['body.title']);
      for (const detail of error.details) assert.deepEqual(Object.keys(detail).sort(), ['field', 'issue', 'message']);
    });

    it('synchronous throw → 500 internal_error, generic message', async () => {
      const res = await request(failing).post('/api/v1/notes').send({ title: 'x' });
      const error = assertError(res, 500, 'internal_error');
      assert.equal(error.message, 'Internal server error');
      assertNoLeak(res);
    });

    it('rejected promise → 500 internal_error, generic message', async () => {
      const res = await request(failing).get('/api/v1/notes');
      assertError(res, 500, 'internal_error');
      assertNoLeak(res);
    });

    it('the full error reaches the log, not the client', async () => {
      const res = await request(failing).get(`/api/v1/notes/${randomUUID()}`);
      assertError(res, 500, 'internal_error');
      const line = logs.find((entry) => entry.req?.id === res.headers['x-request-id']);
      assert.ok(line, 'request was logged');
      assert.equal(line.level, 50);
      assert.match(line.err.message, /SELECT/);
      assert.match(line.err.stack, /Error/);
    });
  });
}
