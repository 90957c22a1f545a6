// The only module that reads process.env. Everything else receives the frozen,
// validated object returned by loadConfig(), so a bad deployment fails at
// startup with the name of the offending key instead of misbehaving later.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_CORS_ORIGINS, DEFAULT_PORT } from './defaults.js';

export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}

const MIN_SECRET_BYTES = 32;
// Words people paste from docs or examples. Matched case-insensitively, so each
// is 5+ characters: a random base64url secret contains one with negligible
// probability (a 3-letter marker like "xxx" would reject ~1 in 500 of them).
// Runs of one character are caught by the variety check instead.
const PLACEHOLDER_MARKERS = [
  'change-me', 'changeme', 'change_me', 'placeholder', 'example', 'secret',
  'replace', 'your-', 'your_', 'dummy', 'default', 'password',
];
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const integer = (min, max, fallback) =>
  z
    .string()
    .regex(/^\d{1,10}$/, { error: `must be an integer between ${min} and ${max}` })
    .transform(Number)
    .pipe(z.int().min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }))
    .default(fallback);

// An origin is scheme://host[:port] with nothing after it; plain http only for
// local development hosts. '*' and 'null' are never origins we allow.
function isOrigin(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.origin !== value) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production'], {
    error: 'must be one of development, test, production (unset means production)',
  }).default('production'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: integer(0, 65535, DEFAULT_PORT),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    error: 'must be one of fatal, error, warn, info, debug, trace, silent',
  }).optional(),
  CORS_ORIGINS: z
    .string()
    .default(DEFAULT_CORS_ORIGINS.join(','))
    .transform((raw) => [...new Set(raw.split(',').map((item) => item.trim()).filter(Boolean))])
    .refine((origins) => origins.every(isOrigin), {
      error: 'must be a comma-separated list of origins like https://app.example.com (http only for localhost)',
    }),
  // A hop count, never `true`: with `true` any client could pick its own IP via
  // X-Forwarded-For and walk past the rate limiter.
  TRUST_PROXY_HOPS: integer(0, 10, 0),
  SHUTDOWN_TIMEOUT_MS: integer(100, 600_000, 10_000),
  BODY_LIMIT: z
    .string()
    .regex(/^[1-9]\d{0,6}(b|kb|mb)$/i, { error: 'must look like 100kb (a number followed by b, kb or mb)' })
    .default('100kb'),
  RATE_LIMIT_WINDOW_MS: integer(1000, 86_400_000, 60_000),
  RATE_LIMIT_REQUESTS: integer(1, 1_000_000, 100),
  APP_SECRET: z.string().optional(),
});

// The keys read from the environment; nothing else ends up in the config.
export const CONFIG_KEYS = Object.freeze(Object.keys(schema.shape));
const KEYS = new Set(CONFIG_KEYS);

function describeSecretProblem(value) {
  if (value === undefined) return 'is required';
  const lower = value.toLowerCase();
  if (PLACEHOLDER_MARKERS.some((marker) => lower.includes(marker))) return 'looks like a placeholder';
  if (Buffer.byteLength(value, 'utf8') < MIN_SECRET_BYTES) {
    return `must be at least ${MIN_SECRET_BYTES} bytes (generate one with: node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))")`;
  }
  if (new Set(value).size < 8) return 'has too little variety to be random (a repeated character or pattern)';
  return null;
}

function formatIssues(issues) {
  // Only the key name and a fixed description: values (secrets!) are never echoed.
  return issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`).join('; ');
}

/** @typedef {ReturnType<typeof loadConfig>} Config */

/**
 * Validate an environment object and return the frozen configuration.
 * Throws ConfigError naming the offending key(s).
 * @param {Record<string, string | undefined>} env defaults to process.env
 */
export function loadConfig(env = process.env) {
  // Empty strings count as unset (a blank line in .env), except CORS_ORIGINS
  // where "" deliberately means "no cross-origin callers". Secrets are taken verbatim.
  const input = Object.fromEntries(
    Object.entries(env)
      .filter(([key, value]) => KEYS.has(key) && typeof value === 'string' && (value !== '' || key === 'CORS_ORIGINS'))
      .map(([key, value]) => [key, key === 'APP_SECRET' ? value : value.trim()]),
  );

  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(`Invalid configuration: ${formatIssues(result.error.issues)}`);
  }
  const { APP_SECRET: givenSecret, ...values } = result.data;
  const warnings = [];

  let appSecret = givenSecret;
  const problem = describeSecretProblem(givenSecret);
  if (problem && values.NODE_ENV === 'production') {
    throw new ConfigError(`Invalid configuration: APP_SECRET ${problem}`);
  }
  if (givenSecret === undefined) {
    appSecret = randomBytes(MIN_SECRET_BYTES).toString('base64url');
    warnings.push(`APP_SECRET is not set; using an ephemeral random secret (${values.NODE_ENV} only, lost on restart)`);
  } else if (problem) {
    warnings.push(`APP_SECRET ${problem}; this would be refused in production`);
  }

  const config = {
    ...values,
    LOG_LEVEL: values.LOG_LEVEL ?? (values.NODE_ENV === 'test' ? 'silent' : 'info'),
    CORS_ORIGINS: Object.freeze(values.CORS_ORIGINS),
    warnings: Object.freeze(warnings),
  };
  // Non-enumerable: the secret is readable by code that asks for it, but never
  // shows up when the config object is logged, spread or JSON-serialized.
  Object.defineProperty(config, 'APP_SECRET', { value: appSecret, enumerable: false });
  return Object.freeze(config);
}
