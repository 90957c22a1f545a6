// Only the methods the API uses reach the router. TRACE/TRACK (cross-site
// tracing) and WebDAV-style verbs get 405 before any other work is done.
import { HttpError } from '../errors.js';

const ALLOWED = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const ALLOW_HEADER = [...ALLOWED].join(', ');

export function methodGuard(req, res, next) {
  if (ALLOWED.has(req.method)) {
    next();
    return;
  }
  next(new HttpError(405, 'method_not_allowed', 'Method not allowed', { headers: { Allow: ALLOW_HEADER } }));
}
