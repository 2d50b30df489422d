import { io, type Socket } from 'socket.io-client';
import type { Ack, AckBodies, ClientToServerEvents, ServerToClientEvents } from './events';
import type { BallotCast, ClientEventName } from './schemas';
import { DocumentsChanged, type PollView, type RoomSnapshot } from './snapshot';

/**
 * Typed live-room client for Node and the browser: connect, join, snapshot, resync and
 * ballot retries. Imports only socket.io-client and shared/ so the renderer, the desktop shell,
 * the tests and the benchmark all use the same code.
 *
 * Stable API (docs/protocol.md "Client library"):
 *   const room = new RoomClient({ url, token });
 *   await room.connect();
 *   const snap = await room.join(meetingId);           // also re-joined after every reconnect
 *   room.onSnapshot((s) => …);                          // join, resync and automatic re-join
 *   room.on('poll:update', (p) => …);                   // any ServerToClientEvents
 *   room.onDocumentsChanged((d) => …);                  // parsed documents:changed: re-read the list over REST
 *   await room.request('poll:open', { meetingId, pollId });
 *   await room.castBallot({ meetingId, pollId, choice: ['yes'] });  // retries with one ballot id
 *   const closed = await room.pollResult(meetingId, pollId);     // name lists of a closed poll
 *   room.close();
 */

export type RoomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface RoomClientOptions {
  /** Server base URL, e.g. http://127.0.0.1:4100 (Socket.IO path /socket.io). */
  readonly url: string;
  /** Session token from POST /api/auth/login. */
  readonly token: string;
  /** Default ['websocket'] (no sticky sessions needed across nodes); add 'polling' behind hostile proxies. */
  readonly transports?: ('websocket' | 'polling')[];
  /** Per-request ack timeout; default 10 s. */
  readonly ackTimeoutMs?: number;
}

export interface CastOptions {
  /** Give up after this long (ms) of unanswered retries; default 60 s. */
  readonly deadlineMs?: number;
  /** Per-attempt ack timeout (ms); default the client's ackTimeoutMs. */
  readonly attemptTimeoutMs?: number;
}

export type CastInput = Omit<BallotCast, 'ballotId'> & { ballotId?: string };

/** Client-side error codes (never sent by the server). */
export const CLIENT_ERRORS = { TIMEOUT: 'TIMEOUT', DISCONNECTED: 'DISCONNECTED' } as const;

type Listener<K extends keyof ServerToClientEvents> = ServerToClientEvents[K];

export class RoomClient {
  readonly socket: RoomSocket;
  private readonly ackTimeoutMs: number;
  private readonly joined = new Set<string>();
  private readonly snapshotListeners = new Set<(s: RoomSnapshot) => void>();
  private everConnected = false;

  constructor(opts: RoomClientOptions) {
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 10_000;
    this.socket = io(opts.url, {
      auth: { token: opts.token },
      transports: opts.transports ?? ['websocket'],
      autoConnect: false,
      reconnectionDelay: 250,
      reconnectionDelayMax: 2_000,
    });
    this.socket.on('connect', () => {
      const reconnect = this.everConnected;
      this.everConnected = true;
      // Recovered sessions got the missed events and kept their rooms; otherwise the snapshot makes us right.
      if (reconnect && !this.socket.recovered) {
        void this.rejoinAll();
      }
    });
  }

  /** Connects; rejects with the server's reason (e.g. UNAUTHENTICATED) if the handshake is refused. */
  connect(): Promise<void> {
    if (this.socket.connected) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const ok = (): void => {
        this.socket.off('connect_error', bad);
        resolve();
      };
      const bad = (err: Error): void => {
        this.socket.off('connect', ok);
        this.socket.disconnect();
        reject(err);
      };
      this.socket.once('connect', ok);
      this.socket.once('connect_error', bad);
      this.socket.connect();
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Sends one event and waits for its ack; a timeout becomes `{ ok: false, error: { code: 'TIMEOUT' } }`. */
  async request<K extends ClientEventName>(
    event: K,
    payload: Parameters<ClientToServerEvents[K]>[0],
    timeoutMs = this.ackTimeoutMs,
  ): Promise<Ack<AckBodies[K]>> {
    try {
      // The generic event name defeats socket.io's overloads; the mapped types above keep callers exact.
      const timed = this.socket.timeout(timeoutMs) as unknown as {
        emitWithAck(ev: string, p: unknown): Promise<Ack<AckBodies[K]>>;
      };
      return await timed.emitWithAck(event, payload);
    } catch {
      const code = this.socket.connected ? CLIENT_ERRORS.TIMEOUT : CLIENT_ERRORS.DISCONNECTED;
      return { ok: false, error: { code, message: `No answer to ${event} within ${timeoutMs} ms` } };
    }
  }

  /** Joins a meeting room and returns its snapshot; the client re-joins by itself after reconnects. */
  async join(meetingId: string): Promise<RoomSnapshot> {
    const res = await this.request('meeting:join', { meetingId });
    if (!res.ok) {
      throw new RoomError(res.error.code, res.error.message);
    }
    this.joined.add(meetingId);
    this.emitSnapshot(res.snapshot);
    return res.snapshot;
  }

  async leave(meetingId: string): Promise<void> {
    this.joined.delete(meetingId);
    await this.request('meeting:leave', { meetingId });
  }

  /** Full state again (resync), e.g. after the app was in the background. */
  async snapshot(meetingId: string): Promise<RoomSnapshot> {
    const res = await this.request('meeting:snapshot', { meetingId });
    if (!res.ok) {
      throw new RoomError(res.error.code, res.error.message);
    }
    this.emitSnapshot(res.snapshot);
    return res.snapshot;
  }

  /**
   * The full result of a closed poll with its name lists. Delegates' snapshots and broadcasts carry
   * counts only (`result.listsOmitted`); ask this when the names are shown.
   */
  async pollResult(meetingId: string, pollId: string): Promise<PollView> {
    const res = await this.request('poll:result', { meetingId, pollId });
    if (!res.ok) {
      throw new RoomError(res.error.code, res.error.message);
    }
    return res.poll;
  }

  /**
   * Casts a ballot and retries with the SAME ballot id until the server answers (timeouts and
   * disconnects are retried; any server answer, ok or error, is final). Retries are idempotent:
   * the server counts a ballot id once.
   */
  async castBallot(input: CastInput, opts: CastOptions = {}): Promise<Ack<AckBodies['ballot:cast']>> {
    const ballotId = input.ballotId ?? globalThis.crypto.randomUUID();
    const payload: BallotCast = { ...input, ballotId };
    const deadline = Date.now() + (opts.deadlineMs ?? 60_000);
    const attempt = opts.attemptTimeoutMs ?? this.ackTimeoutMs;
    let delay = 100;
    for (;;) {
      if (!this.socket.connected) {
        await this.waitConnected(Math.max(0, deadline - Date.now()));
      }
      const res = await this.request('ballot:cast', payload, attempt);
      if (res.ok || (res.error.code !== CLIENT_ERRORS.TIMEOUT && res.error.code !== CLIENT_ERRORS.DISCONNECTED)) {
        return res;
      }
      if (Date.now() >= deadline) {
        return res;
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 2_000);
    }
  }

  on<K extends keyof ServerToClientEvents>(event: K, listener: Listener<K>): () => void {
    // Same overload limitation as in request(); the public signature is exact.
    const s = this.socket as unknown as { on(e: string, l: unknown): void; off(e: string, l: unknown): void };
    s.on(event, listener);
    return () => s.off(event, listener);
  }

  /**
   * `documents:changed`, parsed (ids only; re-read GET /api/meetings/:id/package, which enforces who
   * may see what). Events missed while disconnected are not replayed after a full re-join: listen to
   * onSnapshot as well and re-read there.
   */
  onDocumentsChanged(listener: (d: DocumentsChanged) => void): () => void {
    return this.on('documents:changed', (raw) => {
      const d = DocumentsChanged.safeParse(raw);
      if (d.success) {
        listener(d.data);
      }
    });
  }

  /** Called with every snapshot: join, snapshot() and the automatic re-join after a reconnect. */
  onSnapshot(listener: (s: RoomSnapshot) => void): () => void {
    this.snapshotListeners.add(listener);
    return () => this.snapshotListeners.delete(listener);
  }

  close(): void {
    this.joined.clear();
    this.snapshotListeners.clear();
    this.socket.disconnect();
  }

  private emitSnapshot(s: RoomSnapshot): void {
    for (const l of this.snapshotListeners) {
      l(s);
    }
  }

  private async rejoinAll(): Promise<void> {
    for (const id of [...this.joined]) {
      const res = await this.request('meeting:join', { meetingId: id });
      if (res.ok) {
        this.emitSnapshot(res.snapshot);
      }
    }
  }

  private waitConnected(ms: number): Promise<void> {
    if (this.socket.connected) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        this.socket.off('connect', done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.socket.on('connect', done);
    });
  }
}

export class RoomError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RoomError';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
