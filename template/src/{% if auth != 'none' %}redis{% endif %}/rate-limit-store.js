// Rate-limit counters in Redis (rate-limit-redis), shared by every instance.
import { RedisStore } from 'rate-limit-redis';

// rate-limit-redis loads its Lua scripts once, when the limiter is created. If Redis
// is down at that moment the stored promise stays rejected and every later call would
// fail even after Redis is back; this subclass retries a failed load on the next use.
class RecoveringRedisStore extends RedisStore {
  async increment(key) {
    this.incrementScriptSha = Promise.resolve(this.incrementScriptSha).catch(() => this.loadIncrementScript());
    return super.increment(key);
  }

  async get(key) {
    this.getScriptSha = Promise.resolve(this.getScriptSha).catch(() => this.loadGetScript());
    return super.get(key);
  }
}

/**
 * @param {import('redis').RedisClientType} redis
 * @param {string} prefix e.g. "svc:rl:general:"
 */
export function createRateLimitStore(redis, prefix) {
  return new RecoveringRedisStore({ sendCommand: (...args) => redis.sendCommand(args), prefix });
}
