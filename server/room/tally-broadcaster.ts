import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Db } from '../db/client';
import { ReadBatch, STORM_GATHER_MS } from '../db/read-batch';
import { votingCountsOf } from '../meetings/voting-members';
import type { PollCache } from '../polls/poll-cache';
import { countOpenBallots, type Counted, type PollRow } from '../polls/tally';
import { emitLocalSliced, SLICE } from './fanout';
import { NewestFanouts } from './newest-fanouts';
import { rooms, type RoomIo } from './io';

/**
 * Coalesced tally broadcasts (docs/architecture.md "Guarantees of a vote"): at most one `poll:tally` per poll per
 * interval per node. Broadcasting on every ballot is N² messages and collapses near 300 delegates.
 * Counts come from the database, so every node (and a restarted one) broadcasts the same truth.
 * A flush's counts come from one indexed statement per ballot kind that the flushes of every poll
 * of this node share (ReadBatch: those asked while one is out go together in the next, and under a
 * storm those asked within STORM_GATHER_MS of the last statement's start wait for it): the poll row
 * comes from the node's cache, the number of voting members from a short-lived per-meeting cache (it
 * changes only with membership; misses are read together too), and the counts query also says whether
 * the poll is still open. A statement per poll per flush was ≈ one statement per ballot with
 * 10,000 delegates in 300 meetings (docs/benchmarks.md "Live room, seventh round"); without the
 * spacing, tally and voting-count reads were still 6,195 of a 10,000-delegate run's 16,347
 * statements ("Live room, fifteenth round"). A poll's own flushes are an interval (≥ 50 ms) apart, so a lone
 * vote's reads, its last tally's included, never wait.
 * Two audiences: staff and the hall display (the roster room: few sockets) get every flush, ~50 ms;
 * delegates (most sockets) need their ack and the result, not 20 progress messages a second: they get
 * a flush only once ballots pause (so the last ballot's tally reaches every delegate soon after it),
 * when every voting member has voted, or every `delegateMaxMs` while ballots keep coming. A flush that
 * leaves delegates out arms a trailing one, so they never miss the end.
 * A pause is judged against the poll's own pace: no ballot for `quietMs` (20 ms) or for four times
 * the poll's recent mean gap between ballots, whichever is longer (at most `delegateMaxMs`). A fixed
 * 20 ms made every ballot of a small meeting a pause (one every ~150 ms in a 33-member meeting): its
 * delegates got a tally after nearly every ballot, and 10,000 delegates in 300 meetings got ≈ 175,000
 * tally frames for 10,000 ballots (docs/benchmarks.md "Live room, seventh round"). In a burst of a
 * large meeting the gaps are ~1 ms, so its pause stays 20 ms.
 * Under overload the interval stretches: when this node's event loop was more than 80 %
 * busy over the last ≥ 200 ms it doubles (up to 1 s) and it halves back to 50 ms below 50 %, so live
 * tallies (N messages each) give way to ballot acks, which stay exact; the close carries the result.
 * The delegates' progress period stretches by the same factor (up to `delegateStretchMs`): with
 * 10,000 delegates in 300 meetings both nodes were saturated, every vote lasted 5–8 s, and a progress
 * tally every second was ≈ 8 frames per delegate per vote, most of the websocket frames of the round.
 * The longest pause does not stretch: it did halve the remaining tally frames (a saturated node takes
 * ballots in clumps, so its polls "pause" often), but the last ballot's tally then reached delegates
 * 4–5 s late instead of ≈ 2 s (docs/benchmarks.md "Live room, eighth round").
 * The stretch ends with the burst: once ballots pause for `quietMs`, the pending flush goes out.
 * When the ballot that completes the vote commits (every voting member has now voted on this node,
 * by the node's own count of distinct voters against the cached number of voting members), the
 * flush goes out at once: nobody is left to vote, so there is no pause to wait for and no ack to
 * protect, and the room sees the final figure as soon as it exists. The count is only a hint (a
 * changed ballot, a paper count or a peer's voters are not in it); the flush still reads the truth.
 * With several nodes no single node sees every voter, so the pause rule above applies there.
 * A newer flush supersedes an older one still fanning out to the same audience: the older one stops
 * at its next slice (the newer counts reach every socket of the room, so nobody misses a ballot, and
 * no socket gets the older counts after the newer ones). A burst used to leave several fan-outs
 * interleaving their slices, and the last ballot's tally waited behind stale ones. Once ballots have
 * paused there is no ack to protect: that fan-out goes in slices of QUIET_SLICE sockets (one
 * slice ≈ one plain `io.to(room).emit` up to that size, ≈ 10–25 ms of writes).
 */
/** Cumulative time (ms) this node's event loop spent busy and idle, as performance.eventLoopUtilization() counts it. */
export type LoadMeter = () => { readonly active: number; readonly idle: number };

/** Most polls one `tally:dirty` notice names (a peer refuses a longer one). */
export const NOTICE_MAX = 10_000;

/**
 * A poll's state here (pace, last flush, voters) is dropped by `forget` when this node closes the
 * poll; a node that only took ballots never hears of a close made on another node, so what has had
 * no ballot for IDLE_POLL_MS is swept every SWEEP_MS instead. A poll swept while still open loses
 * only its pace and its voters' count, both rebuilt by its next ballots.
 */
const IDLE_POLL_MS = 60 * 60_000;
const SWEEP_MS = 10 * 60_000;

/** Sockets per slice once ballots have paused. */
const QUIET_SLICE = 1_000;

const eventLoopMeter: LoadMeter = () => performance.eventLoopUtilization();

export class TallyBroadcaster {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly lastSent = new Map<string, number>();
  private readonly eligible = new Map<string, { n: number; at: number }>();
  /** Per poll: when a ballot was last committed (here or, told by a peer, on another node). */
  private readonly lastBallot = new Map<string, number>();
  /** Per poll: when delegates last got a tally. */
  private readonly lastDelegates = new Map<string, number>();
  /** Per poll: the recent mean gap between ballot arrivals (ms, exponentially weighted). */
  private readonly gaps = new Map<string, number>();
  /** Per poll: the distinct voters whose ballots this node committed (see `committed`). */
  private readonly voters = new Map<string, Set<string>>();
  private closed = false;
  /** Per poll and audience, the newest flush that began its fan-out. */
  private readonly fanouts = new NewestFanouts();
  /** Polls (id → meeting id) with commits on this node that the peers have not been told of yet. */
  private readonly dirty = new Map<string, string>();
  /** When the peers were last told, and the next notice, if armed. */
  private peersToldAt = 0;
  private peersTimer: NodeJS.Timeout | undefined;
  private readonly sweeper: NodeJS.Timeout;
  /** Told before each flush goes out (the join snapshots of the meeting are then stale). */
  onFlush: (meetingId: string) => void = () => undefined;
  private elu: { readonly active: number; readonly idle: number };
  private interval: number;
  private readonly tallies: ReadBatch<PollRow, Counted | null>;
  private readonly voting: ReadBatch<string, { eligible: number }>;

  constructor(
    private readonly db: Db,
    private readonly io: RoomIo,
    private readonly log: Logger,
    private readonly polls: PollCache,
    /** Other nodes share this room (Redis adapter): tell them when to flush. */
    private readonly peers = false,
    private readonly intervalMs = 50,
    private readonly eligibleTtlMs = 2_000,
    private readonly maxIntervalMs = 1_000,
    private readonly quietMs = 20,
    private readonly delegateMaxMs = 1_000,
    /** Where the load comes from (tests drive it by hand). */
    private readonly meter: LoadMeter = eventLoopMeter,
    private readonly delegateStretchMs = 5_000,
  ) {
    this.interval = intervalMs;
    this.elu = meter();
    // Keyed by the row object (a flush passes the cached one); answered per id.
    this.tallies = new ReadBatch(
      async (ps) => {
        const byId = await countOpenBallots(this.db, ps);
        return new Map(ps.map((p) => [p, byId.get(p.id) ?? null]));
      },
      { gatherMs: STORM_GATHER_MS },
    );
    this.voting = new ReadBatch((meetingIds) => votingCountsOf(this.db, meetingIds), { gatherMs: STORM_GATHER_MS });
    this.sweeper = setInterval(() => this.sweepIdle(), SWEEP_MS);
    this.sweeper.unref();
  }

  /** The current coalescing interval (ms), adapted to how busy this node's event loop is. */
  currentIntervalMs(): number {
    const now = this.meter();
    const active = now.active - this.elu.active;
    const idle = now.idle - this.elu.idle;
    if (idle + active >= 200) {
      this.elu = now;
      const utilization = active / (idle + active);
      if (utilization > 0.8) {
        this.interval = Math.min(this.interval * 2, this.maxIntervalMs);
      } else if (utilization < 0.5) {
        this.interval = Math.max(this.interval / 2, this.intervalMs);
      }
    }
    return this.interval;
  }

  /**
   * A ballot of this poll arrived on this node (before its commit). Pauses are judged by arrivals:
   * commits come in batches, so their times have gaps whenever the event loop was busy, and a flush
   * that blocked the loop would make the next one look like a pause (measured: a 20 ms rule by commit
   * time sent delegates 16 fan-outs in a 1 s burst instead of 1).
   */
  received(pollId: string): void {
    const now = Date.now();
    const last = this.lastBallot.get(pollId);
    if (last !== undefined) {
      const gap = this.gaps.get(pollId);
      this.gaps.set(pollId, gap === undefined ? now - last : 0.75 * gap + 0.25 * (now - last));
    }
    this.lastBallot.set(pollId, now);
    // The poll's opening told delegates "0 voted": their first progress is due a full
    // delegateMaxMs later (or at a pause), not with the first ballot, in the busiest moment of a vote.
    if (!this.lastDelegates.has(pollId)) {
      this.lastDelegates.set(pollId, now);
    }
  }

  /**
   * A new ballot of `voterId` in this poll was committed on this node (not a retry's duplicate). The
   * ballot that brings this node's distinct voters to the number of voting members flushes at once
   * (see the class comment); any other is scheduled as usual.
   */
  committed(meetingId: string, pollId: string, voterId: string): void {
    let voters = this.voters.get(pollId);
    if (!voters) {
      voters = new Set();
      this.voters.set(pollId, voters);
    }
    const before = voters.size;
    voters.add(voterId);
    // The cached figure, however old: a hint only, and it is fresh while the vote's flushes run.
    const eligible = this.eligible.get(meetingId)?.n;
    this.schedule(meetingId, pollId, false, voters.size > before && voters.size === eligible);
  }

  /**
   * A ballot of this poll was committed. Every node sends tallies to its own sockets only (sliced, see
   * emitLocalSliced), so the other nodes are told to flush too (`fromPeer`: the signal came from one;
   * its commit is the only arrival this node learns of).
   */
  schedule(meetingId: string, pollId: string, fromPeer = false, allIn = false): void {
    if (this.closed) {
      return;
    }
    if (fromPeer || !this.lastBallot.has(pollId)) {
      this.received(pollId);
    }
    if (this.peers && !fromPeer) {
      this.tellPeers(meetingId, pollId);
    }
    if (allIn) {
      this.disarm(pollId);
    } else if (this.pending.has(pollId)) {
      return;
    }
    this.arm(meetingId, pollId, 0, allIn);
  }

  /**
   * Every commit on this node must be followed by a notice to the peers sent after it: a peer counts
   * when its flush runs, so a notice sent only when this node armed its own flush left the ballots
   * committed while that flush was pending uncounted on the peers, and a chair on another node never
   * saw the last of them. One notice names every poll with commits since the last one, and notices
   * go at most once per (current, possibly stretched) interval per node; a commit inside the interval
   * waits for the next. Even a notice that is due goes out only after the current event-loop turn, so
   * a ballot batch's commits (many polls, one turn) share it. A notice per poll cost one Redis
   * stream entry per poll per interval, written by one node and read by the others: with 10,000
   * delegates in 300 meetings on two nodes that was ≈ 0.3 s of each node's CPU per round
   * (docs/benchmarks.md "Live room, eleventh round").
   */
  private tellPeers(meetingId: string, pollId: string): void {
    this.dirty.set(pollId, meetingId);
    if (this.peersTimer) {
      return;
    }
    // The same stretched interval as the flushes: under overload a notice per 50 ms per poll was
    // ≈ 10 % more server CPU at 10,000 delegates in 300 meetings on two nodes.
    const wait = Math.max(0, this.peersToldAt + this.currentIntervalMs() - Date.now());
    this.peersTimer = setTimeout(() => {
      this.peersTimer = undefined;
      if (this.closed || this.dirty.size === 0) {
        return;
      }
      const polls = [...this.dirty].map(([p, m]): [string, string] => [m, p]);
      this.dirty.clear();
      this.peersToldAt = Date.now();
      for (let i = 0; i < polls.length; i += NOTICE_MAX) {
        this.io.serverSideEmit('tally:dirty', polls.slice(i, i + NOTICE_MAX));
      }
    }, wait);
  }

  /**
   * How often delegates get progress while ballots keep coming: `delegateMaxMs`, stretched by the
   * factor the coalescing interval is stretched by (this node's load), at most `delegateStretchMs`.
   */
  delegatePeriodMs(): number {
    return Math.min(this.delegateMaxMs * (this.interval / this.intervalMs), Math.max(this.delegateMaxMs, this.delegateStretchMs));
  }

  /** How long ballots of this poll must stop to count as a pause (see the class comment). */
  pauseMs(pollId: string): number {
    return Math.min(Math.max(this.quietMs, 4 * (this.gaps.get(pollId) ?? 0)), this.delegateMaxMs);
  }

  /** Flushes after the interval since the last flush, and not before `notBefore` (epoch ms); `atOnce`: now. */
  private arm(meetingId: string, pollId: string, notBefore: number, atOnce = false): void {
    if (this.closed || this.pending.has(pollId)) {
      return;
    }
    const t0 = Date.now();
    const lastSent = this.lastSent.get(pollId) ?? 0;
    const due = Math.max(lastSent + this.currentIntervalMs(), notBefore);
    // A stretched interval protects acks during a burst; once ballots pause nothing waits for the
    // event loop, so the last ballots' tally goes out after the pause (not up to 1 s later).
    const pause = this.pauseMs(pollId);
    const quietAt = Math.max((this.lastBallot.get(pollId) ?? 0) + pause, lastSent + this.intervalMs, notBefore);
    const at = atOnce ? t0 : Math.min(due, quietAt);
    const timer = setTimeout(() => {
      // Timers run before Node reads the sockets: after a busy stretch, first take in the ballots
      // that arrived meanwhile (setImmediate runs after that read), then judge whether they paused.
      setImmediate(() => {
        if (this.closed || this.pending.get(pollId) !== timer) {
          return;
        }
        this.pending.delete(pollId);
        const t = Date.now();
        if (!atOnce && t < due && t - (this.lastBallot.get(pollId) ?? 0) < pause) {
          // Ballots still arriving and the interval not over: look again when they may have paused.
          this.arm(meetingId, pollId, notBefore);
          return;
        }
        this.lastSent.set(pollId, t);
        this.flush(meetingId, pollId).catch((err: unknown) => this.log.error({ err, pollId }, 'tally broadcast failed'));
      });
    }, Math.max(0, at - t0));
    this.pending.set(pollId, timer);
  }

  /** Cancels the poll's pending flush, if any. */
  private disarm(pollId: string): void {
    clearTimeout(this.pending.get(pollId));
    this.pending.delete(pollId);
  }

  forget(pollId: string): void {
    this.disarm(pollId);
    this.lastSent.delete(pollId);
    this.lastBallot.delete(pollId);
    this.lastDelegates.delete(pollId);
    this.gaps.delete(pollId);
    this.voters.delete(pollId);
    this.fanouts.forget(`${pollId}:staff`);
    this.fanouts.forget(`${pollId}:delegates`);
    this.dirty.delete(pollId);
    this.eligible.clear();
  }

  /** Forgets the polls without a ballot for IDLE_POLL_MS and no flush pending (see IDLE_POLL_MS). */
  private sweepIdle(): void {
    const now = Date.now();
    for (const [pollId, at] of this.lastBallot) {
      if (now - at > IDLE_POLL_MS && !this.pending.has(pollId)) {
        this.forget(pollId);
      }
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const t of this.pending.values()) {
      clearTimeout(t);
    }
    this.pending.clear();
    clearTimeout(this.peersTimer);
    this.peersTimer = undefined;
    this.dirty.clear();
  }

  /**
   * Claims the fan-out of flush `seq` to one audience of a poll: false when a newer flush already
   * began its own (this one's counts are older); otherwise a check that stays true until a newer one does.
   */
  private claim(pollId: string, audience: 'staff' | 'delegates', seq: number): (() => boolean) | null {
    const current = this.fanouts.claim(`${pollId}:${audience}`, seq);
    return current && (() => !this.closed && current());
  }

  private async flush(meetingId: string, pollId: string): Promise<void> {
    const seq = this.fanouts.turn();
    const p = await this.polls.get(meetingId, pollId);
    if (!p || p.status !== 'open' || this.closed) {
      return;
    }
    const [tally, eligible] = await Promise.all([this.tallies.load(p), this.eligibleOf(meetingId)]);
    if (!tally || this.closed) {
      this.polls.forget(pollId);
      return;
    }
    const { counts, cast } = tally;
    const progress = { voted: cast, eligible };
    const now = Date.now();
    const lastBallot = this.lastBallot.get(pollId) ?? 0;
    const pause = this.pauseMs(pollId);
    const paused = now - lastBallot >= pause;
    const toDelegates = paused || cast >= eligible || now - (this.lastDelegates.get(pollId) ?? 0) >= this.delegatePeriodMs();
    if (toDelegates) {
      this.lastDelegates.set(pollId, now);
    } else {
      // Ballots are still coming: delegates get the tally once they pause (trailing flush).
      this.arm(meetingId, pollId, lastBallot + pause);
    }
    const staffCounts = { meetingId, pollId, progress, counts };
    const hallCounts = p.hideTally ? { meetingId, pollId, progress, counts: null } : staffCounts;
    this.onFlush(meetingId);
    // Once ballots paused (or all are in) there is no ack of this poll to protect.
    const slice = paused || cast >= eligible ? QUIET_SLICE : SLICE;
    // Claimed before the first await: a flush whose counts were read later must win.
    const staffCurrent = this.claim(pollId, 'staff', seq);
    const delegatesCurrent = toDelegates ? this.claim(pollId, 'delegates', seq) : null;
    // Staff and the hall display first (few sockets), then the delegates.
    if (staffCurrent) {
      const opts = { slice, current: staffCurrent };
      if (p.hideTally) {
        await emitLocalSliced(this.io, rooms.staff(meetingId), undefined, 'poll:tally', staffCounts, opts);
        await emitLocalSliced(this.io, rooms.roster(meetingId), rooms.staff(meetingId), 'poll:tally', hallCounts, opts);
      } else {
        await emitLocalSliced(this.io, rooms.roster(meetingId), undefined, 'poll:tally', staffCounts, opts);
      }
    }
    if (delegatesCurrent) {
      await emitLocalSliced(this.io, rooms.meeting(meetingId), rooms.roster(meetingId), 'poll:tally', hallCounts, { slice, current: delegatesCurrent });
    }
  }

  private async eligibleOf(meetingId: string): Promise<number> {
    const hit = this.eligible.get(meetingId);
    if (hit && Date.now() - hit.at < this.eligibleTtlMs) {
      return hit.n;
    }
    const eligible = (await this.voting.load(meetingId))?.eligible ?? 0;
    this.eligible.set(meetingId, { n: eligible, at: Date.now() });
    return eligible;
  }
}
