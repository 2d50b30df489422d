import { z } from 'zod';

export const Id = z.uuid();
export const IdParams = z.object({ id: z.uuid() });
export const IsoDateTime = z.iso.datetime({ offset: true });

/** Trimmed, non-empty text with an upper bound: every free-text field from outside. */
export function text(max: number) {
  return z.string().trim().min(1).max(max);
}
