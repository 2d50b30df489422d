import { RoomClient } from '../../shared/room/client';
import type { PollView, TallyUpdate } from '../../shared/room/events';
import type { AckRecord, ClientSpec } from './ipc';
import { now } from './stats';

const CHOICES = ['yes', 'no', 'abstain'] as const;

/** What one simulated delegate observed about one poll. */
export interface PollTrack {
  openAt: number | null;
  ack: AckRecord | null;
  /** [time, voted] each time the visible progress grew: the first entry ≥ n answers "when did I see n ballots". */
  growth: [number, number][];
  closedAt: number | null;
  /** Canonical JSON of the final counts this client saw (all clients must agree). */
  counts: string | null;
  /** `poll:tally` frames this client got for the poll (what the tally fan-out costs per delegate). */
  tallies: number;
}

/**
 * One delegate on a real socket.io client (shared/room/client.ts): joins its meeting, and when a poll
 * opens presses a random button after a random pause within the spread window, like a hall does.
 */
export class SimDelegate {
  readonly room: RoomClient;
  private readonly polls = new Map<string, PollTrack>();

  constructor(
    readonly spec: ClientSpec,
    private readonly spreadMs: number,
  ) {
    this.room = new RoomClient({ url: spec.url, token: spec.token, ackTimeoutMs: 30_000 });
    this.room.on('poll:update', (p) => this.onPoll(p));
    this.room.on('poll:tally', (u) => this.onTally(u));
  }

  /** Handshake + meeting:join; resolves with the time it took. */
  async connect(): Promise<number> {
    const t = now();
    if (this.room.connected) {
      // A previous attempt got through the handshake but its join timed out.
      this.room.socket.disconnect();
    }
    await this.room.connect();
    await this.room.join(this.spec.meetingId);
    return now() - t;
  }

  /**
   * Drops the socket and connects again; resolves once the client's own re-join (RoomClient re-joins
   * its meetings after every reconnect the server did not recover) has its snapshot.
   */
  async reconnect(): Promise<number> {
    const t = now();
    this.room.socket.disconnect();
    const rejoined = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error('no snapshot within 30 s of reconnecting'));
      }, 30_000);
      const off = this.room.onSnapshot(() => {
        clearTimeout(timer);
        off();
        resolve();
      });
    });
    await this.room.connect();
    await rejoined;
    return now() - t;
  }

  track(pollId: string): PollTrack {
    let tr = this.polls.get(pollId);
    if (!tr) {
      tr = { openAt: null, ack: null, growth: [], closedAt: null, counts: null, tallies: 0 };
      this.polls.set(pollId, tr);
    }
    return tr;
  }

  /** First time this client saw at least n ballots counted (null = not yet). */
  reached(pollId: string, n: number): number | null {
    const g = this.polls.get(pollId)?.growth ?? [];
    return g.find(([, voted]) => voted >= n)?.[0] ?? null;
  }

  close(): void {
    this.room.close();
  }

  private onPoll(p: PollView): void {
    const at = now();
    if (p.meetingId !== this.spec.meetingId) {
      return;
    }
    const tr = this.track(p.pollId);
    this.grow(tr, at, p.progress.voted);
    if (p.status === 'open' && tr.openAt === null) {
      tr.openAt = at;
      setTimeout(() => void this.cast(p.pollId), Math.random() * this.spreadMs);
    }
    if (p.status === 'closed' && tr.closedAt === null && p.result) {
      tr.closedAt = at;
      const c = p.result.counts;
      tr.counts = JSON.stringify(Object.keys(c).sort().map((k) => [k, c[k]]));
    }
  }

  private onTally(u: TallyUpdate): void {
    const at = now();
    if (u.meetingId === this.spec.meetingId) {
      const tr = this.track(u.pollId);
      tr.tallies += 1;
      this.grow(tr, at, u.progress.voted);
    }
  }

  private grow(tr: PollTrack, at: number, voted: number): void {
    const last = tr.growth[tr.growth.length - 1];
    if (!last || voted > last[1]) {
      tr.growth.push([at, voted]);
    }
  }

  private async cast(pollId: string): Promise<void> {
    this.track(pollId).ack = await castTimed(this.room, this.spec.meetingId, this.spec.userId, pollId);
  }
}

/** Presses a random button (retried with one ballot id, as a seat does) and times its answer. */
export async function castTimed(room: RoomClient, meetingId: string, userId: string, pollId: string): Promise<AckRecord> {
  const choice = CHOICES[Math.floor(Math.random() * CHOICES.length)] ?? 'yes';
  const sentAt = now();
  const res = await room.castBallot({ meetingId, pollId, choice: [choice] }, { deadlineMs: 60_000 });
  return {
    userId,
    pollId,
    choice,
    sentAt,
    ackAt: now(),
    ok: res.ok,
    code: res.ok ? null : res.error.code,
    duplicate: res.ok ? res.duplicate : false,
  };
}
