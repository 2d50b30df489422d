// bench:pglite — what one PGlite statement of the live room costs the server, through our statement
// cache (server/db/pglite-statements.ts) and, as the reference in the same run, through PGlite's own
// query(), which drizzle would use without it. The statement is the room's handshake read (a socket's
// session, user and memberships in meetings in progress; server/room/handshake-reads.ts), the read every
// connect makes, for batches of 1, 8 and 32 sockets (a connect storm's handshakes share statements).
// `npm run bench:pglite [-- --delegates N --rounds R]`: fills a temp PGlite directory as bench:votes does,
// then alternates the two paths R times per batch size. CPU is process.cpuUsage() over the statements
// (PGlite runs in this thread); wall time is what a caller waits. Prints ONE JSON line on stdout.
// Results: docs/benchmarks.md "Live room, seventeenth round".
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { z } from 'zod';
import * as schema from '../server/db/schema';
import type { Db } from '../server/db/client';
import { PgliteStatements } from '../server/db/pglite-statements';
import { readHandshakes } from '../server/room/handshake-reads';
import { hashToken } from '../server/auth/sessions';
import { prepareStorage } from './lib/storage';
import { populate } from './lib/fixture';
import { percentile } from './lib/stats';

const Args = z.object({
  delegates: z.coerce.number().int().min(32).max(100_000).default(1_000),
  rounds: z.coerce.number().int().min(1).max(100).default(5),
});

const { values } = parseArgs({ options: { delegates: { type: 'string' }, rounds: { type: 'string' } }, strict: true });
const args = Args.parse(values);
const SIZES = [1, 8, 32] as const;

interface Sample {
  cpuMs: number;
  wallMs: number;
  statements: number;
}

/** Every delegate's handshake once, `size` sockets per statement; the answers are checked, not just timed. */
async function pass(db: Db, hashes: readonly string[], size: number): Promise<Sample> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let statements = 0;
  for (let i = 0; i + size <= hashes.length; i += size) {
    const keys = hashes.slice(i, i + size);
    const found = await readHandshakes(db, keys);
    if (found.size !== keys.length) {
      throw new Error(`handshake read answered ${found.size} of ${keys.length} sessions`);
    }
    statements += 1;
  }
  const cpu = process.cpuUsage(c0);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0, statements };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

const load0 = loadavg()[0] ?? 0;
const storage = await prepareStorage('pglite');
try {
  const fixture = await populate(storage, args.delegates, 1);
  const hashes = fixture.delegates.map((d) => hashToken(d.token));
  const client = await PGlite.create(join(storage.dataDir, 'db'));
  try {
    // As openDatabase sets it for the server (server/db/client.ts).
    await client.exec('set plan_cache_mode = force_generic_plan');
    const ours = drizzle({ client: new PgliteStatements(client) as unknown as PGlite, schema }) as unknown as Db;
    const theirs = drizzle({ client, schema }) as unknown as Db;
    // Warm both paths (statement parsed, code compiled) before measuring.
    await pass(ours, hashes, 8);
    await pass(theirs, hashes, 8);
    const perSize: Record<string, unknown> = {};
    for (const size of SIZES) {
      const o: Sample[] = [];
      const t: Sample[] = [];
      for (let r = 0; r < args.rounds; r++) {
        o.push(await pass(ours, hashes, size));
        t.push(await pass(theirs, hashes, size));
      }
      const per = (xs: Sample[], k: 'cpuMs' | 'wallMs'): number => percentile(xs.map((x) => x[k] / x.statements).sort((a, b) => a - b), 50) ?? NaN;
      const figures = {
        statements: o[0]?.statements ?? 0,
        ours: { cpuMsPerStatement: round2(per(o, 'cpuMs')), wallMsPerStatement: round2(per(o, 'wallMs')) },
        pgliteQuery: { cpuMsPerStatement: round2(per(t, 'cpuMs')), wallMsPerStatement: round2(per(t, 'wallMs')) },
        cpuRatio: round2(per(o, 'cpuMs') / per(t, 'cpuMs')),
      };
      perSize[String(size)] = figures;
      process.stderr.write(
        `[bench:pglite] ${size} per statement: ours ${figures.ours.cpuMsPerStatement} ms CPU, PGlite query() ${figures.pgliteQuery.cpuMsPerStatement} ms (ratio ${figures.cpuRatio})\n`,
      );
    }
    const machine = { nproc: cpus().length, cpu: cpus()[0]?.model.trim() ?? 'unknown', loadAvg1m: { before: round2(load0), after: round2(loadavg()[0] ?? 0) } };
    process.stdout.write(`${JSON.stringify({ bench: 'pglite', params: args, machine, handshakeRead: perSize })}\n`);
  } finally {
    await client.close();
  }
} finally {
  await storage.cleanup();
}
