import type { z } from 'zod';
import { AppError } from '../errors';

/** Parse outside input with zod; failures become 400 VALIDATION_ERROR naming the field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, where = 'request'): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.join('.') : where;
    throw new AppError(400, 'VALIDATION_ERROR', `Invalid ${path}: ${issue?.message ?? 'invalid input'}`);
  }
  return result.data;
}
