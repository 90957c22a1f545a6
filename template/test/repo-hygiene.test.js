// BASELINE 18, 26, 27: secrets stay out of git and images; the example env
// file holds placeholders only; container and CI files keep their hardening.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONFIG_KEYS, loadConfig } from '../src/config.js';

const file = (name) => new URL(`../${name}`, import.meta.url);
const read = (name) => readFileSync(file(name), 'utf8');
const patterns = (name) =>
  read(name)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
// KEY=VALUE lines of an env file (util.parseEnv is still experimental before Node 24.10).
const parseEnvFile = (text) =>
  Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
const hasDocker = existsSync(file('Dockerfile'));
const hasCompose = existsSync(file('compose.yaml'));
const workflow = '.github/workflows/ci.yml';
const hasGithub = existsSync(file(workflow));

describe('secrets stay out of version control', () => {
  it('.gitignore excludes .env and .env.* but keeps .env.example', () => {
    const lines = patterns('.gitignore');
    for (const pattern of ['.env', '.env.*', '!.env.example']) assert.ok(lines.includes(pattern), pattern);
    assert.ok(lines.indexOf('!.env.example') > lines.indexOf('.env.*'), 'the exception must come after the exclusion');
  });
});

describe('.env.example', () => {
  const values = parseEnvFile(read('.env.example'));

  it('documents only keys the config knows', () => {
    for (const key of Object.keys(values)) assert.ok(CONFIG_KEYS.includes(key), `unknown key ${key}`);
    assert.ok(Object.hasOwn(values, 'APP_SECRET'));
  });

  it('holds a placeholder secret that production refuses', () => {
    assert.throws(() => loadConfig({ ...values, NODE_ENV: 'production' }), /APP_SECRET/);
  });
});

describe('Dockerfile', { skip: !hasDocker && 'no Dockerfile' }, () => {
  const text = hasDocker ? read('Dockerfile') : '';
  const stages = text.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1) ?? '';

  it('is multi-stage on a Node.js 24 LTS base', () => {
    assert.ok(stages.length >= 2, 'at least two stages');
    for (const stage of stages) assert.ok(stage.startsWith('node:24-') || stage.startsWith('node:24@'), stage.split('\n')[0]);
  });

  it('installs production dependencies only, without install scripts', () => {
    assert.match(text, /npm ci --omit=dev --ignore-scripts/);
  });

  it('runs as a non-root user with a health check', () => {
    assert.match(runtime, /^USER node$/m);
    assert.match(runtime, /^HEALTHCHECK /m);
    assert.match(runtime, /^CMD \["node", "src\/server\.js"\]$/m);
    assert.match(runtime, /NODE_ENV=production/);
  });

  it('never copies an env file into the image', () => {
    assert.doesNotMatch(text, /^(COPY|ADD)\b.*\.env/m);
  });

  it('has a .dockerignore that keeps .env, .git, node_modules and tests out of the build context', () => {
    const lines = patterns('.dockerignore');
    for (const pattern of ['.env', '.env.*', '.git', 'node_modules', 'test']) assert.ok(lines.includes(pattern), pattern);
    assert.ok(!lines.includes('!.env.example') && !lines.includes('!.env'), 'no env file is let back in');
  });
});

describe('CI workflow', { skip: !hasGithub && 'no GitHub workflow' }, () => {
  const text = hasGithub ? read(workflow) : '';

  it('defaults to read-only permissions', () => {
    assert.match(text, /^permissions:\n {2}contents: read$/m);
  });

  it('pins every action to a full commit SHA', () => {
    const uses = [...text.matchAll(/uses:\s*(\S+)/g)].map((match) => match[1]);
    assert.ok(uses.length > 0);
    for (const ref of uses) assert.match(ref, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/, ref);
  });

  it(hasCompose ? 'tests against real Redis and PostgreSQL (health-checked), migrated first' : 'tests need no servers', () => {
    const job = text.slice(text.indexOf('\n  test:\n'), text.indexOf('\n  audit:\n'));
    if (!hasCompose) {
      assert.doesNotMatch(job, /services:/);
      return;
    }
    const lines = job.split('\n');
    for (const service of ['redis', 'postgres']) assert.ok(lines.includes(`      ${service}:`), service);
    assert.equal([...job.matchAll(/--health-cmd /g)].length, 2, 'both services have a health check');
    assert.match(job, /^ {6}REDIS_URL: redis:\/\//m);
    assert.match(job, /^ {6}DATABASE_URL: postgres:\/\//m);
    const migrate = job.indexOf('run: npm run migrate');
    assert.ok(migrate > 0 && migrate < job.indexOf('run: npm test'), 'npm run migrate before npm test');
  });

  it('has lint, test, audit and CodeQL jobs', () => {
    const lines = text.split('\n');
    for (const job of ['lint', 'test', 'audit', 'codeql']) assert.ok(lines.includes(`  ${job}:`), job);
    assert.match(text, /npm ci --ignore-scripts/);
    assert.match(text, /npm audit --audit-level=high/);
    assert.match(text, /npm run lint:lockfile/);
  });
});

describe('compose.yaml (local servers)', { skip: !hasCompose && 'no compose.yaml' }, () => {
  const text = hasCompose ? read('compose.yaml') : '';

  it('publishes every port on 127.0.0.1 only', () => {
    const ports = [...text.matchAll(/^\s+- "([^"]+)"$/gm)].map((match) => match[1]).filter((entry) => /:\d+$/.test(entry));
    assert.deepEqual(ports.sort(), ['127.0.0.1:5432:5432', '127.0.0.1:6379:6379']);
  });

  it('runs Redis and PostgreSQL with health checks', () => {
    assert.match(text, /^ {4}image: redis:\d+/m);
    assert.match(text, /^ {4}image: postgres:\d+/m);
    assert.equal([...text.matchAll(/^ {4}healthcheck:$/gm)].length, 2);
  });
});
