import { parseArgs } from 'node:util';
import { z } from 'zod';

/** Command line of `npm run bench:votes -- …`, parsed once with zod. */
export const BenchArgs = z
  .object({
    delegates: z.coerce.number().int().min(1).max(20_000),
    meetings: z.coerce.number().int().min(1).max(1_000).default(1),
    nodes: z.coerce.number().int().min(1).max(8).default(1),
    rounds: z.coerce.number().int().min(1).max(100).default(3),
    /**
     * Rounds run before the measured ones, on every server alike, and reported apart (`warmup`): the
     * first vote after a start also measures V8 compiling the ballot path, the pool's first
     * connections and prepared statements. Their correctness checks still count.
     */
    warmup: z.coerce.number().int().min(0).max(10).default(1),
    storage: z.enum(['pglite', 'postgres']).default('pglite'),
    /** Client worker processes (separate from the server's). */
    workers: z.coerce.number().int().min(1).max(16).default(4),
    /**
     * Delegates press their button at a uniformly random moment within this window after they see
     * the poll open (a hall does not vote in the same millisecond). 0 = everyone at once (stress).
     */
    spreadMs: z.coerce.number().int().min(0).max(120_000).default(5_000),
    /**
     * Niceness of the client workers. The clients are the instrument: in a hall they run on the
     * delegates' own devices, here they share the server's cores, and at equal priority the kernel
     * hands a core to a client the moment the server writes to it (wake-up preemption), so the
     * server's sends are billed with the clients' work. Lower priority (10) keeps the cores for the
     * servers under test whenever they can run; 0 = equal priority. Same for both servers.
     */
    clientNice: z.coerce.number().int().min(0).max(19).default(10),
    /** Handshake + join requests in flight per worker while connecting. */
    connectConcurrency: z.coerce.number().int().min(1).max(1_000).default(10),
    /** Hard bound on the whole run; everything is torn down when it expires. */
    timeoutS: z.coerce.number().int().min(10).max(7_200).default(900),
    /** Write V8 CPU profiles of the server process(es) into this directory. */
    cpuProf: z.string().optional(),
    /** PGlite only: copy this already-migrated data dir instead of a cold initdb (≈ 5 s; the smoke test). */
    template: z.string().optional(),
    /** PostgreSQL: sample pg_stat_activity every 5 ms during our rounds (`dbActivity`; not done for the reference). */
    dbActivity: z.boolean().default(false),
    /**
     * The chairs only open and close the polls and do not vote. By default they vote like every
     * delegate (a council's chair is one of its delegates), so every vote ends with all its members
     * in; with this the last ballot of a vote is never known to be the last, and the delegates' final
     * tally waits for the ballots to pause.
     */
    chairAbstains: z.boolean().default(false),
    /** Also run the naive reference server (bench/reference-server.ts) with the same clients and window. */
    reference: z.boolean().default(false),
  })
  .superRefine((a, ctx) => {
    if (a.meetings > a.delegates) {
      ctx.addIssue({ code: 'custom', message: '--meetings cannot exceed --delegates', path: ['meetings'] });
    }
    if (a.nodes > 1 && a.storage !== 'postgres') {
      ctx.addIssue({ code: 'custom', message: '--nodes > 1 needs --storage postgres (PGlite is single-process)', path: ['nodes'] });
    }
    if (a.template !== undefined && a.storage !== 'pglite') {
      ctx.addIssue({ code: 'custom', message: '--template is for --storage pglite', path: ['template'] });
    }
  });
export type BenchArgs = z.infer<typeof BenchArgs>;

export const USAGE =
  'Usage: npm run bench:votes -- --delegates N [--meetings M] [--nodes K] [--rounds R] [--warmup W] [--storage pglite|postgres]\n' +
  '       [--workers W] [--client-nice N] [--spread-ms MS] [--connect-concurrency C] [--timeout-s S] [--cpu-prof DIR] [--template PGLITE_DIR] [--db-activity] [--chair-abstains] [--reference]\n' +
  'postgres needs DATABASE_URL (a fresh database is created and dropped); --nodes > 1 also needs REDIS_URL.';

export function readArgs(argv: string[]): BenchArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      delegates: { type: 'string' },
      meetings: { type: 'string' },
      nodes: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      storage: { type: 'string' },
      workers: { type: 'string' },
      'client-nice': { type: 'string' },
      'spread-ms': { type: 'string' },
      'connect-concurrency': { type: 'string' },
      'timeout-s': { type: 'string' },
      'cpu-prof': { type: 'string' },
      template: { type: 'string' },
      reference: { type: 'boolean' },
      'db-activity': { type: 'boolean' },
      'chair-abstains': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    return 'help';
  }
  const parsed = BenchArgs.safeParse({
    delegates: values.delegates,
    meetings: values.meetings,
    nodes: values.nodes,
    rounds: values.rounds,
    warmup: values.warmup,
    storage: values.storage,
    workers: values.workers,
    clientNice: values['client-nice'],
    spreadMs: values['spread-ms'],
    connectConcurrency: values['connect-concurrency'],
    timeoutS: values['timeout-s'],
    cpuProf: values['cpu-prof'],
    template: values.template,
    reference: values.reference ?? false,
    dbActivity: values['db-activity'] ?? false,
    chairAbstains: values['chair-abstains'] ?? false,
  });
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ');
    throw new Error(`${msg}\n${USAGE}`);
  }
  return parsed.data;
}
