// Security events: one structured log line each, with a fixed `event` name a SIEM
// rule can match, the request's id, client IP, method and path. Never a password,
// token or cookie: callers pass identifiers only (and logger.js redacts the usual
// credential field names should one slip in).

export const SECURITY_EVENTS = Object.freeze([
  'login_success',
  'login_failure',
  'lockout',
  'authz_failure',
  'csrf_failure',
  'rate_limited',
]);
const KNOWN = new Set(SECURITY_EVENTS);

/**
 * @param {import('express').Request} req its pino-http child logger carries the request id
 * @param {(typeof SECURITY_EVENTS)[number]} event
 * @param {Record<string, unknown>} [fields] e.g. { username, userId, reason }
 */
export function securityEvent(req, event, fields = {}) {
  if (!KNOWN.has(event)) throw new Error(`unknown security event ${event}`);
  const line = { ...fields, event, security: true, ip: req.ip, method: req.method, path: req.path };
  if (event === 'login_success') req.log.info(line, `security event: ${event}`);
  else req.log.warn(line, `security event: ${event}`);
}
