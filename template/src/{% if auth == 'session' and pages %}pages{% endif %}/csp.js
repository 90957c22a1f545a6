// Shared, framework-free: createNonce() → base64 string, pagePolicy(nonce) → Content-Security-Policy value.
// The policy of HTML pages: a fresh random nonce per response for the page's own
// inline <style> and <script>, nothing else may load or run, forms post only to
// this origin, and the page cannot be framed. No 'unsafe-inline'. (API responses
// keep the strict policy of the security headers.)
import { randomBytes } from 'node:crypto';

export const createNonce = () => randomBytes(16).toString('base64');

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
