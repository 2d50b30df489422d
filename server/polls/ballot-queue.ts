import { performance } from 'node:perf_hooks';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { anyUuid, rowsOf } from '../db/batch-sql';
import { afterWindow } from '../db/read-batch';
import type { Logger } from 'pino';
import type { Db, Tx } from '../db/client';
import { meetingMembers, meetings, namedBallots, polls, SECRET_BALLOTS_KEY, secretTallies, secretVoters } from '../db/schema';
import { appendAuditBatch, auditChainArgs, auditRow, type AuditEntry } from '../audit/log';
import { AppError, notFound } from '../errors';
import type { BallotCast } from '../../shared/room/schemas';
import type { Member } from '../meetings/member';
import { assertOpen, namedAudit, resolveNamedConflict, resolveSecretConflict, secretAudit } from './ballot-rules';
import type { PollCache } from './poll-cache';
import { pollOptions, type PollRow } from './tally';

export interface BallotJob {
  readonly poll: PollRow;
  readonly member: Member;
  readonly input: BallotCast;
}

interface Queued extends BallotJob {
  resolve(duplicate: boolean): void;
  reject(err: unknown): void;
}

type Outcome = { ok: true; duplicate: boolean } | { ok: false; err: AppError };

export interface BallotQueueOptions {
  /** The most ballots one batch writes (default 200); more go in the next. */
  readonly maxBatch?: number;
  /**
   * Spaces the batches (default 0: off): a batch due within `gatherMs` of the previous batch's start
   * waits until then, collecting the ballots that arrive meanwhile. A ballot on a quiet queue goes at
   * once; under a vote's storm a ballot waits at most `gatherMs` more, and the batches are at most
   * 1000 / `gatherMs` a second. See BALLOT_GATHER_MS.
   */
  readonly gatherMs?: number;
}

/**
 * The room's ballot batches are spaced by 10 ms. Without it, 1,000 delegates voting within a second
 * made ≈ 2 ballots per batch (each statement answers in about a millisecond, and the next batch took
 * what had arrived meanwhile): 2,105 statements for 4,000 ballots, each one a round trip whose
 * `writev` alone cost the server ≈ 0.2 ms on loopback. With 10 ms, ≈ 9 ballots per batch: the
 * server's CPU in the rounds fell by a quarter and PostgreSQL's by half, for ≈ 5 ms more ack p50
 * (docs/benchmarks.md "Live room, fifteenth round"). The ack p99 target is 25 ms: 15 ms would eat
 * most of it.
 */
export const BALLOT_GATHER_MS = 10;

/**
 * Group commit for ballots: ballots that arrive while a transaction runs are written together in
 * the next one. Nobody waits for a batch to fill: an idle queue runs a single ballot at once. Each
 * ballot is still acknowledged only after the commit that contains it. A batch costs a fixed number
 * of statements whatever its size: its new named ballots ONE (castNew); the rest, if any, a
 * transaction with the polls' status under FOR SHARE, the voters' membership, one multi-row insert
 * per ballot kind and one audit append for all its entries; only conflicts (retries, second
 * devices, changed votes) are resolved one by one. A refused ballot
 * (AppError) writes nothing, so it does not disturb the others; a database error re-runs the batch
 * one by one.
 */
export class BallotQueue {
  private readonly queue: Queued[] = [];
  private running = false;
  private scheduled = false;
  /** When the last batch started (performance.now()); -Infinity before the first. */
  private startedAt = Number.NEGATIVE_INFINITY;
  private readonly maxBatch: number;
  private readonly gatherMs: number;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly polls?: PollCache,
    { maxBatch = 200, gatherMs = 0 }: BallotQueueOptions = {},
  ) {
    this.maxBatch = maxBatch;
    this.gatherMs = gatherMs;
  }

  submit(job: BallotJob): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ ...job, resolve, reject });
      this.scheduleDrain();
    });
  }

  /**
   * Starts the next batch after the current I/O phase (setImmediate), not from inside the handler
   * of the first ballot: every ballot whose message was read in the same event-loop turn joins that
   * batch. Measured on PGlite (docs/benchmarks.md "Votes"): a whole transaction there runs inside
   * microtasks, before Node reads the next socket, so starting at once made nearly every batch a
   * single ballot (≈ 900 transactions of 7 statements for 1,000 ballots). With `gatherMs`, a batch
   * due within `gatherMs` of the previous one's start waits until then.
   */
  private scheduleDrain(): void {
    if (this.running || this.scheduled) {
      return;
    }
    this.scheduled = true;
    afterWindow(this.startedAt, this.gatherMs, () => {
      this.scheduled = false;
      void this.drain();
    });
  }

  /** The next turn, or, within `gatherMs` of the last batch's start, the end of that window. */
  private untilGathered(): Promise<void> {
    return new Promise<void>((resolve) => afterWindow(this.startedAt, this.gatherMs, resolve));
  }

  private async drain(): Promise<void> {
    if (this.running) {
      return;
    }
    this.running = true;
    try {
      while (this.queue.length > 0) {
        this.startedAt = performance.now();
        await this.runBatch(this.queue.splice(0, this.maxBatch));
        // One more turn (or the rest of the window) before a partial batch, so ballots read meanwhile join it.
        if (this.queue.length > 0 && this.queue.length < this.maxBatch) {
          await this.untilGathered();
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async runBatch(batch: Queued[]): Promise<void> {
    const rest = await this.castNew(batch);
    if (rest.length > 0) {
      await this.runFull(rest);
    }
  }

  /**
   * The common case in one statement per ballot kind: every ballot that needs nothing but an insert
   * is written, with its audit entry, by the database function `cast_named_ballots` or
   * `cast_secret_ballots` (migration 0017), outside any explicit transaction (the statement is one),
   * and resolved here. The full path below was seven round trips per batch (BEGIN, two reads, the
   * insert, the audit lock and append, COMMIT): ≈ 40 % of the server's socket writes while 1,000
   * delegates voted were these statements (docs/benchmarks.md "Live room, seventh round"). Returns the
   * ballots left for the full path: refusals, retries and changed votes, which that path resolves
   * exactly as before (it sees the ballots committed here as a voter's existing ballot).
   */
  private async castNew(batch: Queued[]): Promise<Queued[]> {
    const kinds = [batch.filter((b) => !b.poll.secret), batch.filter((b) => b.poll.secret)];
    const done = new Set<Queued>();
    for (const jobs of kinds) {
      if (jobs.length === 0) {
        continue;
      }
      try {
        for (const ord of await castNewBallots(this.db, jobs)) {
          const b = jobs[ord];
          if (b) {
            done.add(b);
          }
        }
      } catch (err) {
        this.log.warn({ err, size: jobs.length }, 'ballot batch failed; taking the full path');
      }
    }
    const rest: Queued[] = [];
    for (const b of batch) {
      if (done.has(b)) {
        b.resolve(false);
      } else {
        rest.push(b);
      }
    }
    return rest;
  }

  private async runFull(batch: Queued[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.db.transaction((tx) => writeBatch(tx, batch));
    } catch (err) {
      if (batch.length > 1) {
        this.log.warn({ err, size: batch.length }, 'ballot batch failed; retrying ballots one by one');
        for (const b of batch) {
          await this.runFull([b]);
        }
        return;
      }
      batch[0]?.reject(err);
      return;
    }
    for (const [i, b] of batch.entries()) {
      const o = outcomes[i];
      if (o?.ok) {
        b.resolve(o.duplicate);
      } else {
        if (o?.err.code === 'POLL_CLOSED' || o?.err.code === 'POLL_NOT_OPEN') {
          // Closed or cancelled on another node: this node's cached "open" was stale.
          this.polls?.forget(b.poll.id);
        }
        b.reject(o?.err ?? new Error('ballot outcome missing'));
      }
    }
  }
}

const key = (...parts: string[]): string => parts.join(':');

/** One transaction for the whole batch; returns one outcome per ballot, in order. */
async function writeBatch(tx: Tx, batch: readonly BallotJob[]): Promise<Outcome[]> {
  const out: Outcome[] = batch.map(() => ({ ok: true, duplicate: false }));
  const audit: (AuditEntry | undefined)[] = [];
  const refuse = (i: number, err: unknown): void => {
    if (!(err instanceof AppError)) {
      throw err;
    }
    out[i] = { ok: false, err };
  };

  // FOR SHARE: ballots run side by side; closing (FOR UPDATE) waits for those in flight, so every
  // acked ballot is in the result. This, not any cache, decides whether a poll is open.
  const pollIds = [...new Set(batch.map((b) => b.poll.id))];
  const states = await tx
    .select({ id: polls.id, meetingId: polls.meetingId, status: polls.status, closesAt: polls.closesAt })
    .from(polls)
    .where(anyUuid(polls.id, pollIds))
    .for('share');
  const stateOf = new Map(states.map((s) => [s.id, s]));
  // The voter is (still) a voting member, and the meeting's signed-ballot rule as it is now: both may
  // have changed since the socket's cached view of the member (MemberCache).
  const voters = await tx
    .select({
      meetingId: meetingMembers.meetingId,
      userId: meetingMembers.userId,
      requireSigned: meetings.requireSignedBallots,
    })
    .from(meetingMembers)
    .innerJoin(meetings, eq(meetings.id, meetingMembers.meetingId))
    .where(
      and(
        anyUuid(meetingMembers.meetingId, new Set(batch.map((b) => b.member.meeting.id))),
        anyUuid(meetingMembers.userId, new Set(batch.map((b) => b.member.userId))),
        inArray(meetingMembers.role, ['chair', 'delegate']),
      ),
    );
  const voting = new Map(voters.map((v) => [key(v.meetingId, v.userId), v.requireSigned]));

  const named: number[] = [];
  const secret: number[] = [];
  for (const [i, b] of batch.entries()) {
    try {
      const s = stateOf.get(b.poll.id);
      // Only a poll of the meeting the voter votes in (the cache answers so; checked here too).
      if (s?.meetingId !== b.member.meeting.id) {
        throw notFound('Poll');
      }
      assertOpen(s.status, s.closesAt);
      const requireSigned = voting.get(key(b.member.meeting.id, b.member.userId));
      if (requireSigned === undefined) {
        throw new AppError(
          403,
          'FORBIDDEN',
          'Only voting members (chair and delegates) of this meeting vote',
        );
      }
      // A signature that is present was verified before queueing (verifyBallotSignatureHook).
      if (requireSigned && !b.poll.secret && (!b.input.signature || !b.input.nonce || !b.input.castAt)) {
        throw new AppError(
          400,
          'INVALID_SIGNATURE',
          'This meeting requires signed ballots: send signature, nonce and castAt',
        );
      }
      (b.poll.secret ? secret : named).push(i);
    } catch (err) {
      refuse(i, err);
    }
  }

  const conflicts: number[] = [];
  if (named.length > 0) {
    // ON CONFLICT DO NOTHING skips a second ballot of the same voter (or a used ballot id), also
    // within this statement; each skipped one is resolved below. A returned row belongs to the
    // first job with the same (poll, voter, ballot id); a later identical one is a retry.
    const rows = await insertNamed(
      tx,
      named.map((i) => batch[i] as BallotJob),
    );
    const inserted = new Set(rows.map((r) => key(r.pollId, r.voterId, r.id)));
    for (const i of named) {
      const b = batch[i] as BallotJob;
      const k = key(b.poll.id, b.member.userId, b.input.ballotId);
      if (inserted.delete(k)) {
        audit[i] = namedAudit(b.poll, b.member, b.input, 'ballot.cast');
      } else {
        conflicts.push(i);
      }
    }
  }
  if (secret.length > 0) {
    const rows = await insertSecretVoters(
      tx,
      secret.map((i) => batch[i] as BallotJob),
    );
    const inserted = new Set(rows.map((r) => key(r.pollId, r.userId, r.ballotId)));
    const counted: BallotJob[] = [];
    for (const i of secret) {
      const b = batch[i] as BallotJob;
      if (inserted.delete(key(b.poll.id, b.member.userId, b.input.ballotId))) {
        counted.push(b);
        audit[i] = secretAudit(b.poll, b.member);
      } else {
        conflicts.push(i);
      }
    }
    await countSecret(tx, counted);
  }
  for (const i of conflicts.sort((a, b) => a - b)) {
    const b = batch[i] as BallotJob;
    try {
      const r = b.poll.secret
        ? await resolveSecretConflict(tx, b.poll, b.member, b.input)
        : await resolveNamedConflict(tx, b.poll, b.member, b.input);
      out[i] = { ok: true, duplicate: r.duplicate };
      audit[i] = r.audit;
    } catch (err) {
      refuse(i, err);
    }
  }
  // Last statement before COMMIT: the chain's lock is held only from here to the commit.
  await appendAuditBatch(
    tx,
    audit.filter((a): a is AuditEntry => a !== undefined),
  );
  return out;
}

const Ords = z.array(z.object({ ord: z.number().int() }));

/** See BallotQueue.castNew: `jobs` all of one kind; returns the indexes (in `jobs`) of the ballots written. */
async function castNewBallots(db: Db, jobs: readonly BallotJob[]): Promise<number[]> {
  const at = new Date().toISOString();
  const secret = jobs[0]?.poll.secret === true;
  const rows = jobs.map((b, ord) => {
    const who = { ord, id: b.input.ballotId, poll_id: b.poll.id, meeting_id: b.member.meeting.id, voter_id: b.member.userId };
    if (secret) {
      // Counter keys only: the choice never reaches a row of its own.
      return {
        ...who,
        options: [SECRET_BALLOTS_KEY, ...pollOptions(b.poll).map((o) => o.id)],
        adds: [SECRET_BALLOTS_KEY, ...b.input.choice],
        audit: auditRow(at, secretAudit(b.poll, b.member)),
      };
    }
    return {
      ...who,
      choice: JSON.stringify(b.input.choice),
      signature: b.input.signature ?? null,
      nonce: b.input.nonce ?? null,
      cast_at: b.input.castAt ?? null,
      // As writeBatch's rule: a meeting that requires signed ballots needs all three.
      signed: Boolean(b.input.signature && b.input.nonce && b.input.castAt),
      audit: auditRow(at, namedAudit(b.poll, b.member, b.input, 'ballot.cast')),
    };
  });
  const args = sql`${JSON.stringify(rows)}::json, ${sql.param([...new Set(jobs.map((b) => b.poll.id))])}::uuid[], ${at}::timestamptz, ${auditChainArgs()}`;
  const res = await db.execute(
    secret
      ? sql`select cast_secret_ballots as ord from cast_secret_ballots(${args})`
      : sql`select cast_named_ballots as ord from cast_named_ballots(${args})`,
  );
  return Ords.parse(rowsOf(res)).map((r) => r.ord);
}

const Inserted = z.array(z.object({ id: z.string(), pollId: z.string(), voterId: z.string() }));
const InsertedVoters = z.array(z.object({ pollId: z.string(), userId: z.string(), ballotId: z.string() }));

/**
 * The batch's multi-row inserts take their rows as ONE json parameter (as appendAuditBatch does), not
 * drizzle's `values(rows)`: that writes one parameter per field, so building the statement cost
 * ≈ 0.17 ms per ballot in the vote profile, and its text changed with every batch size (re-planned
 * each time). ON CONFLICT DO NOTHING skips a second ballot of the same voter (or a used ballot id),
 * also within this statement; the caller resolves each skipped one.
 */
async function insertNamed(tx: Tx, jobs: readonly BallotJob[]): Promise<z.infer<typeof Inserted>> {
  const rows = jobs.map((b) => ({
    id: b.input.ballotId,
    poll_id: b.poll.id,
    voter_id: b.member.userId,
    choice: JSON.stringify(b.input.choice),
    signature: b.input.signature ?? null,
    nonce: b.input.nonce ?? null,
    cast_at: b.input.castAt ?? null,
  }));
  const res = await tx.execute(sql`
    insert into ${namedBallots} (id, poll_id, voter_id, choice, signature, nonce, cast_at)
    select * from json_to_recordset(${JSON.stringify(rows)}::json)
      as x(id uuid, poll_id uuid, voter_id uuid, choice text, signature text, nonce text, cast_at text)
    on conflict do nothing
    returning id, poll_id as "pollId", voter_id as "voterId"`);
  return Inserted.parse(rowsOf(res));
}

/** The secret batch's voters (who voted, never what), in the batch's order; as insertNamed. */
async function insertSecretVoters(tx: Tx, jobs: readonly BallotJob[]): Promise<z.infer<typeof InsertedVoters>> {
  const rows = jobs.map((b) => ({ poll_id: b.poll.id, user_id: b.member.userId, ballot_id: b.input.ballotId }));
  const res = await tx.execute(sql`
    insert into ${secretVoters} (poll_id, user_id, ballot_id)
    select * from json_to_recordset(${JSON.stringify(rows)}::json) as x(poll_id uuid, user_id uuid, ballot_id uuid)
    on conflict do nothing
    returning poll_id as "pollId", user_id as "userId", ballot_id as "ballotId"`);
  return InsertedVoters.parse(rowsOf(res));
}

/**
 * Adds a batch's secret ballots to the per-(poll, option) counters (secret_tallies), in one statement.
 * Every counter of each poll is rewritten, chosen or not (+0), in a fixed order: the rows then carry
 * the same transaction id and nothing in them tells which option this transaction's voters chose
 * (docs/architecture.md "Guarantees of a vote").
 */
async function countSecret(tx: Tx, counted: readonly BallotJob[]): Promise<void> {
  if (counted.length === 0) {
    return;
  }
  const deltas = new Map<string, { poll: PollRow; votes: Map<string, number> }>();
  for (const b of counted) {
    let d = deltas.get(b.poll.id);
    if (!d) {
      d = { poll: b.poll, votes: new Map([[SECRET_BALLOTS_KEY, 0], ...pollOptions(b.poll).map((o): [string, number] => [o.id, 0])]) };
      deltas.set(b.poll.id, d);
    }
    d.votes.set(SECRET_BALLOTS_KEY, (d.votes.get(SECRET_BALLOTS_KEY) ?? 0) + 1);
    for (const c of b.input.choice) {
      d.votes.set(c, (d.votes.get(c) ?? 0) + 1);
    }
  }
  const values = [...deltas.values()].flatMap(({ poll, votes }) =>
    [...votes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([optionId, n]) => ({ pollId: poll.id, optionId, votes: n })),
  );
  await tx
    .insert(secretTallies)
    .values(values)
    .onConflictDoUpdate({
      target: [secretTallies.pollId, secretTallies.optionId],
      set: { votes: sql`${secretTallies.votes} + excluded.votes` },
    });
}
