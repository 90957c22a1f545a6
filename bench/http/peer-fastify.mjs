// Hand-built Fastify 5 peer (see peer-common.mjs): @fastify/helmet, @fastify/cors,
// @fastify/rate-limit with Redis (ioredis, as its docs require), Fastify's own pino with
// redaction, @fastify/cookie + @fastify/session with connect-redis (a store with the
// get/set/destroy interface @fastify/session documents; signed cookie, rolling) on the
// session routes, and zod-validated, owner-scoped GET /api/v1/notes and GET /api/v1/me
// reading PostgreSQL (bare-common.mjs) as the service does.
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import { RedisStore as SessionStore } from 'connect-redis';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { findUser, listNotes, memoryNotesBody, port, unauthenticated, userId } from './bare-common.mjs';
import { invalid, limit, listNotesQuery, loginPath, memoryNotesQuery, origins, redact, redisUrl, session } from './peer-common.mjs';

const sessionRedis = createClient({ url: redisUrl });
sessionRedis.on('error', (err) => console.error('redis:', err.message)); // node-redis: an unhandled 'error' ends the process
await sessionRedis.connect();

// The TLS proxy's address (Fastify 5.12 trusts nobody for a bare hop count).
const app = Fastify({ logger: { redact }, trustProxy: '127.0.0.1', bodyLimit: 100 * 1024 });
await app.register(helmet);
await app.register(cors, { origin: origins });
await app.register(rateLimit, {
  max: limit.max,
  timeWindow: limit.windowMs,
  redis: new Redis(redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1 }),
});
app.get('/api/v1/memory-notes', (request, reply) => {
  const query = memoryNotesQuery.safeParse(request.query);
  if (!query.success) return reply.code(400).send(invalid(query.error));
  return memoryNotesBody;
});
// The session routes, in their own context: only they read the cookie and Redis.
await app.register(async (scope) => {
  await scope.register(cookie);
  await scope.register(fastifySession, {
    cookieName: session.cookieName,
    secret: session.secret,
    store: new SessionStore({ client: sessionRedis, prefix: session.prefix }),
    saveUninitialized: false,
    rolling: true,
    cookie: session.cookie,
  });
  const requireUser = async (request, reply) => {
    if (typeof request.session.get('userId') !== 'string') return reply.code(401).send(unauthenticated);
  };
  scope.post(loginPath, async (request, reply) => {
    await request.session.regenerate();
    request.session.set('userId', userId);
    return reply.code(204).send();
  });
  scope.get('/api/v1/notes', { preHandler: requireUser }, async (request, reply) => {
    const query = listNotesQuery.safeParse(request.query);
    if (!query.success) return reply.code(400).send(invalid(query.error));
    return listNotes(request.session.get('userId'), query.data.limit, query.data.cursor ?? null);
  });
  scope.get('/api/v1/me', { preHandler: requireUser }, async (request, reply) => {
    const found = await findUser(request.session.get('userId'));
    if (found === null) return reply.code(401).send(unauthenticated);
    return found;
  });
});
await app.listen({ port, host: '127.0.0.1' });
