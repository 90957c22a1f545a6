// BASELINE 12, 13: the real server process. Graceful shutdown drains in-flight
// requests and exits 0; a stuck drain is cut off after SHUTDOWN_TIMEOUT_MS with
// exit 1; crashes and bad configuration exit 1 with one fatal log line.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { DEPLOYMENT_ENV, STRONG_SECRET } from './helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TIMEOUT = { timeout: 15_000 };
const children = new Set();

// A failed assertion must not leave a server running (and the test run hanging).
after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Spawn a Node script with exactly `env` (no inherited NODE_ENV, no .env file) and follow its JSON log. */
function run(args, env) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const lines = [];
  const waiters = [];
  let stderr = '';
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop();
    for (const part of parts.filter(Boolean)) {
      const line = JSON.parse(part);
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.match(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal, stderr }));
  const waitFor = (match) => {
    const seen = lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      waiters.push({ match, resolve });
      exited.then(() => reject(new Error(`process exited before the expected log line; stderr: ${stderr}`)));
    });
  };
  return { child, lines, exited, waitFor };
}

async function startServer(extraEnv = {}) {
  const server = run(['src/server.js'], { NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...extraEnv });
  const { port } = await server.waitFor((line) => line.msg === 'listening');
  return { ...server, port };
}

/** Start a POST whose headers the server has accepted (100 Continue) but whose body is not sent yet. */
async function openSlowRequest(port, body) {
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/api/v1/notes',
    headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Expect: '100-continue' },
  });
  const response = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
  });
  req.flushHeaders();
  await once(req, 'continue');
  return { req, response };
}

describe('graceful shutdown', () => {
  it('SIGTERM lets an in-flight request finish, refuses new connections, exits 0', TIMEOUT, async () => {
    const server = await startServer();
    const body = JSON.stringify({ title: 'written during shutdown' });
    const { req, response } = await openSlowRequest(server.port, body);

    server.child.kill('SIGTERM');
    await server.waitFor((line) => line.msg?.startsWith('shutting down'));
    await assert.rejects(fetch(`http://127.0.0.1:${server.port}/healthz`), 'new connections are refused');

    req.end(body);
    const res = await response;
    assert.equal(res.status, 201, res.text);
    assert.equal(JSON.parse(res.text).title, 'written during shutdown');
    const { code } = await server.exited;
    assert.equal(code, 0);
    assert.ok(server.lines.some((line) => line.msg === 'shutdown complete'));
  });

  it('SIGINT on an idle server exits 0 promptly', TIMEOUT, async () => {
    const server = await startServer();
    await fetch(`http://127.0.0.1:${server.port}/healthz`); // leaves an idle keep-alive connection
    const started = Date.now();
    server.child.kill('SIGINT');
    const { code } = await server.exited;
    assert.equal(code, 0);
    assert.ok(Date.now() - started < 3000, 'idle connections must not hold shutdown open');
  });

  it('a drain that outlives SHUTDOWN_TIMEOUT_MS is cut off with exit 1', TIMEOUT, async () => {
    const server = await startServer({ SHUTDOWN_TIMEOUT_MS: '300' });
    const { req, response } = await openSlowRequest(server.port, '{"title":"never finished"}');
    response.catch(() => {}); // the connection dies with the process
    server.child.kill('SIGTERM');
    const { code } = await server.exited;
    req.destroy();
    assert.equal(code, 1);
    assert.ok(server.lines.some((line) => line.level === 50 && /timed out/.test(line.msg)));
  });
});

describe('crashes', () => {
  const modes = [
    ['rejection', 'unhandled promise rejection; exiting'],
    ['exception', 'uncaught exception; exiting'],
  ];
  for (const [mode, message] of modes) {
    it(`an unhandled ${mode} is logged as fatal and exits 1`, TIMEOUT, async () => {
      const proc = run(['test/fixtures/crash.js', mode], {});
      const { code, stderr } = await proc.exited;
      assert.equal(code, 1);
      assert.equal(stderr, '', 'nothing bypasses the JSON log');
      const fatal = proc.lines.find((line) => line.level === 60);
      assert.ok(fatal, 'a fatal log line');
      assert.equal(fatal.msg, message);
      assert.match(fatal.err.message, /^boom/);
      assert.match(fatal.err.stack, /crash\.js/, 'the log keeps the stack');
    });
  }
});

describe('startup', () => {
  it('with NODE_ENV unset and no APP_SECRET: one fatal line naming the key, no stack, exit 1', TIMEOUT, async () => {
    const proc = run(['src/server.js'], { PORT: '0' });
    const { code, stderr } = await proc.exited;
    assert.equal(code, 1);
    assert.equal(stderr, '');
    assert.equal(proc.lines.length, 1);
    assert.equal(proc.lines[0].level, 60);
    assert.match(proc.lines[0].msg, /APP_SECRET/);
    assert.doesNotMatch(JSON.stringify(proc.lines[0]), /\bat .+:\d+:\d+|stack/);
  });

  it('in production with a strong secret it starts and serves', TIMEOUT, async () => {
    const server = await startServer({ ...DEPLOYMENT_ENV, NODE_ENV: 'production', APP_SECRET: STRONG_SECRET });
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    assert.equal(res.status, 200);
    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0);
  });
});
