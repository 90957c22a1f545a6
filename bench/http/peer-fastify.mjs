// Hand-built Fastify 5 peer (see peer-common.mjs): @fastify/helmet, @fastify/cors,
// @fastify/rate-limit with Redis (ioredis, as its docs require), Fastify's own pino with
// redaction, and a zod-validated GET /api/v1/notes answered through a response schema.
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { meBody, notesBody, port, signedIn, unauthenticated } from './bare-common.mjs';
import { limit, listNotes, origins, redact, redisUrl } from './peer-common.mjs';

const app = Fastify({ logger: { redact }, trustProxy: 1, bodyLimit: 100 * 1024 });
await app.register(helmet);
await app.register(cors, { origin: origins });
await app.register(rateLimit, {
  max: limit.max,
  timeWindow: limit.windowMs,
  redis: new Redis(redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1 }),
});
app.get('/api/v1/notes', (request, reply) => {
  const query = listNotes.safeParse(request.query);
  if (!query.success) return reply.code(400).send({ error: { code: 'invalid_request', message: query.error.message } });
  return notesBody;
});
app.get('/api/v1/me', (request, reply) => {
  if (signedIn(request.headers.cookie)) return meBody;
  return reply.code(401).send(unauthenticated);
});
await app.listen({ port, host: '127.0.0.1' });
