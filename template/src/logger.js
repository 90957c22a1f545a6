// Shared, framework-free: createLogger({ level?, destination? }) → pino Logger, REDACT_PATHS.
// Structured JSON logs (pino). Credentials are censored before a line is
// written, so a log shipper or a shared dashboard never sees them.
import pino from 'pino';

const SENSITIVE_FIELDS = [
  'password', 'newPassword', 'currentPassword', 'passwd', 'secret', 'token',
  'accessToken', 'refreshToken', 'idToken', 'apiKey', 'api_key', 'APP_SECRET',
  'csrfToken', '_csrf', 'passwordHash', 'password_hash',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  // body-parser attaches the raw request body to parse errors.
  'err.body',
  // The same field names at the top level and up to three levels down
  // (e.g. body.password, req.body.password, user.credentials.token).
  ...SENSITIVE_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]),
];

/**
 * @param {object} [options]
 * @param {string} [options.level] pino level, default info
 * @param {import('pino').DestinationStream} [options.destination] default: synchronous stdout
 */
export function createLogger({ level = 'info', destination } = {}) {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // Synchronous stdout so the fatal line of a crash is written before process.exit().
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
