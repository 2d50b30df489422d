import { z } from 'zod';

/**
 * Every error that crosses a boundary (HTTP, Socket.IO ack, IPC) has this shape
 * (docs/architecture.md "REST": `{"error":{"code":"SOME_CODE","message":"human readable"}}`).
 */
export const ErrorCode = z.enum([
  'VALIDATION_ERROR',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'RATE_LIMITED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RANGE_NOT_SATISFIABLE',
  'INVALID_STATE',
  'QUORUM_NOT_MET',
  'POLL_CLOSED',
  'POLL_NOT_OPEN',
  'ALREADY_VOTED',
  'INVALID_SIGNATURE',
  'LINK_INVALID',
  'LINK_EXPIRED',
  'DEADLINE_PASSED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({ code: z.string(), message: z.string() });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const ErrorResponse = z.object({ error: ErrorBody });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** Result shape for acks and IPC: never throw across a boundary (docs/architecture.md, Signal). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
