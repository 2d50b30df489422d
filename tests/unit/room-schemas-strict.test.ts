import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CLIENT_EVENTS, clientEventSchemas } from '../../shared/room/schemas';

/** What a zod 4 schema keeps in `_zod.def` that matters for walking it. */
interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly catchall?: z.ZodType;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
  readonly keyType?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly items?: readonly z.ZodType[];
  readonly rest?: z.ZodType | null;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Every object schema reachable from `s`, with its path; fails on a schema kind it does not know. */
function objects(s: z.ZodType, path: string, out: { path: string; strict: boolean }[]): void {
  const d = defOf(s);
  const children: [string, z.ZodType | null | undefined][] = [];
  switch (d.type) {
    case 'object':
      out.push({ path, strict: d.catchall !== undefined && defOf(d.catchall).type === 'never' });
      for (const [k, v] of Object.entries(d.shape ?? {})) {
        children.push([`${path}.${k}`, v]);
      }
      break;
    case 'array':
      children.push([`${path}[]`, d.element]);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      children.push([path, d.innerType]);
      break;
    case 'pipe':
      children.push([path, d.in], [path, d.out]);
      break;
    case 'union':
      (d.options ?? []).forEach((o, i) => children.push([`${path}|${i}`, o]));
      break;
    case 'intersection':
      children.push([path, d.left], [path, d.right]);
      break;
    case 'record':
      children.push([`${path}{}`, d.valueType]);
      break;
    case 'tuple':
      (d.items ?? []).forEach((o, i) => children.push([`${path}[${i}]`, o]));
      children.push([`${path}[…]`, d.rest]);
      break;
    case 'string':
    case 'number':
    case 'boolean':
    case 'literal':
    case 'enum':
    case 'null':
    case 'undefined':
    case 'never':
    case 'transform':
      break;
    default:
      throw new Error(`${path}: schema kind ${d.type} is not walked by this test; teach it`);
  }
  for (const [p, c] of children) {
    if (c) {
      objects(c, p, out);
    }
  }
}

describe('client event schemas', () => {
  it('refuse unknown keys at every level (every object schema is strict)', () => {
    const loose: string[] = [];
    let count = 0;
    for (const e of CLIENT_EVENTS) {
      const found: { path: string; strict: boolean }[] = [];
      objects(clientEventSchemas[e], e, found);
      expect(found.length, `${e} has an object schema`).toBeGreaterThan(0);
      count += found.length;
      loose.push(...found.filter((f) => !f.strict).map((f) => f.path));
    }
    expect(loose).toEqual([]);
    // The nested thresholds were found (the walker reaches into unions and defaults).
    expect(count).toBeGreaterThan(CLIENT_EVENTS.length + 4);
  });

  it('refuses an unknown key inside the threshold of poll:create', () => {
    const base = { meetingId: '0b7c6f0e-4a53-4f43-9a11-3c2f1c7d8e90', title: 'T', kind: 'yes_no_abstain' };
    expect(clientEventSchemas['poll:create'].safeParse({ ...base, threshold: { kind: 'gt_half' } }).success).toBe(true);
    expect(clientEventSchemas['poll:create'].safeParse({ ...base, threshold: { kind: 'gt_half', extra: true } }).success).toBe(false);
    expect(
      clientEventSchemas['poll:create'].safeParse({ ...base, threshold: { kind: 'custom', num: 1, den: 2, strict: true, x: 1 } }).success,
    ).toBe(false);
  });
});
