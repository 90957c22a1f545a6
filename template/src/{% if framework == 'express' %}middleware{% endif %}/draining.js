// While the process is shutting down, ask clients to drop keep-alive
// connections so in-flight requests finish and the server can close promptly.

/** @param {import('../lifecycle.js').Lifecycle} lifecycle */
export function draining(lifecycle) {
  return function closeWhenDraining(req, res, next) {
    if (lifecycle.isShuttingDown()) res.setHeader('Connection', 'close');
    next();
  };
}
