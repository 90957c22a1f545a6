// Cross-origin access from an allowlist (CORS_ORIGINS). An origin that is not
// listed gets no Access-Control-Allow-Origin header, so browsers block it.
// Never '*', never credentials: cookies are not sent cross-origin.
import cors from 'cors';

/** @param {import('../config.js').Config} config */
export function corsPolicy(config) {
  const allowed = new Set(config.CORS_ORIGINS);
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type', 'Authorization', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id', 'RateLimit', 'RateLimit-Policy', 'Retry-After'],
    maxAge: 600,
  });
}
