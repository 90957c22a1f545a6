// Probes for the orchestrator. Liveness says the process is up; readiness says
// it should get traffic, and turns 503 as soon as shutdown starts so a load
// balancer stops sending new requests while in-flight ones drain.
import { Router } from 'express';
import { sendError } from '../middleware/errors.js';

/** @param {import('../lifecycle.js').Lifecycle} lifecycle */
export function healthRoutes(lifecycle) {
  const router = Router();
  router.get('/healthz', (req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (req, res) => {
    if (lifecycle.isShuttingDown()) {
      sendError(req, res, 503, 'shutting_down', 'Service is shutting down');
      return;
    }
    res.json({ status: 'ready' });
  });
  return router;
}
