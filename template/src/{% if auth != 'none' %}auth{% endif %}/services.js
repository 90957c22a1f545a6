// Shared, framework-free: signInServices({ config, redis, db }) → { users, signIn, register },
// what every sign-in route needs, built once per app: the user repository, the
// password check (lockout + argon2id, see sign-in.js) and registration. The
// strict login limiter is the web framework's (Express: middleware/login-limiter.js,
// Fastify: plugins/rate-limit.js).
import { createUserRepository } from '../db/users.js';
import { createLockout } from './lockout.js';
import { createRegistration } from './register.js';
import { createSignIn } from './sign-in.js';

/**
 * @param {object} deps
 * @param {import('../config.js').Config} deps.config
 * @param {import('redis').RedisClientType} deps.redis
 * @param {import('pg').Pool} deps.db
 */
export function signInServices({ config, redis, db }) {
  const users = createUserRepository(db);
  return {
    users,
    signIn: createSignIn({ users, lockout: createLockout({ redis, config }) }),
    register: createRegistration({ users }),
  };
}

/** @typedef {ReturnType<typeof signInServices>} SignInServices */
