// Shared, framework-free: createLockout({ redis, config }) → { remainingSeconds, recordFailure, reset }.
// Per-account lockout with exponential backoff, counted in Redis so it holds
// across instances. It is keyed by the normalized username whether or not that
// account exists: a lockout answer must not reveal which usernames are real.
// After LOCKOUT_THRESHOLD consecutive failures the account is locked for
// LOCKOUT_BASE_SECONDS, then twice as long after each further failure, up to
// LOCKOUT_MAX_SECONDS. A successful sign-in resets the count.

// Failures are forgotten a day after the last one.
const FAILURE_MEMORY_SECONDS = 86_400;

/**
 * @param {object} options
 * @param {import('redis').RedisClientType} options.redis
 * @param {import('../config.js').Config} options.config
 */
export function createLockout({ redis, config }) {
  const failuresKey = (username) => `${config.REDIS_KEY_PREFIX}lockout:failures:${username}`;
  const lockKey = (username) => `${config.REDIS_KEY_PREFIX}lockout:locked:${username}`;

  return {
    /** Seconds until the account may try again; 0 when it is not locked. */
    async remainingSeconds(username) {
      const ms = await redis.pTTL(lockKey(username));
      return ms > 0 ? Math.ceil(ms / 1000) : 0;
    },

    /**
     * Count a failure; lock when the threshold is reached.
     * @returns {Promise<{ failures: number, lockedForSeconds: number }>}
     */
    async recordFailure(username) {
      const [failures] = await redis
        .multi()
        .incr(failuresKey(username))
        .expire(failuresKey(username), FAILURE_MEMORY_SECONDS)
        .exec();
      const count = Number(failures);
      if (count < config.LOCKOUT_THRESHOLD) return { failures: count, lockedForSeconds: 0 };
      const doublings = Math.min(count - config.LOCKOUT_THRESHOLD, 30);
      const seconds = Math.min(config.LOCKOUT_BASE_SECONDS * 2 ** doublings, config.LOCKOUT_MAX_SECONDS);
      await redis.set(lockKey(username), String(count), { expiration: { type: 'EX', value: seconds } });
      return { failures: count, lockedForSeconds: seconds };
    },

    async reset(username) {
      await redis.del([failuresKey(username), lockKey(username)]);
    },
  };
}

/** @typedef {ReturnType<typeof createLockout>} Lockout */
