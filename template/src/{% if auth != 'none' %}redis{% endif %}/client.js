// Shared, framework-free: createRedis({ url, logger }) → client, closeRedis(client), reconnectDelay(retries).
// The Redis client (node-redis). One per process, shared by sessions, rate limits,
// lockouts and revocations. It never gives up reconnecting, and while it is away
// every command fails at once (no offline queue), so a request needing Redis gets
// a 503 instead of hanging, and the service recovers by itself when Redis is back.
import { createClient } from 'redis';

const MAX_RECONNECT_DELAY_MS = 2000;

/**
 * Retry forever with exponential backoff (50 ms, 100 ms, ... capped) plus jitter,
 * whatever the cause: giving up would leave a process that needs a restart.
 * @param {number} retries
 */
export function reconnectDelay(retries) {
  return Math.min(50 * 2 ** Math.min(retries, 10), MAX_RECONNECT_DELAY_MS) + Math.floor(Math.random() * 100);
}

/**
 * Create the client and start connecting in the background; it is usable as soon as
 * it is ready (see `isReady`). Outages are logged once when they start and once when they end.
 * @param {object} options
 * @param {string} options.url
 * @param {import('pino').Logger} options.logger
 */
export function createRedis({ url, logger }) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: reconnectDelay },
  });
  let healthy = true;
  // Without an 'error' listener a lost connection would crash the process.
  client.on('error', (err) => {
    if (!healthy) return;
    healthy = false;
    logger.warn({ err, dependency: 'redis' }, 'redis unavailable; reconnecting');
  });
  client.on('ready', () => {
    if (!healthy) logger.info({ dependency: 'redis' }, 'redis available again');
    healthy = true;
  });
  // Resolves once connected (retrying meanwhile); rejects only if the client is closed first.
  client.connect().catch(() => {});
  return client;
}

/**
 * Close the connection (graceful when connected, immediate otherwise).
 * @param {ReturnType<typeof createRedis> | undefined} client
 */
export async function closeRedis(client) {
  if (!client?.isOpen) return;
  if (!client.isReady) {
    client.destroy();
    return;
  }
  try {
    await client.close();
  } catch {
    client.destroy();
  }
}
