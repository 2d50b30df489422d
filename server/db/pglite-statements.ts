import { parse, protocol, type PGlite, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';
import { LRUCache } from 'lru-cache';
import { DatabaseError } from 'pg-protocol';
import type { BackendMessage } from 'pg-protocol/dist/messages';
import { Parser } from 'pg-protocol/dist/parser';

/**
 * A statement cache for PGlite, given to drizzle in place of the PGlite client.
 *
 * Written here because nothing off the shelf does it: PGlite's `query()` sends Parse, Describe,
 * Bind, Describe, Execute and Sync as six separate calls into the WASM backend and parses and plans
 * the statement every time (drizzle's pglite driver ignores prepared-statement names, and PGlite has
 * no option for them). Measured per statement (docs/benchmarks.md "Live room, sixth round"): a
 * join of sessions and users 0.9–1.4 ms through `query()`, 0.6 ms here; `select 1` 0.25–0.45 ms
 * against 0.13–0.18 ms. On PGlite every connect, ballot and tally is such statements.
 *
 * What it does, as the PostgreSQL drivers do on a server connection: the first time a text is
 * run, it is parsed once as a named statement (with its parameter types, for serializing values
 * exactly as PGlite's `query()` does); every run after that is one call: Bind, Describe, Execute,
 * Sync. Only plain DML and queries are kept (SELECT, INSERT, UPDATE, DELETE, WITH, and set operations
 * of them); anything else (DDL of migrations, BEGIN, SET, …) and any call with options this path does
 * not know goes through PGlite's own `query()` unchanged. PostgreSQL re-plans a kept statement by
 * itself when a table it reads changes or is analyzed. At most `max` texts are kept; the least
 * recently used is closed.
 *
 * Locking follows PGlite's own: a query outside a transaction waits for any transaction in progress
 * (PGlite's transaction lock, then its query lock); inside one, only the query lock.
 */
export interface StatementClient {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  transaction<T>(fn: (tx: StatementTransaction) => Promise<T>): Promise<T>;
}

export type StatementTransaction = Pick<Transaction, 'exec' | 'rollback' | 'closed'> & {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
};

interface Named {
  readonly name: string;
  /** Parameter type OIDs, as PostgreSQL inferred them at Parse. */
  readonly types: readonly number[];
}

/** Plain DML and queries, set operations included: drizzle writes `(select …) union all (select …)`. */
const KEPT = /^[\s(]*(select|insert|update|delete|with)\b/i;
/** Options this path handles the way PGlite's query() does; anything else falls back to it. */
const KNOWN_OPTIONS = new Set(['rowMode', 'parsers', 'serializers']);

const { serialize } = protocol;
/** PGlite's own parsers by type OID, as parseResults takes them. */
type Parsers = PGlite['parsers'];
/** Statement names are unique in the process: several caches may share one PGlite (tests do). */
let named = 0;

/** A value of a type PGlite has no serializer for (uuid, text, …), as the text PostgreSQL parses. */
function asText(v: unknown): string {
  if (typeof v === 'string') {
    return v;
  }
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') {
    return String(v);
  }
  return v instanceof Date ? v.toISOString() : JSON.stringify(v);
}

export class PgliteStatements implements StatementClient {
  private readonly named: LRUCache<string, Named>;
  /** Names evicted from the cache, closed with the next call into the backend. */
  private toClose: string[] = [];

  constructor(
    private readonly pg: PGlite,
    max = 500,
  ) {
    this.named = new LRUCache<string, Named>({ max, dispose: (n) => this.toClose.push(n.name) });
  }

  /** Statements currently kept (for tests). */
  get size(): number {
    return this.named.size;
  }

  query<T>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    if (!this.keeps(sql, options)) {
      return this.pg.query<T>(sql, params, options);
    }
    return this.pg._checkReady().then(() => this.pg._runExclusiveTransaction(() => this.pg._runExclusiveQuery(() => this.run<T>(sql, params, options, false))));
  }

  transaction<T>(fn: (tx: StatementTransaction) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) =>
      fn({
        query: <R>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<R>> => {
          if (tx.closed) {
            return Promise.reject(new Error('Transaction is closed'));
          }
          if (!this.keeps(sql, options)) {
            return tx.query<R>(sql, params, options);
          }
          return this.pg._runExclusiveQuery(() => this.run<R>(sql, params, options, true));
        },
        exec: (sql, options) => tx.exec(sql, options),
        rollback: () => tx.rollback(),
        get closed() {
          return tx.closed;
        },
      }),
    );
  }

  private keeps(sql: string, options: QueryOptions | undefined): boolean {
    if (!KEPT.test(sql)) {
      return false;
    }
    return options === undefined || Object.keys(options).every((k) => KNOWN_OPTIONS.has(k));
  }

  private async run<T>(sql: string, params: readonly unknown[], options: QueryOptions | undefined, inTransaction: boolean): Promise<Results<T>> {
    const st = this.named.get(sql) ?? (await this.prepare(sql));
    const serializers = options?.serializers;
    const values = params.map((v, i) => {
      if (v === null || v === undefined) {
        return null;
      }
      const type = st.types[i] ?? 0;
      const s = serializers?.[type] ?? this.pg.serializers[type];
      return s ? s(v) : asText(v);
    });
    const messages = await this.exchange(
      Buffer.concat([...this.closing(), serialize.bind({ statement: st.name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]),
      !inTransaction,
    );
    const [result] = parse.parseResults(messages, this.parsersFor(options?.parsers), options?.rowMode ? { rowMode: options.rowMode } : undefined);
    if (!result) {
      throw new Error('PGlite returned no result for a statement');
    }
    return result as Results<T>;
  }

  /**
   * PGlite's parsers (≈ 320 types) with the caller's over them, merged once per caller's object:
   * parseResults spreads both into a new object on every call when given `parsers`, which was ≈ 7 %
   * of the server's busy time while 1,000 delegates connected (drizzle passes the same object on
   * every run of a prepared statement). Kept with the base object it was merged from. The merged
   * object inherits PGlite's parsers instead of copying them (parseResults only looks a type up), so
   * a caller's object seen once costs ~10 properties, not ~320: drizzle's non-prepared queries (every
   * ballot batch) bring a new one each time (`parsersFor` was ≈ 6 % of the voting window on PGlite).
   */
  private readonly merged = new WeakMap<object, { readonly base: Parsers; readonly all: Parsers }>();

  private parsersFor(own: QueryOptions['parsers']): Parsers {
    const base = this.pg.parsers;
    if (!own) {
      return base;
    }
    let hit = this.merged.get(own);
    if (hit?.base !== base) {
      hit = { base, all: Object.assign(Object.create(base) as Parsers, own) };
      this.merged.set(own, hit);
    }
    return hit.all;
  }

  /**
   * One exchange with the backend, its answer parsed by node-postgres's protocol parser (pg-protocol)
   * rather than PGlite's. PGlite's parser is written for browsers too (DataView, no Buffer): it copies
   * every field of every row into an ArrayBuffer of its own before decoding it, and that was most of a
   * statement's CPU once rows have a few dozen columns (the handshake read of 8 sockets: ≈ 1.3 ms, of
   * which PGlite's `bytes` alone was a quarter; docs/benchmarks.md "Live room, seventeenth round").
   * pg-protocol decodes each field straight from the answer's one Buffer. Its messages have the same
   * names and fields as PGlite's (PGlite's parser is a port of it), so PGlite's parseResults reads them.
   * The raw stream hands over views of the backend's memory, which the next write reuses: each chunk
   * is copied once. An error answer is thrown as pg-protocol's DatabaseError (PGlite's has the same
   * fields). Notices are dropped, as PGlite drops them unless debugging; this path never LISTENs.
   */
  private async exchange(message: Uint8Array, syncToFs: boolean): Promise<BackendMessage[]> {
    const chunks: Buffer[] = [];
    await this.pg.execProtocolRawStream(message, { syncToFs, onRawData: (chunk) => chunks.push(Buffer.from(chunk)) });
    const messages: BackendMessage[] = [];
    let error: DatabaseError | undefined;
    new Parser().parse(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks), (m) => {
      if (m instanceof DatabaseError) {
        error ??= m;
      } else if (m.name !== 'notice') {
        messages.push(m);
      }
    });
    if (error) {
      throw error;
    }
    return messages;
  }

  private async prepare(sql: string): Promise<Named> {
    const name = `ecab_s${++named}`;
    const { messages } = await this.pg.execProtocol(Buffer.concat([...this.closing(), serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync()]), {
      syncToFs: false,
    });
    const st: Named = { name, types: parse.parseDescribeStatementResults(messages) };
    this.named.set(sql, st);
    return st;
  }

  private closing(): Uint8Array[] {
    if (this.toClose.length === 0) {
      return [];
    }
    const out = this.toClose.map((name) => serialize.close({ type: 'S', name }));
    this.toClose = [];
    return out;
  }
}
