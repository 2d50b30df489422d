import pg from 'pg';

/**
 * Where do the server's PostgreSQL connections spend their time? Samples pg_stat_activity of the
 * run's database every few ms while votes run: share of samples per state and wait event, e.g.
 * "Lock:advisory" (the audit chain's lock), "IO:WALSync" / "IO:WALWrite" (commit fsync),
 * "Client:ClientRead" (waiting for the server process, i.e. Node CPU), "active" (executing).
 * Opt-in (`--db-activity`): the sampling backend is PostgreSQL work the reference run does not get
 * (measured: ≈ 0.4 s of PostgreSQL CPU in 3 s of 1,000-delegate voting at one sample per 5 ms).
 */
export class PgSampler {
  private readonly counts = new Map<string, number>();
  private samples = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  private constructor(
    private readonly client: pg.Client,
    private readonly dbName: string,
  ) {}

  static async start(databaseUrl: string, everyMs = 5): Promise<PgSampler> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const s = new PgSampler(client, new URL(databaseUrl).pathname.slice(1));
    s.timer = setInterval(() => void s.sample(), everyMs);
    return s;
  }

  private async sample(): Promise<void> {
    if (this.busy) {
      return;
    }
    this.busy = true;
    try {
      // Named: parsed and planned once, not every 5 ms.
      const res = await this.client.query<{ state: string | null; wt: string | null; w: string | null }>({
        name: 'bench_db_activity',
        text: 'select state, wait_event_type as wt, wait_event as w from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and backend_type = $2',
        values: [this.dbName, 'client backend'],
      });
      this.samples += 1;
      for (const r of res.rows) {
        const key = r.wt ? `${r.state ?? '?'}/${r.wt}:${r.w ?? '?'}` : (r.state ?? '?');
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      }
    } catch {
      // A missed sample changes nothing.
    } finally {
      this.busy = false;
    }
  }

  /** Average number of connections in each state/wait (connections × share of time). */
  async stop(): Promise<{ samples: number; avgConnections: Record<string, number> }> {
    clearInterval(this.timer);
    await this.client.end().catch(() => undefined);
    const avg: Record<string, number> = {};
    for (const [k, n] of [...this.counts].sort((a, b) => b[1] - a[1])) {
      avg[k] = Math.round((n / Math.max(1, this.samples)) * 100) / 100;
    }
    return { samples: this.samples, avgConnections: avg };
  }
}
