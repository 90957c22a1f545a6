// What every sign-in route needs, built once per app: the user repository, the
// password check (lockout + argon2id, see sign-in.js) and the strict limiter.
import { createUserRepository } from '../db/users.js';
import { createLockout } from './lockout.js';
import { loginRateLimiter } from './login-limiter.js';
import { createSignIn } from './sign-in.js';

/**
 * @param {object} deps
 * @param {import('../config.js').Config} deps.config
 * @param {import('pino').Logger} deps.logger
 * @param {import('redis').RedisClientType} deps.redis
 * @param {import('pg').Pool} deps.db
 */
export function signInServices({ config, logger, redis, db }) {
  const users = createUserRepository(db);
  return {
    users,
    signIn: createSignIn({ users, lockout: createLockout({ redis, config }) }),
    loginLimit: loginRateLimiter({ config, logger, redis }),
  };
}

/** @typedef {ReturnType<typeof signInServices>} SignInServices */
