import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
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

/** Counts per option and number of ballots, from the database (never from memory). */
export async function countBallots(db: Executor, p: PollRow): Promise<{ counts: Record<string, number>; cast: number }> {
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
function secretTallyOf(p: PollRow, rows: readonly { optionId: string | null; votes: number | null }[]): { counts: Record<string, number>; cast: number } {
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

function tallyOf(p: PollRow, rows: readonly { choice: string | null; n: number }[]): { counts: Record<string, number>; cast: number } {
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
 * The running tally of a poll that is still open, in ONE indexed statement (tally flushes):
 * the poll's current status comes with the counts, so a poll closed on another node is not broadcast
 * as open. Returns null when the poll is no longer open.
 */
export async function countOpenBallots(db: Executor, p: PollRow): Promise<{ counts: Record<string, number>; cast: number } | null> {
  if (p.secret) {
    const rows = await db
      .select({ status: polls.status, optionId: secretTallies.optionId, votes: secretTallies.votes })
      .from(polls)
      .leftJoin(secretTallies, eq(secretTallies.pollId, polls.id))
      .where(eq(polls.id, p.id));
    return rows[0]?.status === 'open' ? secretTallyOf(p, rows) : null;
  }
  const rows = await db
    .select({ status: polls.status, choice: namedBallots.choice, n: count(namedBallots.id) })
    .from(polls)
    .leftJoin(namedBallots, eq(namedBallots.pollId, polls.id))
    .where(eq(polls.id, p.id))
    .groupBy(polls.status, namedBallots.choice);
  if (rows[0]?.status !== 'open') {
    return null;
  }
  return tallyOf(p, rows);
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

export async function pollView(db: Executor, p: PollRow, opts: ViewOptions, eligibleNow?: number): Promise<PollView> {
  const { counts, cast } = p.status === 'draft' ? { counts: {}, cast: 0 } : await countBallots(db, p);
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

export async function loadPoll(db: Executor, meetingId: string, pollId: string): Promise<PollRow | undefined> {
  const [p] = await db.select().from(polls).where(and(eq(polls.id, pollId), eq(polls.meetingId, meetingId))).limit(1);
  return p;
}
