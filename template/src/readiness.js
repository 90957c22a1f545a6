// Shared, framework-free: the dependency half of the readiness probe.
//   createReadinessCheck(dependencies, logger?) → () => Promise<string[]>  names of the dependencies failing now
// Each check gets CHECK_TIMEOUT_MS; results are cached for CACHE_MS, so probing
// /readyz in a loop costs the databases at most one ping per second.

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
 * @param {{ name: string, check: () => Promise<unknown> }[]} dependencies e.g. Redis PING, SELECT 1
 * @param {import('pino').Logger} [logger] a failing check is logged as a warning
 */
export function createReadinessCheck(dependencies, logger) {
  let cached = { at: -Infinity, failing: Promise.resolve([]) };
  return function failingDependencies() {
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
}
