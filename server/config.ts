import { z } from 'zod';

/** Everything the server can be told, parsed once (flags and env are outside input too). */
export const ServerConfig = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(4100),
  /** Data directory: PGlite files in `db/`, blobs in `blobs/`. */
  dataDir: z.string().default('./data'),
  /** postgres://… switches storage to PostgreSQL. */
  databaseUrl: z.string().optional(),
  /** redis://… enables the Redis Streams adapter (several nodes). */
  redisUrl: z.string().optional(),
  /** Directory of the built web client served at `/` (absent = API only). */
  webDir: z.string().optional(),
  maxUploadBytes: z
    .number()
    .int()
    .positive()
    .default(200 * 1024 * 1024),
  sessionTtlSeconds: z
    .number()
    .int()
    .positive()
    .default(12 * 3600),
  /** Login attempts per (IP, normalised username) per minute before 429 (per node, in memory). */
  loginRateLimit: z.number().int().positive().default(10),
  /** Login attempts per IP per minute, all usernames together (a hall behind one NAT signs in at once). */
  loginIpRateLimit: z.number().int().positive().default(120),
  /**
   * Failed sign-ins tolerated per (username, source IP) before each further attempt from that source
   * waits a doubling delay (loginBaseDelaySeconds: 1 s, 2 s, 4 s … up to loginMaxDelaySeconds). Other sources are not delayed,
   * so nobody can lock an account out from their own machine (server/auth/throttle.ts).
   */
  loginFreeFailures: z.number().int().positive().default(5),
  /** The first delay after the free failures; each further failure doubles it. */
  loginBaseDelaySeconds: z.number().int().positive().default(1),
  loginMaxDelaySeconds: z.number().int().positive().default(15 * 60),
  /** Failures per source IP (all usernames) before that IP's attempts are delayed: spraying one password over many accounts. */
  loginIpFreeFailures: z.number().int().positive().default(50),
  /** Failures per username (all sources) before every source waits: a distributed guess, capped low (loginAccountMaxDelaySeconds). */
  loginAccountFreeFailures: z.number().int().positive().default(50),
  loginAccountMaxDelaySeconds: z.number().int().positive().default(30),
  /** Password changes per user per 15 minutes (each one costs two argon2 hashes). */
  passwordChangeRateLimit: z.number().int().positive().default(5),
  /**
   * Fastify's trustProxy: false (default: the socket's address is the client), true, a hop count, or
   * a comma-separated list of proxy addresses/CIDRs. Only trust what really sits in front of the server:
   * X-Forwarded-For from anyone else is forged.
   */
  trustProxy: z.union([z.boolean(), z.number().int().nonnegative(), z.string().min(1)]).default(false),
  /**
   * Origins allowed to open a Socket.IO connection besides the server's own (same host). The desktop
   * app (app://ecabinet) is always allowed; clients that send no Origin (Node, the CLI, bench) are
   * allowed because Origin protects browsers' ambient credentials and the room authenticates with a
   * bearer token only (docs/security.md "Server controls").
   */
  allowedOrigins: z.array(z.string().url()).default([]),
  /** smtp://user:pass@host:port (nodemailer URL); unset = mail is written to the log instead of sent. */
  smtpUrl: z.string().optional(),
  /** From header of every mail the server sends. */
  mailFrom: z.string().default('E-Cabinet <no-reply@e-cabinet.local>'),
  /** Base URL put into links in emails (what members open); unset = the URL the server listens on. */
  publicUrl: z.string().url().optional(),
  /** Written consultations: reminders go to members who have not answered this long before the deadline. */
  reminderLeadMinutes: z.number().int().positive().default(24 * 60),
  /** Follow-up tasks: the assignee is reminded this many calendar days before the due date (0 = on the day). */
  taskReminderLeadDays: z.number().int().min(0).max(60).default(1),
  /** How often the reminder schedulers look for due reminders in the database. */
  reminderIntervalMs: z.number().int().positive().default(60_000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  production: z.boolean().default(false),
});
export type ServerConfig = z.infer<typeof ServerConfig>;
export type ServerConfigInput = z.input<typeof ServerConfig>;

export const VERSION = '0.1.0';
