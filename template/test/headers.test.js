// BASELINE 1-5: security headers on every response, success and error alike.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { buildApp, failingStore } from './helpers.js';

const EXPECTED = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

const { app } = await buildApp();
const { app: failing } = await buildApp({ notesStore: failingStore() });
const { app: limited } = await buildApp({ env: { NODE_ENV: 'test', RATE_LIMIT_REQUESTS: '1' } });
await request(limited).get('/api/v1/notes'); // use up the only request

const CASES = [
  ['GET /healthz', 200, () => request(app).get('/healthz')],
  ['HEAD /healthz', 200, () => request(app).head('/healthz')],
  ['GET /api/v1/notes', 200, () => request(app).get('/api/v1/notes')],
  ['POST /api/v1/notes', 201, () => request(app).post('/api/v1/notes').send({ title: 't' })],
  ['unknown path', 404, () => request(app).get('/nope')],
  ['malformed JSON', 400, () => request(app).post('/api/v1/notes').type('json').send('{"title":')],
  ['invalid input', 400, () => request(app).post('/api/v1/notes').send({ title: 1 })],
  ['oversize body', 413, () => request(app).post('/api/v1/notes').send({ title: 't', body: 'x'.repeat(200_000) })],
  ['non-JSON body', 415, () => request(app).post('/api/v1/notes').type('text').send('hi')],
  ['TRACE', 405, () => request(app).trace('/')],
  ['rate limited', 429, () => request(limited).get('/api/v1/notes')],
  ['internal error', 500, () => request(failing).get('/api/v1/notes')],
];

describe('security headers', () => {
  for (const [name, status, send] of CASES) {
    it(`${name} → ${status} carries every header`, async () => {
      const res = await send();
      assert.equal(res.status, status);
      const received = new Map(Object.entries(res.headers));
      const actual = Object.fromEntries(Object.keys(EXPECTED).map((header) => [header, received.get(header)]));
      assert.deepEqual(actual, EXPECTED);
      assert.equal(res.headers['x-powered-by'], undefined, 'X-Powered-By must not be sent');
      assert.match(res.headers['content-type'] ?? '', /^application\/json; charset=utf-8$/, 'Content-Type with charset');
    });
  }
});
