// Response headers for a JSON API (helmet 8). Mounted before anything that can
// answer, so 404s, 405s, 429s and errors carry them too.
import helmet from 'helmet';

const headers = helmet({
  // An API serves no documents: nothing may load, frame, or submit anywhere.
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
    },
  },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  xContentTypeOptions: true,
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  xFrameOptions: { action: 'deny' },
  xPoweredBy: true, // removes the header (app.js also disables it at the source)
});

function noStore(req, res, next) {
  // API answers are per-request data: keep them out of shared and browser caches.
  res.setHeader('Cache-Control', 'no-store');
  next();
}

export function securityHeaders() {
  return [headers, noStore];
}
