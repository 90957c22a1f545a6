// CSRF protection for every state-changing request that carries the session
// cookie, in two layers:
// 1. Fetch metadata: a browser marks a request sent from another site with
//    Sec-Fetch-Site: cross-site (or same-site, from a sibling subdomain); those are
//    refused outright for POST/PUT/PATCH/DELETE.
// 2. A synchronizer token (csrf-sync): a random token kept in the server-side
//    session, sent back by the client in the X-CSRF-Token header (API) or a hidden
//    `_csrf` form field (pages). csrf-sync rather than csrf-csrf because the
//    sessions already live in Redis: the token needs no second cookie, no
//    cookie-parser and no signing key, and it is replaced whenever the session
//    is (at sign-in) and gone when it is destroyed (at sign-out).
import { csrfSync } from 'csrf-sync';
import { HttpError } from '../middleware/errors.js';
import { securityEvent } from '../security-events.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FOREIGN_SITES = new Set(['cross-site', 'same-site']);

const { generateToken, isRequestValid } = csrfSync({
  getTokenFromRequest: (req) => {
    const header = req.get('x-csrf-token');
    if (header !== undefined) return header;
    return typeof req.body?._csrf === 'string' ? req.body._csrf : undefined;
  },
  size: 32,
});

/**
 * The session's CSRF token, created on first use.
 * @param {import('express').Request} req
 * @param {boolean} [renew] replace it (after sign-in)
 */
export function csrfToken(req, renew = false) {
  return generateToken(req, renew);
}

/** Mount after the session middleware (and, for forms, after the form parser). */
export function csrfProtection(req, res, next) {
  if (!STATE_CHANGING.has(req.method)) {
    next();
    return;
  }
  const site = req.get('sec-fetch-site');
  const reason = FOREIGN_SITES.has(site) ? `sec-fetch-site: ${site}` : isRequestValid(req) ? null : 'missing or invalid token';
  if (reason === null) {
    next();
    return;
  }
  securityEvent(req, 'csrf_failure', { reason });
  next(new HttpError(403, 'csrf_failed', 'CSRF check failed: send the X-CSRF-Token header from GET /api/v1/csrf-token'));
}
