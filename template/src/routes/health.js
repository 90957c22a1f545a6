// Probes for the orchestrator. Liveness says the process is up; readiness says
// it should get traffic: 503 as soon as shutdown starts (so a load balancer stops
// sending new requests while in-flight ones drain) and while a backing service
// it needs is unreachable. Dependency checks are cached for a second, so probing
// /readyz in a loop costs the databases at most one ping per second.
import { Router } from 'express';
import { sendError } from '../middleware/errors.js';

const CHECK_TIMEOUT_MS = 1500;
const CACHE_MS = 1000;

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * @param {import('../lifecycle.js').Lifecycle} lifecycle
 * @param {import('pino').Logger} [logger]
 * @param {{ name: string, check: () => Promise<unknown> }[]} [dependencies] e.g. Redis PING, SELECT 1
 */
export function healthRoutes(lifecycle, logger, dependencies = []) {
  let cached = { at: -Infinity, failing: Promise.resolve([]) };
  const failingDependencies = () => {
    const now = Date.now();
    if (now - cached.at >= CACHE_MS) {
      cached = {
        at: now,
        failing: Promise.all(
          dependencies.map(({ name, check }) =>
            withTimeout(Promise.resolve().then(check), CHECK_TIMEOUT_MS).then(
              () => null,
              (err) => {
                logger?.warn({ err, dependency: name }, 'readiness check failed');
                return name;
              },
            ),
          ),
        ).then((names) => names.filter(Boolean)),
      };
    }
    return cached.failing;
  };

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
