// Shared, framework-free: createLifecycle(), installCrashHandlers(logger),
// installSignalHandlers({ server, lifecycle, logger, timeoutMs, closeResources? }), exitProcess(code).
// Process lifecycle: readiness state, graceful shutdown on SIGTERM/SIGINT, and
// crash handling. A crash is never survived: state may be corrupt, so we log
// it and exit non-zero for the supervisor (Docker, systemd, Kubernetes) to restart.

/**
 * The one place the process is ended on purpose: after a crash or a finished
 * (or timed-out) shutdown there is nothing left to unwind.
 * @param {number} code
 */
export function exitProcess(code) {
  // eslint-disable-next-line n/no-process-exit -- deliberate: see above
  process.exit(code);
}

/** @typedef {ReturnType<typeof createLifecycle>} Lifecycle */

export function createLifecycle() {
  let shuttingDown = false;
  return {
    isShuttingDown: () => shuttingDown,
    beginShutdown: () => {
      shuttingDown = true;
    },
  };
}

/** @param {import('pino').Logger} logger */
export function installCrashHandlers(logger) {
  process.on('uncaughtException', (err, origin) => {
    logger.fatal({ err, origin }, 'uncaught exception; exiting');
    exitProcess(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection; exiting');
    exitProcess(1);
  });
}

/**
 * Stop accepting connections, let in-flight requests finish, close the
 * connections to backing services, then exit 0; exit 1 if all that takes longer
 * than timeoutMs or a second signal arrives.
 * @param {object} options
 * @param {import('node:http').Server} options.server
 * @param {Lifecycle} options.lifecycle
 * @param {import('pino').Logger} options.logger
 * @param {number} options.timeoutMs
 * @param {() => Promise<void>} [options.closeResources] e.g. close Redis and the database pool
 */
export function installSignalHandlers({ server, lifecycle, logger, timeoutMs, closeResources = async () => {} }) {
  const shutdown = (signal) => {
    if (lifecycle.isShuttingDown()) {
      logger.warn({ signal }, 'second signal during shutdown; exiting now');
      exitProcess(1);
    }
    lifecycle.beginShutdown(); // /readyz now answers 503
    logger.info({ signal, timeoutMs }, 'shutting down: refusing new connections, draining in-flight requests');

    const deadline = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out with requests still in flight; forcing exit');
      exitProcess(1);
    }, timeoutMs);
    deadline.unref();

    // Keep-alive connections whose request finished after this point would sit
    // idle until keepAliveTimeout; close them as soon as they go quiet.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    sweep.unref();

    server.close(async (err) => {
      clearInterval(sweep);
      // No request is left that could need them: close backing-service connections.
      let closeError;
      try {
        await closeResources();
      } catch (error) {
        closeError = error;
      }
      clearTimeout(deadline);
      if (err || closeError) {
        logger.error({ err: err ?? closeError }, 'error while shutting down');
        exitProcess(1);
        return;
      }
      logger.info('shutdown complete');
      exitProcess(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
