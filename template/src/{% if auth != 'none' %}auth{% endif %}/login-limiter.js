// The strict limiter in front of sign-in and registration: per client IP *and*
// username, counted in Redis. One IP spraying many usernames is held by the
// general limiter; many IPs on one username are held by the account lockout.
import { ipKeyGenerator } from 'express-rate-limit';
import { createLimiter } from '../middleware/rate-limit.js';
import { createRateLimitStore } from '../redis/rate-limit-store.js';

/**
 * Mount after validation: the key uses the validated, normalized username.
 * @param {object} options
 * @param {import('../config.js').Config} options.config
 * @param {import('pino').Logger} options.logger
 * @param {import('redis').RedisClientType} options.redis
 */
export function loginRateLimiter({ config, logger, redis }) {
  return createLimiter({
    name: 'login',
    windowMs: config.LOGIN_RATE_LIMIT_WINDOW_MS,
    limit: config.LOGIN_RATE_LIMIT_REQUESTS,
    logger,
    store: createRateLimitStore(redis, `${config.REDIS_KEY_PREFIX}rl:login:`),
    keyGenerator: (req, res) => `${ipKeyGenerator(req.ip ?? '', 56)}|${res.locals.input?.body?.username ?? ''}`,
  });
}
