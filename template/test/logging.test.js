// BASELINE 14: JSON logs with request ids; credentials never reach a log line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { createLogger } from '../src/logger.js';
import { buildApp, captureLogs } from './helpers.js';

const SECRETS = ['Bearer t0ps3cr3t-token', 'sid=s3ss10n-cookie', 'hunter2-password'];

function assertClean(rawLines) {
  for (const line of rawLines) {
    for (const secret of SECRETS) assert.ok(!line.includes(secret), `leaked ${secret} in ${line}`);
    assert.ok(!line.includes('hunter2'), `leaked password in ${line}`);
  }
}

describe('request logs', () => {
  it('write one JSON line per request with an id, and redact credentials', async () => {
    const { app, logs, rawLogs } = await buildApp();
    const res = await request(app)
      .get('/api/v1/notes')
      .set('Authorization', SECRETS[0])
      .set('Cookie', SECRETS[1])
      .set('Proxy-Authorization', 'Basic aHVudGVyMg==');
    const line = logs.find((entry) => entry.req?.id === res.headers['x-request-id']);
    assert.ok(line, 'request logged with its id');
    assert.equal(line.res.statusCode, 200);
    assert.equal(line.req.headers.authorization, '[Redacted]');
    assert.equal(line.req.headers.cookie, '[Redacted]');
    assert.equal(line.req.headers['proxy-authorization'], '[Redacted]');
    assertClean(rawLogs);
  });

  it('do not log a rejected body (malformed JSON carrying a password)', async () => {
    const { app, logs, rawLogs } = await buildApp();
    const res = await request(app).post('/api/v1/notes').type('json').send('{"password":"hunter2-password",');
    assert.equal(res.status, 400);
    const line = logs.find((entry) => entry.req?.id === res.headers['x-request-id']);
    assert.equal(line.errorCode, 'malformed_json', 'the outcome is logged');
    assert.equal(line.level, 40);
    assertClean(rawLogs);
  });

  it('keep a safe caller-supplied request id and replace an unsafe one', async () => {
    const { app } = await buildApp();
    const kept = await request(app).get('/healthz').set('X-Request-Id', 'abc-123_DEF.456');
    assert.equal(kept.headers['x-request-id'], 'abc-123_DEF.456');
    const replaced = await request(app).get('/healthz').set('X-Request-Id', '<script>alert(1)</script>');
    assert.match(replaced.headers['x-request-id'], /^[0-9a-f-]{36}$/);
  });
});

describe('logger redaction', () => {
  it('censors password, secret and token fields at any depth used by the app', () => {
    const { lines, raw, destination } = captureLogs();
    const logger = createLogger({ destination });
    logger.info({
      password: 'hunter2-password',
      body: { password: 'hunter2-password', token: 'hunter2' },
      req: { body: { password: 'hunter2-password', user: { secret: 'hunter2' } } },
      user: { credentials: { apiKey: 'hunter2' } },
      res: { headers: { 'set-cookie': SECRETS[1] } },
      APP_SECRET: 'hunter2',
    }, 'login attempt');
    assertClean(raw);
    assert.equal(lines[0].password, '[Redacted]');
    assert.equal(lines[0].req.body.password, '[Redacted]');
    assert.equal(lines[0].res.headers['set-cookie'], '[Redacted]');
    assert.equal(lines[0].msg, 'login attempt');
  });
});
