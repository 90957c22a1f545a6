// BASELINE 7: TRACE and methods outside the API's set are refused, also when
// Node's HTTP parser rejects them before Express sees them (TRACK).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createHttpServer } from '../src/http-server.js';
import { assertError, buildApp } from './helpers.js';

const { app } = await buildApp();

/** Send raw bytes and return the whole answer (the server closes the connection). */
async function raw(port, text) {
  const socket = net.connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let answer = '';
  socket.on('data', (chunk) => {
    answer += chunk;
  });
  socket.write(text);
  await once(socket, 'close');
  return answer;
}

describe('method guard', () => {
  for (const method of ['TRACE', 'PROPFIND', 'MKCOL', 'PURGE', 'LINK']) {
    it(`${method} → 405 with Allow`, async () => {
      const res = await request(app)[method.toLowerCase()]('/');
      assertError(res, 405, 'method_not_allowed');
      assert.equal(res.headers.allow, 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    });
  }

  it('TRACE on an existing route is refused too', async () => {
    const res = await request(app).trace('/healthz');
    assertError(res, 405, 'method_not_allowed');
  });
});

describe('requests the HTTP parser rejects', () => {
  let server;
  let port;
  before(async () => {
    server = createHttpServer(app);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    ({ port } = server.address());
  });
  after(() => server.close());

  it('TRACK → 405 JSON', async () => {
    const answer = await raw(port, 'TRACK / HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 405 /);
    assert.match(answer, /\r\nContent-Type: application\/json; charset=utf-8\r\n/);
    assert.match(answer, /"code":"method_not_allowed"/);
  });

  it('a garbled request line → 400 JSON', async () => {
    const answer = await raw(port, 'GET /\x01 HTTP/9\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(answer, /"code":"bad_request"/);
  });
});
