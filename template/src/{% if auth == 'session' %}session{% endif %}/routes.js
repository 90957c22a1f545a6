// Session sign-in API under /api/v1. The session and CSRF middleware run first
// (see app.js), so every POST here needs the X-CSRF-Token header:
//   GET  /csrf-token      → { csrfToken }  (starts an anonymous session)
//   POST /auth/register   { username, password } → 201 { user }
//   POST /auth/login      { username, password } → { user, csrfToken }  (new session id)
//   POST /auth/logout     → 204  (session destroyed)
import { Router } from 'express';
import { credentials, noInput } from '../auth/credentials.js';
import { registerHandler } from '../auth/register.js';
import { validate } from '../middleware/validate.js';
import { csrfToken } from './csrf.js';
import { endSession, startSession } from './user.js';

/**
 * @param {object} deps
 * @param {import('../config.js').Config} deps.config
 * @param {import('../db/users.js').UserRepository} deps.users
 * @param {import('../auth/services.js').SignInServices['signIn']} deps.signIn
 * @param {import('express').RequestHandler} deps.loginLimit
 */
export function sessionRoutes({ config, users, signIn, loginLimit }) {
  const router = Router();

  router.get('/csrf-token', validate({ query: noInput }), (req, res) => {
    res.json({ csrfToken: csrfToken(req) });
  });

  router.post('/auth/register', validate({ body: credentials }), loginLimit, registerHandler({ users }));

  router.post('/auth/login', validate({ body: credentials }), loginLimit, async (req, res) => {
    const user = await signIn(req, res.locals.input.body);
    const token = await startSession(req, user);
    res.json({ user, csrfToken: token });
  });

  router.post('/auth/logout', validate({ body: noInput.optional() }), async (req, res) => {
    await endSession(req, res, config);
    res.status(204).end();
  });

  return router;
}
