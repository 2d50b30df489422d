import { join } from 'node:path';
import { existsSync } from 'node:fs';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { pino } from 'pino';
import { ServerConfig, VERSION, type ServerConfigInput } from './config';
import { chainPending } from './audit/pending';
import { openDatabase } from './db/client';
import { BlobStore } from './documents/blob-store';
import { MeetingNotices } from './http/meeting-notices';
import { DocumentNotices } from './documents/notices';
import { installErrorHandler } from './http/errors';
import { AppError } from './errors';
import { appendAuditAlone } from './audit/log';
import type { AppContext } from './http/context';
import type { Closable } from './http/module';
import { resolveToken } from './auth/sessions';
import { modules } from './modules';
import { createMailer } from './mail/mailer';
import { LiveSessions } from './http/live-sessions';
import { RoomTimings } from './timings';

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly ctx: AppContext;
  /** Listens and resolves with the base URL, e.g. http://127.0.0.1:4100. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,200})$/;

/**
 * The web client's Content-Security-Policy, sent as a header on every response (the renderer's meta
 * CSP still applies on top). connect-src 'self' covers the API and the same-origin WebSocket.
 */
export const WEB_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * Fastify's trustProxy forms: "1.2.3.4,10.0.0.0/8" → a list of proxies; n → trust the n nearest hops
 * (what Fastify does with a number, written as proxy-addr's trust function for the types).
 */
function trustProxyOption(v: boolean | number | string): boolean | string[] | ((addr: string, hop: number) => boolean) {
  if (typeof v === 'string') {
    return v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }
  if (typeof v === 'number') {
    return (_addr, hop) => hop < v;
  }
  return v;
}

/**
 * Fills an empty database before the server starts answering (the demo council). Given by the caller:
 * seeds/ depends on server/, never the other way round (seeds/server.ts, scripts/server.ts).
 */
export type Seeder = (ctx: AppContext) => Promise<unknown>;

export interface ServerHooks {
  readonly seed?: Seeder | undefined;
}

/** App factory used by `npm run server`, `npm start` and every integration test (port 0). */
export async function createServer(input: ServerConfigInput, hooks: ServerHooks = {}): Promise<RunningServer> {
  const config = ServerConfig.parse(input);
  const log = pino({
    level: config.logLevel,
    // Secrets never reach the log.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.newPassword', '*.currentPassword', '*.token'],
      censor: '[redacted]',
    },
  });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: join(config.dataDir, 'db'),
    autovacuum: { onError: (err) => log.warn({ err }, 'PGlite vacuum/analyze pass failed') },
  });
  // Audit entries a commit left pending when a process stopped before following them up.
  await chainPending(database.db);
  const blobs = new BlobStore(join(config.dataDir, 'blobs'));
  await blobs.init();
  let publicUrl = config.publicUrl?.replace(/\/+$/, '') ?? `http://${config.host}:${config.port}`;
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, log });
  const ctx: AppContext = {
    roomTimings: new RoomTimings(),
    config,
    database,
    db: database.db,
    blobs,
    log,
    documentNotices: new DocumentNotices(log),
    meetingNotices: new MeetingNotices(log),
    mailer,
    liveSessions: new LiveSessions(log),
    publicUrl: () => publicUrl,
  };

  if (hooks.seed) {
    await hooks.seed(ctx);
  }

  const app: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // Whom to believe about the client's address (rate limits, throttle, audit): config, default nobody.
    trustProxy: trustProxyOption(config.trustProxy),
  });
  installErrorHandler(app);
  await app.register(helmet, {
    // The web client's policy, as a header (a meta tag cannot set frame-ancestors); document
    // downloads replace it with their own sandbox policy (documents/content.ts).
    contentSecurityPolicy: { useDefaults: false, directives: WEB_CSP },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  // Every refusal of an authenticated request is audited with its source (docs/security.md).
  app.addHook('onError', async (req, _reply, err) => {
    const denied = err instanceof AppError && (err.status === 403 || (err.status === 404 && req.authUser !== null && req.url.startsWith('/api/documents/')));
    if (!denied) {
      return;
    }
    await appendAuditAlone(ctx.db, {
      actorId: req.authUser?.id ?? null,
      meetingId: null,
      action: 'access.denied',
      data: { method: req.method, url: req.url.slice(0, 300), status: err.status, code: err.code, ip: req.ip },
    }).catch((e: unknown) => req.log.warn({ err: e }, 'access denial not audited'));
  });
  await app.register(rateLimit, { global: false });
  await app.register(multipart, {
    limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10, fieldSize: 64 * 1024 },
  });

  app.decorateRequest('authUser', null);
  app.decorateRequest('authToken', null);
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    if (!header) {
      return;
    }
    const m = BEARER.exec(header);
    if (!m?.[1]) {
      return;
    }
    req.authToken = m[1];
    req.authUser = await resolveToken(ctx.db, m[1]);
  });
  // No caching of API answers by intermediaries; documents set their own validators.
  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
    reply.header('x-content-type-options', 'nosniff');
  });

  app.get('/api/health', async () => ({ status: 'ok', storage: database.kind, version: VERSION }));

  for (const m of modules) {
    m.routes?.(app, ctx);
  }

  if (config.webDir && existsSync(join(config.webDir, 'index.html'))) {
    const webDir = config.webDir;
    await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
    // Client-side routes (/meetings/…, /display/…) get the SPA shell; /api and /socket.io never do.
    app.get('/*', async (req, reply) => {
      if (req.url.startsWith('/api/') || req.url.startsWith('/socket.io/')) {
        return reply.callNotFound();
      }
      return reply.type('text/html').sendFile('index.html', webDir);
    });
  }

  const closables: Closable[] = [];
  let closed = false;

  return {
    app,
    ctx,
    async listen() {
      await app.ready();
      // Modules attach (Socket.IO) before the port opens, so no early client meets a half-started server.
      for (const m of modules) {
        const c = await m.start?.(app, ctx);
        if (c) {
          closables.push(c);
        }
      }
      await app.listen({ host: config.host, port: config.port });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      const url = `http://${config.host}:${port}`;
      if (!config.publicUrl) {
        publicUrl = url;
      }
      return url;
    },
    async close() {
      if (closed) {
        return;
      }
      closed = true;
      for (const c of closables.reverse()) {
        await c.close();
      }
      await app.close();
      mailer.close();
      ctx.roomTimings.close();
      await database.close();
    },
  };
}
