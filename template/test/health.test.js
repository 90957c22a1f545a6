// Liveness and readiness probes; readiness fails as soon as shutdown starts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { createLifecycle } from '../src/lifecycle.js';
import { assertError, buildApp } from './helpers.js';

describe('health probes', () => {
  it('GET /healthz → 200 {"status":"ok"}', async () => {
    const { app } = await buildApp();
    const res = await request(app).get('/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  it('GET /readyz → 200 while running, 503 JSON once shutting down', async () => {
    const lifecycle = createLifecycle();
    const { app } = await buildApp({ lifecycle });
    assert.equal((await request(app).get('/readyz')).status, 200);
    const running = await request(app).get('/readyz').set('Connection', 'keep-alive');
    assert.equal(running.headers.connection, 'keep-alive');
    lifecycle.beginShutdown();
    const res = await request(app).get('/readyz').set('Connection', 'keep-alive');
    assertError(res, 503, 'shutting_down');
    assert.equal(res.headers.connection, 'close', 'clients are asked to drop keep-alive connections');
  });
});
