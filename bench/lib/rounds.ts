import type { PollView } from '../../shared/room/events';
import type { SimChair } from './chair';
import type { AckRecord } from './ipc';
import { maxOf, now, summarize } from './stats';
import type { WorkerPool } from './workers';

/** Raw observations of all rounds; bench/lib/report.ts turns them into the JSON figures. */
export interface Observations {
  /** Per delegate and round: poll:open sent by the chair → poll:update(open) received. */
  openSeen: number[];
  /** Per poll: the slowest delegate's openSeen (= seen by all). */
  openAllSeen: number[];
  openMissing: number;
  /** Per acknowledged ballot: sent → ack received (retries included). */
  ack: number[];
  /**
   * The same, split by when the ballot was sent: within OPENING_MS of its poll's `poll:open` (sent by
   * the chair), or later. With 300 meetings the ack tail is the opening (docs/benchmarks.md "Live
   * room, fifteenth round"); this tells a slow opening from a slow vote.
   */
  ackOpening: number[];
  ackLater: number[];
  /**
   * The same, by when the ballot was sent: per TIMELINE_MS since the round's first `poll:open` (index
   * = slot). Tells which part of a round holds the tail: the opening, the vote's peak, its end.
   */
  ackTimeline: number[][];
  /** Per worker and round: its event loop's delay p99 and max (ms) while the round's ballots were acked. */
  clientLoopDelay: { p99Ms: number; maxMs: number }[];
  ackFailed: Record<string, number>;
  unanswered: number;
  /** Per delegate and round: last ballot ack of its meeting → first tally with every acked ballot. */
  finalTally: number[];
  /** Per poll: the slowest delegate's finalTally (= final tally on every client). */
  finalTallyAll: number[];
  tallyMissing: number;
  /** Per delegate: poll:close sent → closed poll with result received. */
  closeSeen: number[];
  closeMissing: number;
  lost: number;
  duplicated: number;
  /** Counted but never acknowledged (should be 0 when no ballot failed). */
  unacked: number;
  /** Clients whose final counts differ from the chair's. */
  inconsistent: number;
  /** Per delegate and round: the `poll:tally` frames it got for the round's poll (open to close). */
  tallyFrames: number[];
  perRound: { round: number; openAllSeenMaxMs: number; ackCount: number; ackP50Ms: number | null; ackP99Ms: number | null; finalTallyAllMaxMs: number; closeAllSeenMaxMs: number }[];
}

export function emptyObservations(): Observations {
  return {
    openSeen: [],
    openAllSeen: [],
    openMissing: 0,
    ack: [],
    ackOpening: [],
    ackLater: [],
    ackTimeline: [],
    clientLoopDelay: [],
    ackFailed: {},
    unanswered: 0,
    finalTally: [],
    finalTallyAll: [],
    tallyMissing: 0,
    closeSeen: [],
    closeMissing: 0,
    lost: 0,
    duplicated: 0,
    unacked: 0,
    inconsistent: 0,
    tallyFrames: [],
    perRound: [],
  };
}

export interface RoundDeps {
  readonly chairs: readonly SimChair[];
  readonly pool: WorkerPool;
  readonly spreadMs: number;
  /** The chairs vote too (the default; `--chair-abstains`: they only run the polls). */
  readonly chairVotes: boolean;
  readonly log: (line: string) => void;
}


/** See Observations.ackOpening. */
export const OPENING_MS = 1_000;
/** See Observations.ackTimeline. */
export const TIMELINE_MS = 500;

/** One full vote in every meeting at once: create → open → everyone votes → final tally → close. */
export async function runRound(d: RoundDeps, round: number, obs: Observations): Promise<void> {
  const polls: Record<string, string> = {};
  await Promise.all(
    d.chairs.map(async (c) => {
      polls[c.meetingId] = await c.create(`Biểu quyết nghị quyết số ${round} (benchmark)`);
    }),
  );
  const openAt = new Map<string, number>();
  await Promise.all(
    d.chairs.map(async (c) => {
      const pollId = polls[c.meetingId] ?? '';
      openAt.set(pollId, now());
      await c.open(pollId);
    }),
  );

  const [votes, chairAcks] = await Promise.all([
    d.pool.all('votes', { t: 'votes', polls, timeoutMs: d.spreadMs + 120_000 }),
    Promise.all(d.chairVotes ? d.chairs.map((c) => c.vote(polls[c.meetingId] ?? '', d.spreadMs)) : []),
  ]);
  const byPoll = new Map<string, number[]>();
  const acks: AckRecord[] = [...chairAcks];
  for (const v of votes) {
    obs.unanswered += v.unanswered;
    obs.clientLoopDelay.push(v.loopDelay);
    for (const s of v.openSeen) {
      if (s.at === null) {
        obs.openMissing += 1;
        continue;
      }
      const lat = s.at - (openAt.get(s.pollId) ?? s.at);
      obs.openSeen.push(lat);
      byPoll.set(s.pollId, [...(byPoll.get(s.pollId) ?? []), lat]);
    }
    acks.push(...v.acks);
  }
  const openAllSeen = [...byPoll.values()].map(maxOf);
  obs.openAllSeen.push(...openAllSeen);

  const ackFrom = obs.ack.length;
  const firstOpen = Math.min(...openAt.values());
  const lastAck = new Map<string, number>();
  const expected: Record<string, number> = {};
  for (const a of acks) {
    if (!a.ok) {
      obs.ackFailed[a.code ?? 'UNKNOWN'] = (obs.ackFailed[a.code ?? 'UNKNOWN'] ?? 0) + 1;
      continue;
    }
    const latency = a.ackAt - a.sentAt;
    obs.ack.push(latency);
    (a.sentAt - (openAt.get(a.pollId) ?? a.sentAt) < OPENING_MS ? obs.ackOpening : obs.ackLater).push(latency);
    const slot = Math.max(0, Math.floor((a.sentAt - firstOpen) / TIMELINE_MS));
    for (let i = obs.ackTimeline.length; i <= slot; i++) {
      obs.ackTimeline.push([]);
    }
    obs.ackTimeline[slot]?.push(latency);
    lastAck.set(a.pollId, Math.max(lastAck.get(a.pollId) ?? 0, a.ackAt));
    expected[a.pollId] = (expected[a.pollId] ?? 0) + 1;
  }
  d.log(`round ${round}: ${acks.length} ballots answered, open seen by all in ≤ ${Math.round(maxOf(openAllSeen))} ms`);

  const tally = await d.pool.all('tally', { t: 'tally', polls, expected, timeoutMs: 30_000 });
  const tallyByPoll = new Map<string, number[]>();
  for (const r of tally.flatMap((t) => t.reached)) {
    if (r.at === null) {
      obs.tallyMissing += 1;
      continue;
    }
    // The tally may overtake the last voter's own ack on the wire: that is 0 ms late, not negative.
    const lat = Math.max(0, r.at - (lastAck.get(r.pollId) ?? r.at));
    obs.finalTally.push(lat);
    tallyByPoll.set(r.pollId, [...(tallyByPoll.get(r.pollId) ?? []), lat]);
  }
  const finalAll = [...tallyByPoll.values()].map(maxOf);
  obs.finalTallyAll.push(...finalAll);

  const closeAt = new Map<string, number>();
  const results = new Map<string, PollView>();
  await Promise.all(
    d.chairs.map(async (c) => {
      const pollId = polls[c.meetingId] ?? '';
      closeAt.set(pollId, now());
      results.set(pollId, await c.close(pollId));
    }),
  );
  const closed = await d.pool.all('closed', { t: 'closed', polls, timeoutMs: 60_000 });
  const closeByPoll = new Map<string, number[]>();
  for (const s of closed.flatMap((c) => c.seen)) {
    obs.tallyFrames.push(s.tallies);
    if (s.at === null) {
      obs.closeMissing += 1;
      continue;
    }
    const lat = s.at - (closeAt.get(s.pollId) ?? s.at);
    obs.closeSeen.push(lat);
    closeByPoll.set(s.pollId, [...(closeByPoll.get(s.pollId) ?? []), lat]);
    if (s.counts !== countsKey(results.get(s.pollId))) {
      obs.inconsistent += 1;
    }
  }
  checkResults(acks, results, obs);
  const roundAck = summarize(obs.ack.slice(ackFrom));
  obs.perRound.push({
    round,
    openAllSeenMaxMs: Math.round(maxOf(openAllSeen)),
    ackCount: acks.filter((a) => a.ok).length,
    ackP50Ms: roundAck.p50Ms,
    ackP99Ms: roundAck.p99Ms,
    finalTallyAllMaxMs: Math.round(maxOf(finalAll)),
    closeAllSeenMaxMs: Math.round(maxOf([...closeByPoll.values()].map(maxOf))),
  });
}

function countsKey(p: PollView | undefined): string | null {
  const c = p?.result?.counts;
  return c ? JSON.stringify(Object.keys(c).sort().map((k) => [k, c[k]])) : null;
}

/**
 * lost = acknowledged ballots missing from the final named result (or counted with another choice);
 * duplicated = counted ballots beyond one per distinct voter; unacked = counted, never acknowledged.
 */
function checkResults(acks: readonly AckRecord[], results: ReadonlyMap<string, PollView>, obs: Observations): void {
  const acked = new Map<string, Map<string, string>>();
  for (const a of acks) {
    if (a.ok) {
      const m = acked.get(a.pollId) ?? new Map<string, string>();
      m.set(a.userId, a.choice);
      acked.set(a.pollId, m);
    }
  }
  for (const [pollId, view] of results) {
    const result = view.result;
    const mine = acked.get(pollId) ?? new Map<string, string>();
    if (!result?.named) {
      obs.lost += mine.size;
      continue;
    }
    const named = new Map(result.named.map((n) => [n.userId, n.choice.join(',')]));
    for (const [userId, choice] of mine) {
      if (named.get(userId) !== choice) {
        obs.lost += 1;
      }
    }
    const counted = Object.values(result.counts).reduce((a, b) => a + b, 0);
    obs.duplicated += Math.max(0, counted - named.size) + (result.named.length - named.size);
    obs.unacked += [...named.keys()].filter((u) => !mine.has(u)).length;
  }
}
