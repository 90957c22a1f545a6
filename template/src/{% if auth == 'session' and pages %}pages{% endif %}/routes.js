// Server-rendered pages: a sign-in form and an account page. The same session,
// CSRF check (hidden `_csrf` field), limiter, lockout and argon2id check as the
// API; failures render an HTML page instead of JSON.
//   GET  /login    sign-in form        POST /login   → 303 /account
//   GET  /account  who is signed in    POST /logout  → 303 /login
import express, { Router } from 'express';
import { z } from 'zod';
import { credentials, noInput } from '../auth/credentials.js';
import { classify } from '../middleware/errors.js';
import { asDependencyError } from '../middleware/dependency-errors.js';
import { validate } from '../middleware/validate.js';
import { csrfProtection, csrfToken } from '../session/csrf.js';
import { endSession, startSession } from '../session/user.js';
import { pageSecurityHeaders } from './csp.js';
import { html, layout } from './html.js';

export const PAGE_PATHS = ['/login', '/account', '/logout'];

const loginForm = z.strictObject({ username: z.string(), password: z.string(), _csrf: z.string() });
const logoutForm = z.strictObject({ _csrf: z.string() });

function send(res, status, title, body) {
  res.status(status).type('html').send(layout({ title, nonce: res.locals.nonce, body }));
}

function loginPage(req, res, { status = 200, error, username = '' } = {}) {
  send(
    res,
    status,
    'Sign in',
    html`<h1>Sign in</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${csrfToken(req)}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required maxlength="64" value="${username}" autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required minlength="8" maxlength="128">
<button type="submit">Sign in</button>
</form>`,
  );
}

/**
 * @param {object} deps
 * @param {import('../config.js').Config} deps.config
 * @param {import('express').RequestHandler[]} deps.session session middleware, then the one setting req.user
 * @param {import('../auth/services.js').SignInServices['signIn']} deps.signIn
 * @param {import('express').RequestHandler} deps.loginLimit
 */
export function pagesRoutes({ config, session, signIn, loginLimit }) {
  const router = Router();
  router.use(
    PAGE_PATHS,
    pageSecurityHeaders,
    session,
    // Small urlencoded forms only; `extended: false` parses flat key=value pairs.
    express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 }),
    csrfProtection,
  );

  router.get('/login', validate({ query: noInput }), (req, res) => {
    if (req.user) {
      res.redirect(303, '/account');
      return;
    }
    loginPage(req, res);
  });

  router.post(
    '/login',
    (req, res, next) => {
      const form = loginForm.safeParse(req.body ?? {});
      const parsed = form.success && credentials.safeParse({ username: form.data.username, password: form.data.password });
      if (!parsed?.success) {
        const username = typeof req.body?.username === 'string' ? req.body.username : '';
        loginPage(req, res, { status: 400, error: 'Enter a username and a password of 8 to 128 characters.', username });
        return;
      }
      res.locals.input = { body: parsed.data }; // the login limiter keys on the normalized username
      next();
    },
    loginLimit,
    async (req, res) => {
      const { username } = res.locals.input.body;
      try {
        await startSession(req, await signIn(req, res.locals.input.body));
      } catch (err) {
        const [status, , message] = classify(asDependencyError(err));
        if (status >= 500) throw err;
        if (err.headers) res.set(err.headers);
        loginPage(req, res, { status, error: message, username });
        return;
      }
      res.redirect(303, '/account');
    },
  );

  router.get('/account', validate({ query: noInput }), (req, res) => {
    if (!req.user) {
      res.redirect(303, '/login');
      return;
    }
    const { username, role, createdAt } = req.user;
    send(
      res,
      200,
      'Your account',
      html`<h1>Your account</h1>
<dl>
<dt>Username</dt><dd>${username}</dd>
<dt>Role</dt><dd>${role}</dd>
<dt>Member since</dt><dd>${createdAt.slice(0, 10)}</dd>
</dl>
<form method="post" action="/logout">
<input type="hidden" name="_csrf" value="${csrfToken(req)}">
<button type="submit">Sign out</button>
</form>`,
    );
  });

  router.post('/logout', async (req, res) => {
    if (!logoutForm.safeParse(req.body ?? {}).success) {
      send(res, 400, 'Bad request', html`<h1>Bad request</h1><p><a href="/account">Back</a></p>`);
      return;
    }
    await endSession(req, res, config);
    res.redirect(303, '/login');
  });

  // Failures on these paths (CSRF, rate limit, Redis/PostgreSQL down, bugs) as an
  // HTML page with the same generic messages the API uses. Express recognises
  // error handlers by their four parameters.
  // eslint-disable-next-line no-unused-vars
  router.use(PAGE_PATHS, (err, req, res, next) => {
    const shown = asDependencyError(err);
    const [status, code, message] = classify(shown);
    if (status >= 500) res.err = err;
    res.locals.errorCode = code;
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    if (shown.headers) res.set(shown.headers);
    if (res.locals.nonce === undefined) pageSecurityHeaders(req, res, () => {});
    const body =
      code === 'csrf_failed'
        ? html`<h1>This form has expired or was not sent from this site</h1><p><a href="/login">Reload the page</a> and try again.</p>`
        : html`<h1>${message}</h1>`;
    send(res, status, 'Something went wrong', body);
  });

  return router;
}
