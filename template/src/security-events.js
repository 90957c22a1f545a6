// Shared, framework-free: securityEvent(req, event, fields?) and SECURITY_EVENTS.
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
 * What a security event (and the sign-in check) reads of a request; an Express
 * request has it all (so does a Fastify request: plugins/request-logging.js adds
 * `path`); another framework passes an object of this shape.
 * @typedef {object} RequestContext
 * @property {import('pino').Logger} log the request's child logger (it carries the request id)
 * @property {string | undefined} ip client IP as resolved through the trusted proxy hops
 * @property {string} method
 * @property {string} path the path without the query string
 */

/**
 * @param {RequestContext} req
 * @param {(typeof SECURITY_EVENTS)[number]} event
 * @param {Record<string, unknown>} [fields] e.g. { username, userId, reason }
 */
export function securityEvent(req, event, fields = {}) {
  if (!KNOWN.has(event)) throw new Error(`unknown security event ${event}`);
  const line = { ...fields, event, security: true, ip: req.ip, method: req.method, path: req.path };
  if (event === 'login_success') req.log.info(line, `security event: ${event}`);
  else req.log.warn(line, `security event: ${event}`);
}
