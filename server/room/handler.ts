import type { z } from 'zod';
import { AppError } from '../errors';
import type { Ack, AckBodies } from '../../shared/room/events';
import { clientEventSchemas, type ClientEventName } from '../../shared/room/schemas';
import type { Member } from '../meetings/member';
import { requirePermission } from './members';
import type { RoomSocket } from './io';
import type { RoomContext } from './types';

type Parsed<K extends ClientEventName> = z.output<(typeof clientEventSchemas)[K]>;

export type Handler<K extends ClientEventName> = (
  input: Parsed<K>,
  member: Member,
  socket: RoomSocket,
) => Promise<{ body: AckBodies[K]; after?: () => void | Promise<void> }>;

const noop = (): void => undefined;

/** Events that change nothing: every other successful event starts a new snapshot generation. */
const READS: ReadonlySet<ClientEventName> = new Set(['meeting:join', 'meeting:leave', 'meeting:snapshot', 'poll:result', 'poll:pending']);

export interface EventOptions {
  /**
   * Take the member from the node's short-lived cache instead of reading it (ballot:cast).
   * Only for handlers that re-check membership in their own transaction.
   */
  readonly cachedMember?: boolean;
}

interface Entry<K extends ClientEventName> {
  readonly handler: Handler<K>;
  readonly opts: EventOptions;
}

/** Longest client-chosen event name echoed back in an "unknown event" answer. */
const MAX_ECHOED_EVENT = 64;

/**
 * The room's client events, registered once per server. Every event follows one pipeline:
 * zod parse → membership + permission (role × event) → handler (its own transaction with the audit
 * entry) → ack after commit → `after` (broadcasts). Never throws into Socket.IO: a bad payload, an
 * unknown event or a missing ack callback cannot crash the server.
 *
 * A socket gets ONE listener (`attach`, Socket.IO's `onAny`) shared by every socket of the server,
 * which looks its event up here, instead of a closure per event and socket: 26 closures per socket
 * were ≈ 12 KB of every connect's allocations, kept for the socket's life (docs/benchmarks.md "Live
 * room, eighteenth round").
 */
export class RoomEvents {
  private readonly entries = new Map<string, Entry<ClientEventName>>();
  private readonly listener: (this: RoomSocket, ...args: unknown[]) => void;

  constructor(private readonly rc: RoomContext) {
    const receive = (socket: RoomSocket, args: unknown[]): void => this.receive(socket, args);
    // A function, not an arrow: Socket.IO calls it with the socket as `this`.
    this.listener = function (this: RoomSocket, ...args: unknown[]) {
      receive(this, args);
    };
  }

  on<K extends ClientEventName>(event: K, handler: Handler<K>, opts: EventOptions = {}): void {
    if (this.entries.has(event)) {
      throw new Error(`room event registered twice: ${event}`);
    }
    this.entries.set(event, { handler, opts } as unknown as Entry<ClientEventName>);
  }

  /** Serves this socket's events. */
  attach(socket: RoomSocket): void {
    socket.onAny(this.listener);
  }

  /** `args` as Socket.IO hands them over: the event's name, its payload, the ack callback last. */
  private receive(socket: RoomSocket, args: unknown[]): void {
    const rc = this.rc;
    const startedAt = rc.app.roomTimings.start();
    const name = args[0];
    const last = args[args.length - 1];
    const ack = args.length > 1 && typeof last === 'function' ? (last as (res: Ack<object>) => void) : noop;
    const entry = typeof name === 'string' ? this.entries.get(name) : undefined;
    if (!entry) {
      const shown = typeof name === 'string' ? name.slice(0, MAX_ECHOED_EVENT) : typeof name;
      answer(rc, ack, fail('VALIDATION_ERROR', `Unknown event: ${shown}`), shown);
      return;
    }
    const event = name as ClientEventName;
    const payload = args.length > 1 && typeof args[1] !== 'function' ? args[1] : undefined;
    void run(rc, socket, event, entry.handler, payload, entry.opts).then((res) => {
      answer(rc, ack, res.ack, event);
      rc.app.roomTimings.answered(event, startedAt);
      if (res.after) {
        Promise.resolve()
          .then(res.after)
          .catch((err: unknown) => {
            if (!rc.lifecycle.closed) {
              rc.app.log.error({ err, event }, 'room broadcast failed');
            }
          });
      }
    });
  }
}

function answer(rc: RoomContext, ack: (res: Ack<object>) => void, res: Ack<object>, event: string): void {
  try {
    ack(res);
  } catch (err) {
    rc.app.log.warn({ err, event }, 'room ack failed');
  }
}

async function run<K extends ClientEventName>(
  rc: RoomContext,
  socket: RoomSocket,
  event: K,
  handler: Handler<K>,
  payload: unknown,
  opts: EventOptions,
): Promise<{ ack: Ack<AckBodies[K]>; after?: () => void | Promise<void> }> {
  const schema = clientEventSchemas[event];
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { ack: fail('VALIDATION_ERROR', `Invalid ${event} payload: ${where}${issue?.message ?? 'invalid'}`) };
  }
  try {
    const input = parsed.data as Parsed<K>;
    const member = opts.cachedMember ? await rc.members.get(input.meetingId, socket.data.userId) : await rc.memberReads.get(input.meetingId, socket.data.userId, { socket, join: event === 'meeting:join' });
    requirePermission(event, member);
    const out = await handler(input, member, socket);
    if (!READS.has(event)) {
      // Committed: a join from now on must not get a snapshot read before it (SnapshotCache).
      rc.snapshots.invalidate(input.meetingId);
    }
    return { ack: { ok: true, ...out.body }, after: out.after };
  } catch (err) {
    if (err instanceof AppError) {
      return { ack: fail(err.code, err.message) };
    }
    rc.app.log.error({ err, event }, 'room handler failed');
    return { ack: fail('INTERNAL', 'Internal error') };
  }
}

function fail(code: string, message: string): { ok: false; error: { code: string; message: string } } {
  return { ok: false, error: { code, message } };
}
