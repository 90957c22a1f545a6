// The Content-Security-Policy of HTML pages: a fresh random nonce per response
// for the page's own inline <style> and <script>, nothing else may load or run,
// forms post only to this origin, and the page cannot be framed. No
// 'unsafe-inline'. (API responses keep the strict policy of security-headers.js.)
import { randomBytes } from 'node:crypto';

/** @param {string} nonce */
export function pagePolicy(nonce) {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** Sets res.locals.nonce and the page policy (replacing the API one). */
export function pageSecurityHeaders(req, res, next) {
  const nonce = randomBytes(16).toString('base64');
  res.locals.nonce = nonce;
  res.setHeader('Content-Security-Policy', pagePolicy(nonce));
  next();
}
