// Registration, shared by both sign-in schemes. New accounts get the role 'user'.
// (A taken username is reported: registration cannot hide which names exist
// without an out-of-band channel such as e-mail verification; it is rate limited
// like sign-in.)
import { HttpError } from '../middleware/errors.js';
import { hashPassword } from './passwords.js';

/** @param {{ users: import('../db/users.js').UserRepository }} deps */
export function registerHandler({ users }) {
  return async function register(req, res) {
    const { username, password } = res.locals.input.body;
    const user = await users.create({ username, passwordHash: await hashPassword(password) });
    if (user === null) throw new HttpError(409, 'username_taken', 'This username is not available');
    req.log.info({ event: 'user_registered', userId: user.id }, 'user registered');
    res.status(201).json({ user });
  };
}
