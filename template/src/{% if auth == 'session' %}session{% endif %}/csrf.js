// Shared, framework-free: the CSRF policy every session framework applies.
//   needsCsrfCheck(method) → boolean               POST/PUT/PATCH/DELETE carrying the session cookie
//   foreignSiteReason(secFetchSite) → string | null  refused outright by fetch metadata, or null
//   csrfFailure() → HttpError (403 csrf_failed)
// Two layers: fetch metadata first (a browser marks a request sent from another
// site with Sec-Fetch-Site: cross-site, or same-site from a sibling subdomain),
// then a synchronizer token kept in the server-side session (the framework's
// own maintained library: csrf-sync for Express, @fastify/csrf-protection for Fastify).
import { HttpError } from '../errors.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FOREIGN_SITES = new Set(['cross-site', 'same-site']);

/** @param {string} method */
export const needsCsrfCheck = (method) => STATE_CHANGING.has(method);

/** @param {string | undefined} site the Sec-Fetch-Site header */
export const foreignSiteReason = (site) => (FOREIGN_SITES.has(site) ? `sec-fetch-site: ${site}` : null);

export const csrfFailure = () =>
  new HttpError(403, 'csrf_failed', 'CSRF check failed: send the X-CSRF-Token header from GET /api/v1/csrf-token');
