import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { anyUuid } from '../db/batch-sql';
import type { Executor } from '../db/client';
import { meetingMembers, namedBallots, polls, SECRET_BALLOTS_KEY, secretTallies, secretVoters, users } from '../db/schema';
import { baseSize, electionOutcome, meetsThreshold, percentOf, votesNeeded, type Threshold } from '../../shared/domain/majority';
import type { PollOption, PollResult, PollView } from '../../shared/room/snapshot';
import { votingCounts } from '../meetings/voting-members';
import { paperCounts, paperFigures } from './paper-figures';

export type PollRow = typeof polls.$inferSelect;

const Options = z.array(z.object({ id: z.string(), label: z.string() }));
const Choice = z.array(z.string());

const parsedOptions = new WeakMap<PollRow, PollOption[]>();

/** The poll's options (parsed once per row object: cached open rows are asked on every ballot). */
export function pollOptions(p: PollRow): PollOption[] {
  let o = parsedOptions.get(p);
  if (!o) {
    o = Options.parse(JSON.parse(p.options));
    parsedOptions.set(p, o);
  }
  return o;
}

export function parseChoice(text: string): string[] {
  return Choice.parse(JSON.parse(text));
}

export function pollThreshold(p: PollRow): Threshold {
  return { kind: 'custom', num: p.thresholdNum, den: p.thresholdDen, strict: p.thresholdStrict };
}

/** A poll's counts per option and its number of ballots (closed, or running while it is open). */
export interface Counted {
  readonly counts: Record<string, number>;
  readonly cast: number;
}

/** Counts per option and number of ballots, from the database (never from memory). */
export async function countBallots(db: Executor, p: PollRow): Promise<Counted> {
  if (p.countedOnPaper) {
    return paperCounts(db, p.id);
  }
  if (p.secret) {
    const rows = await db.select({ optionId: secretTallies.optionId, votes: secretTallies.votes }).from(secretTallies).where(eq(secretTallies.pollId, p.id));
    return secretTallyOf(p, rows);
  }
  // Group by the stored choice text: a handful of distinct combinations, however many voters.
  const rows = await db.select({ choice: namedBallots.choice, n: count() }).from(namedBallots).where(eq(namedBallots.pollId, p.id)).groupBy(namedBallots.choice);
  return tallyOf(p, rows);
}

/** Secret polls keep counters per option (secret_tallies), plus the number of ballots. */
function secretTallyOf(p: PollRow, rows: readonly { optionId: string | null; votes: number | null }[]): Counted {
  const counts: Record<string, number> = {};
  for (const o of pollOptions(p)) {
    counts[o.id] = 0;
  }
  let cast = 0;
  for (const r of rows) {
    if (r.optionId === null || r.votes === null) {
      continue;
    }
    if (r.optionId === SECRET_BALLOTS_KEY) {
      cast = r.votes;
    } else {
      counts[r.optionId] = r.votes;
    }
  }
  return { counts, cast };
}

/**
 * The counts of a poll that no ballot can have reached yet: one opened by the transaction that just
 * committed (a draft takes no ballot, and its row was locked until that commit). Not for paper counts.
 */
export function noBallots(p: PollRow): Counted {
  return tallyOf(p, []);
}

function tallyOf(p: PollRow, rows: readonly { choice: string | null; n: number }[]): Counted {
  const counts: Record<string, number> = {};
  for (const o of pollOptions(p)) {
    counts[o.id] = 0;
  }
  let cast = 0;
  for (const r of rows) {
    if (r.choice === null) {
      continue;
    }
    cast += r.n;
    for (const id of parseChoice(r.choice)) {
      counts[id] = (counts[id] ?? 0) + r.n;
    }
  }
  return { counts, cast };
}

/**
 * The running tallies of polls that are still open, for any number of polls in at most two indexed
 * statements (one per ballot kind; tally flushes of every poll of a node share them, see
 * TallyBroadcaster): each poll's current status comes with its counts, so a poll closed on another
 * node is not broadcast as open. A poll no longer open maps to null.
 */
export async function countOpenBallots(db: Executor, ps: readonly PollRow[]): Promise<Map<string, Counted | null>> {
  const out = new Map<string, Counted | null>();
  const secret = ps.filter((p) => p.secret);
  const named = ps.filter((p) => !p.secret);
  const [secretRows, namedRows] = await Promise.all([
    secret.length === 0
      ? []
      : db
          .select({ pollId: polls.id, status: polls.status, optionId: secretTallies.optionId, votes: secretTallies.votes })
          .from(polls)
          .leftJoin(secretTallies, eq(secretTallies.pollId, polls.id))
          .where(anyUuid(polls.id, secret.map((p) => p.id))),
    named.length === 0 ? [] : namedCounts(db, named),
  ]);
  const byPoll = <R extends { pollId: string }>(rows: readonly R[]): Map<string, R[]> => {
    const m = new Map<string, R[]>();
    for (const r of rows) {
      const list = m.get(r.pollId);
      if (list) {
        list.push(r);
      } else {
        m.set(r.pollId, [r]);
      }
    }
    return m;
  };
  const secretOf = byPoll(secretRows);
  const namedOf = byPoll(namedRows);
  for (const p of secret) {
    const rows = secretOf.get(p.id) ?? [];
    out.set(p.id, rows[0]?.status === 'open' ? secretTallyOf(p, rows) : null);
  }
  for (const p of named) {
    const rows = namedOf.get(p.id) ?? [];
    out.set(p.id, rows[0]?.status === 'open' ? tallyOf(p, rows) : null);
  }
  return out;
}

/**
 * Named ballots per choice of each poll, counted per poll through its index (a LATERAL subquery).
 * A join of the polls with named_ballots was planned as a hash join over a sequential scan of the
 * whole table, estimated from statistics taken while it was nearly empty: 2–4 ms per flush once a
 * vote of 10,000 delegates had filled it (auto_explain; docs/benchmarks.md, tenth round).
 */
async function namedCounts(db: Executor, ps: readonly PollRow[]): Promise<{ pollId: string; status: string; choice: string | null; n: number }[]> {
  const rows = await namedCountsQuery(
    db,
    ps.map((p) => p.id),
  );
  return rows.map((r) => ({ pollId: r.pollId, status: r.status, choice: r.choice, n: Number(r.n ?? 0) }));
}

/** The statement of namedCounts (its plan is tested: tests/integration/plan-cache.test.ts). */
export function namedCountsQuery(db: Executor, pollIds: readonly string[]) {
  const perChoice = db
    .select({ choice: namedBallots.choice, n: count().as('n') })
    .from(namedBallots)
    .where(eq(namedBallots.pollId, polls.id))
    .groupBy(namedBallots.choice)
    .as('per_choice');
  return db
    .select({ pollId: polls.id, status: polls.status, choice: perChoice.choice, n: perChoice.n })
    .from(polls)
    .leftJoinLateral(perChoice, sql`true`)
    .where(anyUuid(polls.id, pollIds));
}

/** Result of a closed poll: counts, % of base, passed by the rule, named lists, not-voted members. */
export async function pollResult(db: Executor, p: PollRow, counts: Record<string, number>, cast: number, lists = true): Promise<PollResult> {
  const live = p.eligibleAtClose === null || p.presentAtClose === null ? await votingCounts(db, p.meetingId) : null;
  const eligible = p.eligibleAtClose ?? live?.eligible ?? 0;
  const present = p.presentAtClose ?? live?.present ?? 0;
  const base = baseSize(p.base, { all: eligible, present, cast });
  const t = pollThreshold(p);
  const percent: Record<string, number> = {};
  for (const [id, n] of Object.entries(counts)) {
    percent[id] = percentOf(n, base);
  }
  let passed: boolean;
  let elected: string[] | null = null;
  let tie = false;
  if (p.kind === 'election') {
    const out = electionOutcome(counts, base, t, p.maxChoices);
    elected = out.elected;
    tie = out.tie;
    passed = out.elected.length > 0;
  } else {
    passed = meetsThreshold(counts.yes ?? 0, base, t);
  }
  if (p.countedOnPaper) {
    // Paper ballots carry no names: nobody is listed as having voted or not.
    return { counts, base, percent, needed: votesNeeded(base, t), passed, elected, tie, listsOmitted: false, named: null, notVoted: [], eligible, present, cast };
  }
  if (!lists) {
    return { counts, base, percent, needed: votesNeeded(base, t), passed, elected, tie, listsOmitted: true, named: null, notVoted: [], eligible, present, cast };
  }
  const members = await db
    .select({ userId: meetingMembers.userId, displayName: users.displayName })
    .from(meetingMembers)
    .innerJoin(users, eq(users.id, meetingMembers.userId))
    .where(and(eq(meetingMembers.meetingId, p.meetingId), inArray(meetingMembers.role, ['chair', 'delegate'])))
    .orderBy(asc(users.displayName));
  let named: PollResult['named'] = null;
  let votedIds: Set<string>;
  if (p.secret) {
    const voters = await db.select({ userId: secretVoters.userId }).from(secretVoters).where(eq(secretVoters.pollId, p.id));
    votedIds = new Set(voters.map((v) => v.userId));
  } else {
    const rows = await db
      .select({ userId: namedBallots.voterId, displayName: users.displayName, choice: namedBallots.choice })
      .from(namedBallots)
      .innerJoin(users, eq(users.id, namedBallots.voterId))
      .where(eq(namedBallots.pollId, p.id))
      .orderBy(asc(users.displayName));
    named = rows.map((r) => ({ userId: r.userId, displayName: r.displayName, choice: parseChoice(r.choice) }));
    votedIds = new Set(rows.map((r) => r.userId));
  }
  return {
    counts,
    base,
    percent,
    needed: votesNeeded(base, t),
    passed,
    elected,
    tie,
    listsOmitted: false,
    named,
    notVoted: members.filter((m) => !votedIds.has(m.userId)),
    eligible,
    present,
    cast,
  };
}

export interface ViewOptions {
  /** Staff see running counts even when the tally is hidden from delegates. */
  readonly staff: boolean;
  /** Closed polls: include the name lists (named, notVoted); default true. */
  readonly lists?: boolean;
}

/**
 * A poll as the room shows it. `eligibleNow` and `counted` spare the reads when the caller has just
 * read them in the transaction that made this state (the open's quorum check, the close's own count).
 */
export async function pollView(db: Executor, p: PollRow, opts: ViewOptions, eligibleNow?: number, counted?: Counted): Promise<PollView> {
  const { counts, cast } = p.status === 'draft' ? { counts: {}, cast: 0 } : (counted ?? (await countBallots(db, p)));
  const eligible = p.eligibleAtClose ?? eligibleNow ?? (await votingCounts(db, p.meetingId)).eligible;
  const closed = p.status === 'closed';
  const showCounts = p.status !== 'draft' && (closed || !p.hideTally || opts.staff);
  return {
    pollId: p.id,
    meetingId: p.meetingId,
    itemId: p.itemId,
    title: p.title,
    kind: p.kind,
    options: pollOptions(p),
    maxChoices: p.maxChoices,
    secret: p.secret,
    base: p.base,
    threshold: { num: p.thresholdNum, den: p.thresholdDen, strict: p.thresholdStrict },
    correction: p.correction,
    durationSeconds: p.durationSeconds,
    hideTally: p.hideTally,
    status: p.status,
    openedAt: p.openedAt?.toISOString() ?? null,
    closesAt: p.closesAt?.toISOString() ?? null,
    closedAt: p.closedAt?.toISOString() ?? null,
    replacesPollId: p.replacesPollId,
    reason: p.reason,
    progress: { voted: cast, eligible },
    counts: showCounts ? counts : null,
    result: closed ? await pollResult(db, p, counts, cast, opts.lists ?? true) : null,
    paper: p.countedOnPaper ? await paperFigures(db, p.id) : null,
  };
}
