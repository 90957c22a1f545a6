// Composition root: the request pipeline, in order. Each concern lives in its own
// module under middleware/ or routes/; this file only decides the order.
import express from 'express';
import { bodyParsing } from './middleware/body-parsing.js';
import { corsPolicy } from './middleware/cors.js';
import { draining } from './middleware/draining.js';
import { errorHandler, notFound } from './middleware/errors.js';
import { methodGuard } from './middleware/method-guard.js';
import { rateLimiter } from './middleware/rate-limit.js';
import { requestLogging } from './middleware/request-logging.js';
import { securityHeaders } from './middleware/security-headers.js';
import { healthRoutes } from './routes/health.js';
import { notesRoutes } from './routes/notes/index.js';
import { createNoteStore } from './routes/notes/store.js';

const RUNNING = Object.freeze({ isShuttingDown: () => false });

/**
 * Build the Express application (it does not listen; see server.js).
 * @param {object} deps
 * @param {import('./config.js').Config} deps.config
 * @param {import('pino').Logger} deps.logger
 * @param {import('./lifecycle.js').Lifecycle} [deps.lifecycle] readiness state
 * @param {ReturnType<typeof createNoteStore>} [deps.notesStore] repository for /api/v1/notes
 */
export function createApp({ config, logger, lifecycle = RUNNING, notesStore = createNoteStore() }) {
  const app = express();

  // Settings. `env` follows our config (unset NODE_ENV = production), not Express's
  // own default of "development".
  app.set('env', config.NODE_ENV);
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY_HOPS); // a hop count, never `true`
  app.set('query parser', 'simple'); // flat strings (or arrays if repeated); no nested objects

  // 1. Observe: request id + one log line per request, before anything can answer.
  app.use(requestLogging(logger));
  // 2. Protect every response, including the errors produced below.
  app.use(securityHeaders());
  app.use(draining(lifecycle));
  app.use(methodGuard);
  app.use(corsPolicy(config));
  // 3. Probes: constant-cost, not rate limited so an attack cannot get the instance killed.
  app.use(healthRoutes(lifecycle));
  // 4. Everything else is rate limited, then parsed and validated.
  app.use(rateLimiter(config, logger));
  app.use(bodyParsing(config));
  app.use('/api/v1/notes', notesRoutes({ store: notesStore }));
  // 5. Nothing matched / something failed: the same JSON error shape, always.
  app.use(notFound);
  app.use(errorHandler);

  return app;
}
