// Shared, framework-free: what the pages accept.
//   PAGE_PATHS                                   the page routes (/login, /account, /logout)
//   parseSignInForm(body) → { credentials } | { error, username }  urlencoded sign-in form → validated credentials
//   isSignOutForm(body) → boolean
// The forms carry the CSRF token in a hidden `_csrf` field; unknown fields are refused.
import { z } from 'zod';
import { credentials } from '../auth/credentials.js';

export const PAGE_PATHS = ['/login', '/account', '/logout'];

const loginForm = z.strictObject({ username: z.string(), password: z.string(), _csrf: z.string() });
const logoutForm = z.strictObject({ _csrf: z.string() });

/**
 * @param {unknown} body the parsed form (undefined when there was none)
 * @returns {{ credentials: { username: string, password: string } } | { error: string, username: string }}
 *   credentials: validated, username normalized; else the error to show and the username to fill in again
 */
export function parseSignInForm(body) {
  const form = loginForm.safeParse(body ?? {});
  const parsed = form.success && credentials.safeParse({ username: form.data.username, password: form.data.password });
  if (parsed?.success) return { credentials: parsed.data };
  const username = typeof body?.username === 'string' ? body.username : '';
  return { error: 'Enter a username and a password of 8 to 128 characters.', username };
}

/** @param {unknown} body */
export const isSignOutForm = (body) => logoutForm.safeParse(body ?? {}).success;
