// BASELINE 8, 18: configuration fails closed. Production refuses a missing,
// short or placeholder APP_SECRET; an unset NODE_ENV is production.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';
import { DEFAULT_CORS_ORIGINS, DEFAULT_PORT } from '../src/defaults.js';
import { DEPLOYMENT_ENV, STRONG_SECRET } from './helpers.js';

/** Assert loadConfig(env) throws a ConfigError naming `key` and not leaking `secret`. */
function assertRefused(env, key, secret) {
  assert.throws(
    () => loadConfig(env),
    (err) => {
      assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err}`);
      assert.ok(err.message.includes(key), `the message names ${key}: ${err.message}`);
      if (secret) assert.ok(!err.message.includes(secret), 'the error must not print the value');
      return true;
    },
  );
}

describe('APP_SECRET in production', () => {
  const production = (secret) => ({
    ...DEPLOYMENT_ENV,
    NODE_ENV: 'production',
    ...(secret === undefined ? {} : { APP_SECRET: secret }),
  });

  it('refuses a missing secret', () => assertRefused(production(undefined), 'APP_SECRET'));
  it('refuses an empty secret', () => assertRefused(production(''), 'APP_SECRET'));
  it('refuses a secret shorter than 32 bytes', () => {
    const short = 'Zq8!v2Lr#T5wKz9HbM4cJf7GdP1sYe6'; // 31 bytes
    assertRefused(production(short), 'APP_SECRET', short);
    assert.throws(() => loadConfig(production(short)), /at least 32 bytes/);
  });

  it('counts bytes, not characters', () => {
    const accented = 'éàüöçñøåæß€$q8Vn2LrT5w'; // 22 characters, 34 bytes
    assert.equal(loadConfig(production(accented)).APP_SECRET, accented);
  });

  const placeholders = [
    'change-me-to-32+-random-bytes',
    'changemechangemechangemechangeme',
    'please-replace-this-placeholder-value',
    'my-super-secret-key-for-the-service-1234',
    'example-example-example-example-example',
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    'abababababababababababababababababababab',
  ];
  for (const secret of placeholders) {
    it(`refuses the placeholder ${secret.slice(0, 16)}…`, () => assertRefused(production(secret), 'APP_SECRET', secret));
  }

  it('accepts random secrets that happen to contain short words', () => {
    // Generated secrets are random base64url: short markers such as "xxx" or
    // "todo" must not make a real secret look like a placeholder.
    for (const secret of ['q8VnXxX2LrT5wZ0pK7yB3mH6dJ9sF1cA4gE', 'ToDo8VnR2LrT5wZ0pK7yB3mH6dJ9sF1cA4gE']) {
      assert.equal(loadConfig(production(secret)).APP_SECRET, secret);
    }
  });

  it('accepts a strong secret and keeps it out of serialization', () => {
    const config = loadConfig(production(STRONG_SECRET));
    assert.equal(config.APP_SECRET, STRONG_SECRET);
    assert.ok(!JSON.stringify(config).includes(STRONG_SECRET));
    assert.ok(!Object.keys(config).includes('APP_SECRET'));
    assert.deepEqual(config.warnings, []);
  });
});

describe('NODE_ENV', () => {
  it('unset means production (and so a missing secret is refused)', () => {
    assertRefused({}, 'APP_SECRET');
    assert.equal(loadConfig({ ...DEPLOYMENT_ENV, APP_SECRET: STRONG_SECRET }).NODE_ENV, 'production');
  });

  it('empty means production', () => {
    assert.equal(loadConfig({ ...DEPLOYMENT_ENV, NODE_ENV: '', APP_SECRET: STRONG_SECRET }).NODE_ENV, 'production');
  });

  it('rejects values outside development|test|production', () => {
    assertRefused({ NODE_ENV: 'prod', APP_SECRET: STRONG_SECRET }, 'NODE_ENV');
  });
});

describe('development and test', () => {
  it('generate an ephemeral 32-byte secret, with a warning', () => {
    const first = loadConfig({ NODE_ENV: 'development' });
    const second = loadConfig({ NODE_ENV: 'development' });
    assert.equal(Buffer.from(first.APP_SECRET, 'base64url').length, 32);
    assert.notEqual(first.APP_SECRET, second.APP_SECRET);
    assert.match(first.warnings.join('\n'), /APP_SECRET/);
  });

  it('warn about a placeholder secret instead of refusing it', () => {
    const config = loadConfig({ NODE_ENV: 'test', APP_SECRET: 'change-me-to-32+-random-bytes' });
    assert.match(config.warnings.join('\n'), /placeholder/);
  });
});

describe('other keys', () => {
  it('defaults to the generated answers, loopback and safe limits', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    assert.equal(config.PORT, DEFAULT_PORT);
    assert.deepEqual(config.CORS_ORIGINS, DEFAULT_CORS_ORIGINS);
    assert.equal(config.HOST, '127.0.0.1');
    assert.equal(config.TRUST_PROXY_HOPS, 0);
    assert.equal(config.BODY_LIMIT, '100kb');
    assert.equal(config.SHUTDOWN_TIMEOUT_MS, 10_000);
  });

  it('is frozen', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.CORS_ORIGINS));
  });

  const bad = {
    PORT: ['abc', '70000', '-1', '80.5'],
    TRUST_PROXY_HOPS: ['true', '-1', 'loopback', '1.5'],
    CORS_ORIGINS: ['*', 'null', 'https://app.example.com/', 'https://app.example.com/path', 'http://app.example.com', 'ftp://x.example'],
    BODY_LIMIT: ['100', '1gb', 'lots'],
    LOG_LEVEL: ['verbose'],
    SHUTDOWN_TIMEOUT_MS: ['soon'],
    RATE_LIMIT_REQUESTS: ['0'],
  };
  for (const [key, values] of Object.entries(bad)) {
    for (const value of values) {
      it(`rejects ${key}=${value}, naming the key`, () => assertRefused({ NODE_ENV: 'test', [key]: value }, key));
    }
  }

  it('parses typed values', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '8080',
      TRUST_PROXY_HOPS: '2',
      CORS_ORIGINS: 'https://a.example.com, http://localhost:5173,https://a.example.com',
    });
    assert.equal(config.PORT, 8080);
    assert.equal(config.TRUST_PROXY_HOPS, 2);
    assert.deepEqual(config.CORS_ORIGINS, ['https://a.example.com', 'http://localhost:5173']);
  });
});
