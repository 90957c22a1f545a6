// Express layer costs: a bare Express app with the generated service's OWN middleware
// modules (imported from the rendered project's src/, never copied) mounted one more
// at a time, in createApp's order, in front of GET /api/v1/notes.
//
//   node --env-file=.env /path/to/layers.mjs --list      # cwd: the rendered project (auth=session); prints the step names (JSON)
//   node --env-file=.env /path/to/layers.mjs STEP        # serves steps 0..STEP on PORT (127.0.0.1)
//
// Environment: the service's own (NODE_ENV=production, REDIS_URL, DATABASE_URL, ...,
// read by its loadConfig) plus PORT and BENCH_NOTES_BODY (the JSON the service answered
// on GET /api/v1/notes for the bench user: steps before the notes routes answer it
// as is, from memory; the notes step adds the service's session (Redis), the user's
// lookup, requireUser and the owner-scoped notes routes reading PostgreSQL). The bench
// sends the session cookie of a user signed in on the service (same Redis, same
// APP_SECRET), on every step.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const project = process.cwd();
const load = (relative) => import(pathToFileURL(path.join(project, relative)).href);
const fromProject = createRequire(path.join(project, 'package.json'));
const express = (await import(pathToFileURL(fromProject.resolve('express')).href)).default;

const RUNNING = Object.freeze({ isShuttingDown: () => false });

// [name, mount(app, ctx)]: each step adds its layer on top of every earlier one.
const STEPS = [
  ['bare Express (the service\'s app settings)', () => {}],
  ['+ request logging (pino-http)', async (app, ctx) => {
    const { requestLogging } = await load('src/middleware/request-logging.js');
    app.use(requestLogging(ctx.logger));
  }],
  ['+ security headers (recorded once, one setHeaders)', async (app) => {
    const { securityHeaders } = await load('src/middleware/security-headers.js');
    app.use(securityHeaders());
  }],
  ['+ draining', async (app) => {
    const { draining } = await load('src/middleware/draining.js');
    app.use(draining(RUNNING));
  }],
  ['+ method guard', async (app) => {
    const { methodGuard } = await load('src/middleware/method-guard.js');
    app.use(methodGuard);
  }],
  ['+ CORS allowlist', async (app, ctx) => {
    const { corsPolicy } = await load('src/middleware/cors.js');
    app.use(corsPolicy(ctx.config));
  }],
  ['+ health routes (passed through)', async (app, ctx) => {
    const { healthRoutes } = await load('src/routes/health.js');
    app.use(healthRoutes(RUNNING, ctx.logger, []));
  }],
  ['+ rate limiter (Redis store)', async (app, ctx) => {
    const { rateLimiter } = await load('src/middleware/rate-limit.js');
    const { createRateLimitStore } = await load('src/middleware/rate-limit-store.js');
    const redis = await ctx.redis();
    const store = createRateLimitStore(redis, `${ctx.config.REDIS_KEY_PREFIX}rl:general:`);
    app.use(rateLimiter(ctx.config, ctx.logger, { store }));
  }],
  ['+ body parsing (JSON only, prototype keys)', async (app, ctx) => {
    const { bodyParsing } = await load('src/middleware/body-parsing.js');
    app.use(bodyParsing(ctx.config));
  }],
  ['+ session (Redis) with its user snapshot, requireUser, notes routes (PostgreSQL)', async (app, ctx) => {
    const { signInServices } = await load('src/auth/services.js');
    const { loadSessionUser, sessionMiddleware } = await load('src/middleware/session.js');
    const { requireUser } = await load('src/middleware/authorize.js');
    const { resourceRoutes } = await load('src/routes/resource.js');
    const { notes } = await load('src/notes/resource.js');
    const redis = await ctx.redis();
    const db = ctx.db();
    const { users, generations } = signInServices({ config: ctx.config, redis, db });
    const session = [sessionMiddleware({ config: ctx.config, redis, logger: ctx.logger }), loadSessionUser({ config: ctx.config, users, generations })];
    app.use('/api/v1/notes', session, requireUser, resourceRoutes({ resource: notes, db, secret: ctx.config.APP_SECRET }));
    ctx.routed = true;
  }],
];
const WHOLE_APP = 'whole app: the service\'s createApp()';

if (process.argv[2] === '--list') {
  process.stdout.write(`${JSON.stringify([...STEPS.map(([name]) => name), WHOLE_APP])}\n`);
  process.exit(0);
}

const step = Number(process.argv[2]);
const { loadConfig } = await load('src/config.js');
const { createLogger } = await load('src/logger.js');
const { createHttpServer } = await load('src/http-server.js');
const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL });
const notesBody = JSON.parse(readFileSync(process.env.BENCH_NOTES_BODY, 'utf8'));

let redisClient;
let database;
const { createDatabase } = await load('src/db/pool.js');
const ctx = {
  config,
  logger,
  routed: false,
  async redis() {
    if (redisClient === undefined) {
      const { createRedis } = await load('src/redis/client.js');
      redisClient = createRedis({ url: config.REDIS_URL, logger });
      if (!redisClient.isReady) await new Promise((resolve) => redisClient.once('ready', resolve));
    }
    return redisClient;
  },
  db() {
    if (database === undefined) database = createDatabase({ url: config.DATABASE_URL, max: config.DATABASE_POOL_MAX, logger });
    return database;
  },
};

let app;
if (step < STEPS.length) {
  app = express();
  // The settings createApp makes before any middleware.
  app.set('env', config.NODE_ENV);
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY_HOPS);
  app.set('query parser', 'simple');
  app.set('etag', false);
  for (const [, mount] of STEPS.slice(0, step + 1)) await mount(app, ctx);
  if (!ctx.routed) {
    app.get('/api/v1/notes', (req, res) => {
      res.json(notesBody);
    });
  }
} else {
  const { createApp } = await load('src/app.js');
  app = createApp({ config, logger, redis: await ctx.redis(), db: ctx.db() });
}
createHttpServer(app).listen(config.PORT, config.HOST);
