// Authorization guards, mounted on whole route prefixes so a route added under
// them is protected by default. They read req.user, set by the authentication
// middleware of this service's sign-in scheme; no user → 401, wrong role → 403.
import { HttpError } from '../middleware/errors.js';
import { securityEvent } from '../security-events.js';

export function requireUser(req, res, next) {
  if (req.user) {
    next();
    return;
  }
  securityEvent(req, 'authz_failure', { reason: 'unauthenticated' });
  next(new HttpError(401, 'unauthenticated', 'Authentication required'));
}

/** @param {'user' | 'admin'} role */
export function requireRole(role) {
  return function checkRole(req, res, next) {
    if (!req.user) {
      requireUser(req, res, next);
      return;
    }
    if (req.user.role === role) {
      next();
      return;
    }
    securityEvent(req, 'authz_failure', { reason: 'role', required: role, userId: req.user.id });
    next(new HttpError(403, 'forbidden', 'You do not have access to this resource'));
  };
}
