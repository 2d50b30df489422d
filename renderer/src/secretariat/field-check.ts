/**
 * Field checks of the secretariat forms, stated in the UI language with the limit in the sentence
 * ("tối đa 300 ký tự"): the forms use noValidate, so the browser's own English bubbles never show.
 * The limits mirror the zod contracts in shared/api/meetings.ts, which the server enforces anyway.
 */
export interface FieldProblem {
  readonly key: string;
  readonly values?: Readonly<Record<string, number>>;
}

export function checkText(value: string, opts: Readonly<{ required?: boolean; max: number }>): FieldProblem | null {
  const v = value.trim();
  if (opts.required && v.length === 0) {
    return { key: 'form.required' };
  }
  if (v.length > opts.max) {
    return { key: 'form.tooLong', values: { max: opts.max, length: v.length } };
  }
  return null;
}

/** `datetime-local` values are local wall-clock times; an unparsable or empty one is a problem when required. */
export function checkDateTime(value: string, required: boolean): FieldProblem | null {
  if (value === '') {
    return required ? { key: 'form.required' } : null;
  }
  return Number.isNaN(new Date(value).getTime()) ? { key: 'form.badDateTime' } : null;
}

export function checkEndAfterStart(startsAt: string, endsAt: string): FieldProblem | null {
  if (startsAt === '' || endsAt === '') {
    return null;
  }
  return new Date(endsAt).getTime() <= new Date(startsAt).getTime() ? { key: 'form.endAfterStart' } : null;
}

/** True for a valid time before now (the form warns; it does not refuse). */
export function isPast(value: string, now = Date.now()): boolean {
  const at = new Date(value).getTime();
  return value !== '' && !Number.isNaN(at) && at < now;
}
