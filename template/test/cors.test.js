// BASELINE 6: CORS is an allowlist from config; anything else gets no ACAO.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { buildApp } from './helpers.js';

const ALLOWED = 'https://app.example.com';
const { app } = await buildApp({ env: { NODE_ENV: 'test', CORS_ORIGINS: `${ALLOWED},http://localhost:5173` } });

describe('CORS', () => {
  it('echoes an allowed origin, without credentials', async () => {
    const res = await request(app).get('/api/v1/notes').set('Origin', ALLOWED);
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], ALLOWED);
    assert.equal(res.headers['access-control-allow-credentials'], undefined);
    assert.match(res.headers.vary ?? '', /Origin/);
  });

  for (const origin of ['https://evil.example', 'null', 'https://app.example.com.evil.example', 'http://app.example.com']) {
    it(`gives ${origin} no Access-Control-Allow-Origin`, async () => {
      const res = await request(app).get('/api/v1/notes').set('Origin', origin);
      assert.equal(res.headers['access-control-allow-origin'], undefined);
    });
  }

  it('answers a preflight from an allowed origin', async () => {
    const res = await request(app)
      .options('/api/v1/notes')
      .set('Origin', ALLOWED)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type');
    assert.equal(res.status, 204);
    assert.equal(res.headers['access-control-allow-origin'], ALLOWED);
    assert.match(res.headers['access-control-allow-methods'], /POST/);
  });

  it('gives a preflight from an unknown origin no Access-Control-Allow-Origin', async () => {
    const res = await request(app)
      .options('/api/v1/notes')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'DELETE');
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });

  it('allows no origin at all when CORS_ORIGINS is empty', async () => {
    const { app: closed } = await buildApp({ env: { NODE_ENV: 'test', CORS_ORIGINS: '' } });
    const res = await request(closed).get('/api/v1/notes').set('Origin', ALLOWED);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });
});
