// Shared, framework-free: createRegistration({ users }) → register(log, { username, password }) → User.
// Registration, shared by both sign-in schemes. New accounts get the role 'user'.
// (A taken username is reported, 409: registration cannot hide which names exist
// without an out-of-band channel such as e-mail verification; it is rate limited
// like sign-in.)
import { HttpError } from '../errors.js';
import { hashPassword } from './passwords.js';

/** @param {{ users: import('../db/users.js').UserRepository }} deps */
export function createRegistration({ users }) {
  /**
   * @param {import('pino').Logger} log the request's logger
   * @param {{ username: string, password: string }} credentials validated, username normalized
   */
  return async function register(log, { username, password }) {
    const user = await users.create({ username, passwordHash: await hashPassword(password) });
    if (user === null) throw new HttpError(409, 'username_taken', 'This username is not available');
    log.info({ event: 'user_registered', userId: user.id }, 'user registered');
    return user;
  };
}
