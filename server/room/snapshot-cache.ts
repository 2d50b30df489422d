import type { Executor } from '../db/client';
import type { Member } from '../meetings/member';
import type { RoomIo } from './io';
import { isStaff, seesRoster } from './members';
import { buildShared, type SharedSnapshot } from './snapshot';

interface Entry {
  /** mark() when its reads began. */
  readonly mark: number;
  readonly at: number;
  readonly shared: Promise<SharedSnapshot>;
}

/**
 * The part of a join snapshot every member of one audience (staff, roster, delegates) of a meeting
 * shares: agenda, attendance, speakers, poll views, quorum counts. A connect storm of 1,000 delegates
 * read it ≈ 7 statements per join (docs/benchmarks.md "Votes"); now once per change of the meeting.
 * The member's own part (membership, ballots) is still read per join.
 *
 * Never staler than a snapshot read at the join itself, for what a socket can miss: an entry serves
 * only while nothing about its meeting changed since its reads began: every broadcast to one of the
 * meeting's rooms on this node (including broadcasts relayed from other nodes, seen at the adapter),
 * every successful room event of the meeting (before its ack) and every successful mutating REST
 * request (before its answer) start a new generation. A change whose broadcast is still to come
 * reaches the socket after it joined, as it would after a fresh read. Another node's REST change
 * announces itself with `snapshots:stale` (linkPeers), which arrives a Redis round trip after that
 * node's answer; `ttlMs` bounds only what nothing announces (a lost inter-node message, a write by
 * hand). It was 1 s and did that job instead of the notice: with 10,000 delegates in 300 meetings a
 * meeting saw a join every ~1.7 s, so every join missed and read ≈ 5 statements, and the connect storm
 * was ≈ 28,000 statements per node (docs/benchmarks.md "Live room, eighth round").
 */
export class SnapshotCache {
  private readonly entries = new Map<string, Entry>();
  /** Counts every change seen; per meeting (and for all), the count at its last change. */
  private changes = 0;
  private readonly changedAt = new Map<string, number>();
  private allChangedAt = 0;

  constructor(
    private readonly db: Executor,
    private readonly ttlMs = 30_000,
  ) {}

  /** Tells the other nodes that a REST change was committed here (linkPeers; nothing on a single node). */
  private tellPeers: () => void = () => undefined;

  /**
   * The shared part for `m`'s audience, built at most once per generation of the meeting. Read again
   * (up to 3 times) when the meeting changed while it was being read, as a join of its own would.
   */
  async shared(m: Member): Promise<SharedSnapshot> {
    let out: SharedSnapshot | undefined;
    for (let i = 0; i < 3; i++) {
      const { mark, shared } = this.entry(m);
      out = await shared;
      if (!this.changedSince(m.meeting.id, mark)) {
        return out;
      }
    }
    return out as SharedSnapshot;
  }

  private entry(m: Member): Entry {
    const meetingId = m.meeting.id;
    const staff = isStaff(m);
    const roster = seesRoster(m);
    const key = `${meetingId}:${staff ? 's' : ''}${roster ? 'r' : ''}`;
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && !this.changedSince(meetingId, hit.mark) && now - hit.at < this.ttlMs) {
      return hit;
    }
    const mark = this.mark();
    const shared = buildShared(this.db, meetingId, staff, roster);
    const entry: Entry = { mark, at: now, shared };
    this.entries.set(key, entry);
    // A failed read is not kept: the next join reads again.
    shared.catch(() => {
      if (this.entries.get(key) === entry) {
        this.entries.delete(key);
      }
    });
    return entry;
  }

  /** Something in this meeting changed: entries read before now are not served again. */
  invalidate(meetingId: string): void {
    this.changedAt.set(meetingId, ++this.changes);
  }

  invalidateAll(): void {
    this.allChangedAt = ++this.changes;
    this.changedAt.clear();
    this.entries.clear();
  }

  /** A mutating REST request is answered on this node (before the answer leaves; a refused one too, which costs only a re-read): here and on every peer. */
  changedByRequest(): void {
    this.invalidateAll();
    this.tellPeers();
  }

  /** With peers (Redis adapter): REST changes are announced to them, and theirs heard here. */
  linkPeers(io: RoomIo): void {
    this.tellPeers = () => io.serverSideEmit('snapshots:stale');
    io.on('snapshots:stale', () => this.invalidateAll());
  }

  /** A mark taken before a read: changedSince tells whether the meeting changed after it. */
  mark(): number {
    return this.changes;
  }

  /** Whether anything in the meeting changed (by the same signals as the entries) since `mark`. */
  changedSince(meetingId: string, mark: number): boolean {
    return this.allChangedAt > mark || (this.changedAt.get(meetingId) ?? 0) > mark;
  }

  /** Sees every broadcast this node delivers (its own and, with the Redis adapter, other nodes'). */
  watch(io: RoomIo): void {
    const adapter = io.of('/').adapter as unknown as { apply(opts: { rooms: Set<string> }, cb: (s: unknown) => void): void };
    const apply = adapter.apply.bind(adapter);
    adapter.apply = (opts, cb) => {
      if (opts.rooms.size === 0) {
        this.invalidateAll();
      }
      for (const r of opts.rooms) {
        // rooms.meeting / staff / roster / member: "m:<meetingId>[:…]" (server/room/io.ts).
        if (r.startsWith('m:')) {
          this.invalidate(r.slice(2).split(':')[0] ?? '');
        }
      }
      apply(opts, cb);
    };
  }
}
