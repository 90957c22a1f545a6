// BASELINE 8, 14, 21 (general limiter): 429 JSON with standard RateLimit headers,
// logged as a security event; X-Forwarded-For cannot be used to dodge it unless
// a proxy hop is configured.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { assertError, buildApp } from './helpers.js';

const env = (extra) => ({ NODE_ENV: 'test', RATE_LIMIT_REQUESTS: '2', RATE_LIMIT_WINDOW_MS: '60000', ...extra });

describe('rate limiting', () => {
  it('answers 429 JSON with draft-8 RateLimit headers after the limit', async () => {
    const { app } = await buildApp({ env: env() });
    const first = await request(app).get('/api/v1/notes');
    assert.equal(first.status, 200);
    assert.match(first.headers['ratelimit-policy'], /^"2-in-1min"; q=2; w=60/);
    assert.match(first.headers.ratelimit, /^"2-in-1min"; r=1; t=\d+/);
    await request(app).get('/api/v1/notes');
    const res = await request(app).get('/api/v1/notes');
    assertError(res, 429, 'rate_limited');
    assert.match(res.headers.ratelimit, /; r=0;/);
    assert.ok(Number(res.headers['retry-after']) > 0, 'Retry-After');
    assert.equal(res.headers['x-ratelimit-limit'], undefined, 'no legacy headers');
  });

  it('logs each 429 as a security event', async () => {
    const { app, logs } = await buildApp({ env: env({ RATE_LIMIT_REQUESTS: '1' }) });
    await request(app).get('/api/v1/notes');
    const res = await request(app).get('/api/v1/notes');
    assert.equal(res.status, 429);
    const event = logs.find((line) => line.event === 'rate_limited');
    assert.ok(event, 'security event logged');
    assert.equal(event.level, 40);
    assert.equal(event.req.id, res.headers['x-request-id']);
  });

  it('limits unknown paths too (probing costs quota)', async () => {
    const { app } = await buildApp({ env: env({ RATE_LIMIT_REQUESTS: '1' }) });
    await request(app).get('/probe-1');
    const res = await request(app).get('/probe-2');
    assertError(res, 429, 'rate_limited');
  });

  it('ignores X-Forwarded-For when TRUST_PROXY_HOPS=0', async () => {
    const { app } = await buildApp({ env: env({ RATE_LIMIT_REQUESTS: '1' }) });
    await request(app).get('/api/v1/notes').set('X-Forwarded-For', '203.0.113.1');
    const res = await request(app).get('/api/v1/notes').set('X-Forwarded-For', '203.0.113.2');
    assert.equal(res.status, 429, 'a spoofed client IP must not reset the limit');
  });

  it('uses the configured number of proxy hops', async () => {
    const { app } = await buildApp({ env: env({ RATE_LIMIT_REQUESTS: '1', TRUST_PROXY_HOPS: '1' }) });
    await request(app).get('/api/v1/notes').set('X-Forwarded-For', '203.0.113.1');
    const other = await request(app).get('/api/v1/notes').set('X-Forwarded-For', '203.0.113.2');
    assert.equal(other.status, 200, 'a different client behind the proxy has its own quota');
    const spoof = await request(app).get('/api/v1/notes').set('X-Forwarded-For', '198.51.100.7, 203.0.113.2');
    assert.equal(spoof.status, 429, 'only the hop the proxy appended is trusted');
  });

  it('does not limit the health probes', async () => {
    const { app } = await buildApp({ env: env({ RATE_LIMIT_REQUESTS: '1' }) });
    for (let i = 0; i < 3; i += 1) assert.equal((await request(app).get('/healthz')).status, 200);
  });
});
