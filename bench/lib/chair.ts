import { RoomClient } from '../../shared/room/client';
import type { PollView } from '../../shared/room/events';
import type { Participant } from './fixture';
import { castTimed } from './delegate';
import type { AckRecord } from './ipc';

/** The chair of one meeting, on a real socket.io client in the orchestrator process. */
export class SimChair {
  readonly room: RoomClient;

  constructor(
    readonly spec: Participant,
    url: string,
  ) {
    this.room = new RoomClient({ url, token: spec.token, ackTimeoutMs: 60_000 });
  }

  get meetingId(): string {
    return this.spec.meetingId;
  }

  async connect(): Promise<void> {
    await this.room.connect();
    await this.room.join(this.spec.meetingId);
  }

  async create(title: string): Promise<string> {
    const res = await this.room.request('poll:create', { meetingId: this.meetingId, title, kind: 'yes_no_abstain', secret: false });
    return ok(res, 'poll:create').poll.pollId;
  }

  async open(pollId: string): Promise<void> {
    ok(await this.room.request('poll:open', { meetingId: this.meetingId, pollId }), 'poll:open');
  }

  async close(pollId: string): Promise<PollView> {
    return ok(await this.room.request('poll:close', { meetingId: this.meetingId, pollId }), 'poll:close').poll;
  }

  /**
   * The chair's own ballot: a People's Council's chair is one of its delegates and votes like them, at
   * a random moment within the window after the poll opened.
   */
  async vote(pollId: string, spreadMs: number): Promise<AckRecord> {
    await new Promise((r) => setTimeout(r, Math.random() * spreadMs));
    return castTimed(this.room, this.meetingId, this.spec.userId, pollId);
  }

  disconnect(): void {
    this.room.close();
  }
}

function ok<T extends object>(res: ({ ok: true } & T) | { ok: false; error: { code: string; message: string } }, what: string): T {
  if (!res.ok) {
    throw new Error(`${what} failed: ${res.error.code} ${res.error.message}`);
  }
  return res;
}
