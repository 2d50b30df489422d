import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { createServer, type Seeder } from './app';

/**
 * Starts the server from command-line flags and the environment (docs/architecture.md "Commands").
 * `seeders` are the `--seed NAME` choices the entry point offers: scripts/server.ts (`npm run server`)
 * gives the demo council; server/main.ts gives none, so server/ never imports seeds/.
 */
export async function serve(args: readonly string[], seeders: Readonly<Record<string, Seeder>>): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      seed: { type: 'string' },
      web: { type: 'string' },
      'max-upload-mb': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log('Usage: npm run server -- [--host H] [--port N] [--data DIR] [--seed demo] [--web DIR] [--max-upload-mb N]');
    return;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new Error(`--port must be an integer 0–65535, got ${values.port}`);
  }
  const maxUploadMb = values['max-upload-mb'] ?? process.env.ECAB_MAX_UPLOAD_MB;
  const maxUpload = maxUploadMb === undefined ? undefined : Number(maxUploadMb);
  if (maxUpload !== undefined && (!Number.isFinite(maxUpload) || maxUpload <= 0)) {
    throw new Error(`--max-upload-mb must be a positive number, got ${maxUploadMb}`);
  }
  const seed = values.seed === undefined ? undefined : seeders[values.seed];
  if (values.seed !== undefined && !seed) {
    const names = Object.keys(seeders);
    throw new Error(
      names.length > 0 ? `--seed accepts ${names.map((n) => `"${n}"`).join(', ')}, got ${values.seed}` : '--seed needs the seeding entry point: npm run server -- --seed demo',
    );
  }
  const server = await createServer({
    host: values.host ?? process.env.HOST ?? '127.0.0.1',
    port: port ?? (process.env.PORT ? Number(process.env.PORT) : 4100),
    dataDir: resolve(values.data ?? process.env.ECAB_DATA ?? './data'),
    databaseUrl: process.env.DATABASE_URL || undefined,
    redisUrl: process.env.REDIS_URL || undefined,
    webDir: resolve(values.web ?? 'dist/web'),
    maxUploadBytes: maxUpload === undefined ? undefined : Math.round(maxUpload * 1024 * 1024),
    smtpUrl: process.env.SMTP_URL || undefined,
    mailFrom: process.env.MAIL_FROM || undefined,
    publicUrl: process.env.ECAB_PUBLIC_URL || undefined,
    reminderLeadMinutes: process.env.ECAB_REMINDER_LEAD_HOURS ? Math.round(Number(process.env.ECAB_REMINDER_LEAD_HOURS) * 60) : undefined,
    taskReminderLeadDays: process.env.ECAB_TASK_REMINDER_LEAD_DAYS ? Number(process.env.ECAB_TASK_REMINDER_LEAD_DAYS) : undefined,
    logLevel: (process.env.LOG_LEVEL as 'info' | undefined) ?? 'info',
    production: process.env.NODE_ENV === 'production',
    trustProxy: trustProxyEnv(process.env.TRUST_PROXY),
    allowedOrigins: (process.env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  }, { seed });
  const url = await server.listen();
  console.log(`E-Cabinet server listening on ${url}`);
  const stop = (): void => {
    server.close().then(
      () => {
        // The room's answer times over this run, one line for the operator (and bench:votes).
        console.log(`E-Cabinet room timings ${JSON.stringify(server.ctx.roomTimings.summary())}`);
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** TRUST_PROXY: unset/"false" = nobody, "true", a hop count, or a comma-separated list of proxy addresses/CIDRs. */
function trustProxyEnv(v: string | undefined): boolean | number | string {
  if (v === undefined || v === '' || v === 'false') {
    return false;
  }
  if (v === 'true') {
    return true;
  }
  return /^\d+$/.test(v) ? Number(v) : v;
}
