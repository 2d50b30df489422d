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
  seed: z.enum(['demo']).optional(),
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
  /** Login attempts per (IP, username) per minute before 429. */
  loginRateLimit: z.number().int().positive().default(10),
  /** Consecutive failed logins before the account is locked for lockoutSeconds. */
  lockoutThreshold: z.number().int().positive().default(5),
  lockoutSeconds: z.number().int().positive().default(15 * 60),
  /** smtp://user:pass@host:port (nodemailer URL); unset = mail is written to the log instead of sent. */
  smtpUrl: z.string().optional(),
  /** From header of every mail the server sends. */
  mailFrom: z.string().default('E-Cabinet <no-reply@e-cabinet.local>'),
  /** Base URL put into links in emails (what members open); unset = the URL the server listens on. */
  publicUrl: z.string().url().optional(),
  /** Written consultations: reminders go to members who have not answered this long before the deadline. */
  reminderLeadMinutes: z.number().int().positive().default(24 * 60),
  /** How often the reminder scheduler looks for due reminders in the database. */
  reminderIntervalMs: z.number().int().positive().default(60_000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  production: z.boolean().default(false),
});
export type ServerConfig = z.infer<typeof ServerConfig>;
export type ServerConfigInput = z.input<typeof ServerConfig>;

export const VERSION = '0.1.0';
