// Shared, framework-free: every page as a complete HTML string, so each web
// framework serves identical pages. `nonce` is the one in the response's
// Content-Security-Policy; `csrfToken` goes into the form's hidden `_csrf` field.
//   signInPage({ nonce, csrfToken, error?, username? })
//   accountPage({ nonce, csrfToken, user })
//   badRequestPage({ nonce })
//   errorPage({ nonce, code, message })  code/message from classify() (../errors.js)
import { html, layout } from './html.js';

/**
 * @param {object} page
 * @param {string} page.nonce
 * @param {string} page.csrfToken
 * @param {string} [page.error] shown above the form
 * @param {string} [page.username] filled in again
 */
export function signInPage({ nonce, csrfToken, error, username = '' }) {
  return layout({
    title: 'Sign in',
    nonce,
    body: html`<h1>Sign in</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${csrfToken}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required maxlength="64" value="${username}" autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required minlength="8" maxlength="128">
<button type="submit">Sign in</button>
</form>`,
  });
}

/**
 * @param {object} page
 * @param {string} page.nonce
 * @param {string} page.csrfToken
 * @param {import('../db/users.js').User} page.user
 */
export function accountPage({ nonce, csrfToken, user: { username, role, createdAt } }) {
  return layout({
    title: 'Your account',
    nonce,
    body: html`<h1>Your account</h1>
<dl>
<dt>Username</dt><dd>${username}</dd>
<dt>Role</dt><dd>${role}</dd>
<dt>Member since</dt><dd>${createdAt.slice(0, 10)}</dd>
</dl>
<form method="post" action="/logout">
<input type="hidden" name="_csrf" value="${csrfToken}">
<button type="submit">Sign out</button>
</form>`,
  });
}

/** @param {{ nonce: string }} page */
export function badRequestPage({ nonce }) {
  return layout({ title: 'Bad request', nonce, body: html`<h1>Bad request</h1><p><a href="/account">Back</a></p>` });
}

/**
 * A failure (CSRF, rate limit, Redis/PostgreSQL down, bugs) with the same generic
 * message the API uses.
 * @param {{ nonce: string, code: string, message: string }} page
 */
export function errorPage({ nonce, code, message }) {
  const body =
    code === 'csrf_failed'
      ? html`<h1>This form has expired or was not sent from this site</h1><p><a href="/login">Reload the page</a> and try again.</p>`
      : html`<h1>${message}</h1>`;
  return layout({ title: 'Something went wrong', nonce, body });
}
