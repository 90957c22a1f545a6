// Probes for the orchestrator. Liveness says the process is up; readiness says
// it should get traffic: 503 as soon as shutdown starts (so a load balancer stops
// sending new requests while in-flight ones drain) and while a backing service
// it needs is unreachable (checks cached, see ../readiness.js).
import { Router } from 'express';
import { sendError } from '../middleware/errors.js';
import { createReadinessCheck } from '../readiness.js';

/**
 * @param {import('../lifecycle.js').Lifecycle} lifecycle
 * @param {import('pino').Logger} [logger]
 * @param {{ name: string, check: () => Promise<unknown> }[]} [dependencies] e.g. Redis PING, SELECT 1
 */
export function healthRoutes(lifecycle, logger, dependencies = []) {
  const failingDependencies = createReadinessCheck(dependencies, logger);

  const router = Router();
  router.get('/healthz', (req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    if (lifecycle.isShuttingDown()) {
      sendError(req, res, 503, 'shutting_down', 'Service is shutting down');
      return;
    }
    if ((await failingDependencies()).length > 0) {
      sendError(req, res, 503, 'dependency_unavailable', 'A service this instance needs is unavailable');
      return;
    }
    res.json({ status: 'ready' });
  });
  return router;
}
