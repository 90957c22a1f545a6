// Request limits (express-rate-limit 8). Clients are keyed by IP as resolved
// through `trust proxy` (a hop count), IPv6 grouped by /56 so one host cannot
// rotate through its own prefix. Every 429 is logged as a security event and
// answered through the error handler (JSON for the API, HTML for pages).
//
// Where the counters live is the caller's choice: pass a shared store (Redis) so
// limits hold across instances and restarts; without one they stay in process memory.
import { rateLimit } from 'express-rate-limit';
import { securityEvent } from '../security-events.js';
import { HttpError } from '../errors.js';

/**
 * A limiter with this service's conventions: draft-8 RateLimit headers, JSON 429,
 * security event, and a store error is an error (never "allow").
 * @param {object} options
 * @param {number} options.windowMs
 * @param {number} options.limit
 * @param {import('pino').Logger} options.logger
 * @param {import('express-rate-limit').Store} [options.store] default: process memory
 * @param {string} [options.name] RateLimit policy name (default "<limit>-in-<window>")
 * @param {(req: import('express').Request) => string} [options.keyGenerator] default: client IP
 */
export function createLimiter({ windowMs, limit, logger, store, name, keyGenerator }) {
  return rateLimit({
    windowMs,
    limit,
    store,
    keyGenerator,
    identifier: name,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ipv6Subnet: 56,
    // A store that cannot answer must not wave requests through: the error goes to
    // the error handler, which answers 503 (see dependency-errors.js where it exists).
    passOnStoreError: false,
    // The library's own configuration warnings go to our JSON log, not the console.
    logger: {
      warn: (error, message) => logger.warn({ err: error }, message ?? 'rate limiter warning'),
      error: (error, message) => logger.error({ err: error }, message ?? 'rate limiter error'),
    },
    handler(req, res, next) {
      securityEvent(req, 'rate_limited', { limiter: name ?? 'general' });
      next(new HttpError(429, 'rate_limited', 'Too many requests, try again later'));
    },
  });
}

/**
 * The general limiter in front of everything but the health probes.
 * @param {import('../config.js').Config} config
 * @param {import('pino').Logger} logger
 * @param {object} [options]
 * @param {import('express-rate-limit').Store} [options.store] shared counters (Redis)
 */
export function rateLimiter(config, logger, { store } = {}) {
  return createLimiter({ windowMs: config.RATE_LIMIT_WINDOW_MS, limit: config.RATE_LIMIT_REQUESTS, logger, store });
}
