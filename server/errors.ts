import type { ErrorCode } from '../shared/errors';

/** A failure we expect and explain to the caller; anything else is a 500 INTERNAL. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** Response headers that belong to the error (e.g. Retry-After on 429). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'You do not have permission for this action') =>
  new AppError(403, 'FORBIDDEN', message);
export const badRequest = (message: string) => new AppError(400, 'VALIDATION_ERROR', message);
export const conflict = (message: string) => new AppError(409, 'CONFLICT', message);
export const invalidState = (message: string) => new AppError(409, 'INVALID_STATE', message);
