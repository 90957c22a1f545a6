// Entry point: validate config, build the app, listen, and wire up the process
// lifecycle. Everything it uses is importable (and tested) on its own.
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createHttpServer } from './http-server.js';
import { createLifecycle, exitProcess, installCrashHandlers, installSignalHandlers } from './lifecycle.js';
import { createLogger } from './logger.js';

function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // One clear line naming the bad key; a stack trace would only hide it.
    createLogger().fatal(err.message);
    process.exitCode = 1;
    return;
  }

  const logger = createLogger({ level: config.LOG_LEVEL });
  installCrashHandlers(logger);
  for (const warning of config.warnings) logger.warn(warning);

  const lifecycle = createLifecycle();
  const server = createHttpServer(createApp({ config, logger, lifecycle }));
  installSignalHandlers({ server, lifecycle, logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });

  server.on('error', (err) => {
    logger.fatal({ err }, 'server failed to start');
    exitProcess(1);
  });
  server.listen(config.PORT, config.HOST, () => {
    const { address, port } = server.address();
    logger.info({ address, port, env: config.NODE_ENV }, 'listening');
  });
}

main();
