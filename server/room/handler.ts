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

/** The untyped view of a socket used only for registration: payloads are `unknown` until zod parses them. */
interface RawSocket {
  on(event: string, listener: (...args: unknown[]) => void): void;
}

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

/**
 * Registers one client event with the pipeline every event follows:
 * zod parse → membership + permission (role × event) → handler (its own transaction with the audit
 * entry) → ack after commit → `after` (broadcasts). Never throws into Socket.IO: a bad payload or a
 * missing ack callback cannot crash the server.
 */
export function onEvent<K extends ClientEventName>(rc: RoomContext, socket: RoomSocket, event: K, handler: Handler<K>, opts: EventOptions = {}): void {
  const raw = socket as unknown as RawSocket;
  raw.on(event, (...args: unknown[]) => {
    const startedAt = rc.app.roomTimings.start();
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as (res: Ack<AckBodies[K]>) => void) : noop;
    const payload = typeof args[0] === 'function' ? undefined : args[0];
    void run(rc, socket, event, handler, payload, opts).then((res) => {
      try {
        ack(res.ack);
      } catch (err) {
        rc.app.log.warn({ err, event }, 'room ack failed');
      }
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
  });
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
