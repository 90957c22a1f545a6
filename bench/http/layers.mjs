// Layer costs: a bare app of the rendered service's framework (Express or Fastify) with
// the service's OWN middleware or plugin modules (imported from the project's src/,
// never copied) added one more at a time, in createApp's order, in front of
// GET /api/v1/notes.
//
//   node --env-file=.env /path/to/layers.mjs --list      # cwd: the rendered project (auth=session); prints the step names (JSON)
//   node --env-file=.env /path/to/layers.mjs STEP        # serves steps 0..STEP on PORT (127.0.0.1)
//
// Environment: the service's own (NODE_ENV=production, REDIS_URL, DATABASE_URL, ...,
// read by its loadConfig) plus PORT and BENCH_NOTES_BODY (the JSON the service answered
// on GET /api/v1/notes for the bench user: steps before the notes routes answer it
// as is, from memory; the notes step adds the service's session (Redis), the user's
// snapshot, the CSRF check, requireUser and the owner-scoped notes routes reading
// PostgreSQL). The bench sends the session cookie of a user signed in on the service
// (same Redis, same APP_SECRET), on every step. The last step is the whole createApp().
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const project = process.cwd();
const load = (relative) => import(pathToFileURL(path.join(project, relative)).href);
const fromProject = createRequire(path.join(project, 'package.json'));
const FRAMEWORK = 'fastify' in JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')).dependencies ? 'fastify' : 'express';
const NOTES = '/api/v1/notes';
const RUNNING = Object.freeze({ isShuttingDown: () => false });
const SESSION_STEP = '+ session (Redis) with its user snapshot, CSRF check, requireUser, notes routes (PostgreSQL)';

// Express: [name, mount(app, ctx)]; each step adds its layer on top of every earlier one.
const EXPRESS_STEPS = [
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
  ['+ load shedding (event-loop delay)', async (app) => {
    const { loadShedding } = await load('src/middleware/load-shedding.js');
    app.use(loadShedding());
  }],
  ['+ rate limiter (Redis store)', async (app, ctx) => {
    const { rateLimiter } = await load('src/middleware/rate-limit.js');
    const { createRateLimitStore } = await load('src/middleware/rate-limit-store.js');
    const store = createRateLimitStore(await ctx.redis(), `${ctx.config.REDIS_KEY_PREFIX}rl:general:`);
    app.use(rateLimiter(ctx.config, ctx.logger, { store }));
  }],
  ['+ body parsing (JSON only, prototype keys)', async (app, ctx) => {
    const { bodyParsing } = await load('src/middleware/body-parsing.js');
    app.use(bodyParsing(ctx.config));
  }],
  [SESSION_STEP, async (app, ctx) => {
    const { loadSessionUser, sessionMiddleware } = await load('src/middleware/session.js');
    const { csrfProtection } = await load('src/middleware/csrf.js');
    const { requireUser } = await load('src/middleware/authorize.js');
    const { resourceRoutes } = await load('src/routes/resource.js');
    const { config } = ctx;
    const { redis, db, users, notes } = await ctx.signedIn();
    const session = [sessionMiddleware({ config, redis, logger: ctx.logger }), loadSessionUser({ config, users })];
    app.use(NOTES, session, csrfProtection, requireUser, resourceRoutes({ resource: notes, db, secret: config.APP_SECRET }));
    ctx.routed = true;
  }],
];

// Fastify: [name, { options?(ctx): factory options, mount?(app, ctx), scoped? }]. Steps
// marked `scoped` are registered, as in createApp, inside the context that holds the
// rate limiter and every API route; the others on the root instance.
const FASTIFY_STEPS = [
  ['bare Fastify (the service\'s factory options, compilers, error handler)', {}],
  ['+ request logging (request ids, one line per request)', {
    options: async (ctx) => ({ loggerInstance: ctx.logger, ...(await load('src/plugins/request-logging.js')).requestLoggingOptions() }),
    mount: async (app) => app.register((await load('src/plugins/request-logging.js')).requestIds),
  }],
  ['+ security headers (recorded once, one setHeaders)', {
    mount: async (app) => app.register((await load('src/plugins/security-headers.js')).securityHeaders),
  }],
  ['+ draining', {
    mount: async (app) => app.register((await load('src/plugins/draining.js')).draining, { lifecycle: RUNNING }),
  }],
  ['+ method guard', {
    mount: async (app) => app.register((await load('src/plugins/method-guard.js')).methodGuard),
  }],
  ['+ CORS allowlist', {
    mount: async (app, ctx) => app.register((await load('src/plugins/cors.js')).corsPolicy, { config: ctx.config }),
  }],
  ['+ load shedding (@fastify/under-pressure)', {
    mount: async (app) => app.register((await load('src/plugins/under-pressure.js')).loadShedding),
  }],
  ['+ health routes (passed through)', {
    mount: async (app) => app.register((await load('src/routes/health.js')).healthRoutes, { lifecycle: RUNNING, dependencies: [] }),
  }],
  ['+ rate limiter (Redis store)', {
    scoped: true,
    mount: async (scope, ctx) => {
      const { generalLimiter, rateLimiting } = await load('src/plugins/rate-limit.js');
      const { redisRateLimitStore } = await load('src/plugins/rate-limit-store.js');
      await scope.register(rateLimiting, { store: redisRateLimitStore(await ctx.redis()) });
      scope.addHook('onRequest', generalLimiter(scope, ctx.config));
    },
  }],
  ['+ body parsing (JSON only, prototype keys)', {
    scoped: true,
    mount: async (scope, ctx) => {
      const { jsonBodies } = await load('src/plugins/body-parsing.js');
      const { notFound } = await load('src/plugins/errors.js');
      const { byteLimit } = await load('src/validation.js');
      await scope.register(jsonBodies, { limit: byteLimit(ctx.config.BODY_LIMIT) });
      scope.setNotFoundHandler(notFound);
    },
  }],
  [SESSION_STEP, {
    scoped: true,
    mount: async (scope, ctx) => {
      const { authorization, guarded, requireUser } = await load('src/plugins/authorize.js');
      const { sessions } = await load('src/plugins/session.js');
      const { csrf } = await load('src/plugins/csrf.js');
      const { resourceRoutes } = await load('src/routes/resource.js');
      const { config } = ctx;
      const { redis, db, users, notes } = await ctx.signedIn();
      await scope.register(authorization);
      scope.register(async function signedIn(session) {
        await session.register(sessions, { config, redis, users });
        await session.register(csrf);
        session.register(guarded(resourceRoutes, requireUser), { prefix: NOTES, resource: notes, db, secret: config.APP_SECRET });
      });
      ctx.routed = true;
    },
  }],
];

const STEPS = FRAMEWORK === 'fastify' ? FASTIFY_STEPS : EXPRESS_STEPS;
const WHOLE_APP = 'whole app: the service\'s createApp()';

if (process.argv[2] === '--list') {
  process.stdout.write(`${JSON.stringify([...STEPS.map(([name]) => name), WHOLE_APP])}\n`);
  process.exit(0);
}

const step = Number(process.argv[2]);
const { loadConfig } = await load('src/config.js');
const { createLogger } = await load('src/logger.js');
const { createHttpServer } = await load('src/http-server.js');
const { createDatabase } = await load('src/db/pool.js');
const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL });
const notesBody = JSON.parse(readFileSync(process.env.BENCH_NOTES_BODY, 'utf8'));

let redisClient;
let database;
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
  /** What the signed-in notes routes need: the servers, the users and the notes resource. */
  async signedIn() {
    const { signInServices } = await load('src/auth/services.js');
    const { notes } = await load('src/notes/resource.js');
    const redis = await ctx.redis();
    const db = ctx.db();
    return { redis, db, users: signInServices({ config, redis, db }).users, notes };
  },
};

async function expressApp() {
  const express = (await import(pathToFileURL(fromProject.resolve('express')).href)).default;
  const app = express();
  // The settings createApp makes before any middleware.
  app.set('env', config.NODE_ENV);
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY_HOPS);
  app.set('query parser', 'simple');
  app.set('etag', false);
  for (const [, mount] of STEPS.slice(0, step + 1)) await mount(app, ctx);
  if (!ctx.routed) {
    app.get(NOTES, (req, res) => {
      res.json(notesBody);
    });
  }
  return createHttpServer(app);
}

async function fastifyApp() {
  const Fastify = (await import(pathToFileURL(fromProject.resolve('fastify')).href)).default;
  const { validatorCompiler } = await import(pathToFileURL(fromProject.resolve('fastify-type-provider-zod')).href);
  const { errorHandling, frameworkErrors } = await load('src/plugins/errors.js');
  const { compileResponse } = await load('src/responses.js');
  const { byteLimit } = await load('src/validation.js');
  const steps = STEPS.slice(0, step + 1).map(([, layer]) => layer);
  const options = {};
  for (const layer of steps) if (layer.options) Object.assign(options, await layer.options(ctx));
  const hops = config.TRUST_PROXY_HOPS;
  // The factory options and settings createApp makes before any plugin.
  const app = Fastify({
    ...options,
    trustProxy: hops > 0 ? (address, hop) => hop < hops : false,
    serverFactory: (handler) => createHttpServer(handler),
    clientErrorHandler: () => {},
    frameworkErrors,
    bodyLimit: byteLimit(config.BODY_LIMIT),
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 1000 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(({ schema }) => compileResponse(schema));
  app.register(errorHandling);
  for (const layer of steps) if (layer.mount && !layer.scoped) await layer.mount(app, ctx);
  app.register(async function limited(scope) {
    for (const layer of steps) if (layer.mount && layer.scoped) await layer.mount(scope, ctx);
    if (!ctx.routed) scope.get(NOTES, async () => notesBody);
  });
  await app.ready();
  return app.server;
}

async function wholeApp() {
  const { createApp } = await load('src/app.js');
  const app = createApp({ config, logger, redis: await ctx.redis(), db: ctx.db() });
  if (FRAMEWORK === 'express') return createHttpServer(app);
  await app.ready();
  return app.server;
}

const server = step >= STEPS.length ? await wholeApp() : FRAMEWORK === 'fastify' ? await fastifyApp() : await expressApp();
server.listen(config.PORT, config.HOST);
