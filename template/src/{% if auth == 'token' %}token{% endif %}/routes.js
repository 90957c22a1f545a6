// Token sign-in API under /api/v1/auth (no cookies, so no CSRF):
//   POST /register  { username, password } → 201 { user }
//   POST /token     { username, password } → { accessToken, tokenType: "Bearer", expiresIn }
//   POST /revoke    (Authorization: Bearer …) → 204, the token is refused from now on
import { Router } from 'express';
import { credentials, noInput } from '../auth/credentials.js';
import { registerHandler } from '../auth/register.js';
import { validate } from '../middleware/validate.js';

/**
 * @param {object} deps
 * @param {import('../db/users.js').UserRepository} deps.users
 * @param {import('./tokens.js').TokenService} deps.tokens
 * @param {import('../auth/services.js').SignInServices['signIn']} deps.signIn
 * @param {import('express').RequestHandler} deps.loginLimit
 * @param {import('express').RequestHandler} deps.authenticate bearer authentication
 */
export function tokenRoutes({ users, tokens, signIn, loginLimit, authenticate }) {
  const router = Router();

  router.post('/register', validate({ body: credentials }), loginLimit, registerHandler({ users }));

  router.post('/token', validate({ body: credentials }), loginLimit, async (req, res) => {
    const user = await signIn(req, res.locals.input.body);
    res.json(await tokens.issue(user));
  });

  router.post('/revoke', authenticate, validate({ body: noInput.optional() }), async (req, res) => {
    await tokens.revoke(res.locals.token);
    req.log.info({ event: 'token_revoked', userId: req.user.id, jti: res.locals.token.jti }, 'access token revoked');
    res.status(204).end();
  });

  return router;
}
