// Per-client request limit (express-rate-limit 8). Clients are keyed by IP as
// resolved through `trust proxy` (a hop count), IPv6 grouped by /56 so one host
// cannot rotate through its own prefix. Every 429 is logged as a security event.
//
// The counters live in process memory for now: they reset on restart and are not
// shared between instances. A later change moves them to Redis (rate-limit-redis)
// so limits hold across replicas.
import { rateLimit } from 'express-rate-limit';
import { sendError } from './errors.js';

/**
 * @param {import('../config.js').Config} config
 * @param {import('pino').Logger} logger
 */
export function rateLimiter(config, logger) {
  return rateLimit({
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    limit: config.RATE_LIMIT_REQUESTS,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ipv6Subnet: 56,
    // The library's own configuration warnings go to our JSON log, not the console.
    logger: {
      warn: (error, message) => logger.warn({ err: error }, message ?? 'rate limiter warning'),
      error: (error, message) => logger.error({ err: error }, message ?? 'rate limiter error'),
    },
    handler(req, res) {
      req.log.warn(
        { event: 'security.rate_limit_exceeded', ip: req.ip, method: req.method, path: req.path },
        'rate limit exceeded',
      );
      sendError(req, res, 429, 'rate_limited', 'Too many requests, try again later');
    },
  });
}
