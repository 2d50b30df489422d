import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { Password, Username } from '../../../shared/api/auth';

/** One parsed CSV record with the 1-based line where it starts (for error reports). */
export interface CsvRecord {
  readonly line: number;
  readonly cells: string[];
}

/** Records as csv-parse gives them with `info: true` (its typings do not model that option). */
const ParsedRecords = z.array(z.object({ record: z.array(z.string()), info: z.object({ lines: z.number().int() }) }));

/**
 * RFC 4180 CSV through csv-parse: quoted cells with "" escapes, commas and line breaks inside
 * quotes, CRLF, LF or CR (mixed too), and a UTF-8 byte-order mark (Excel writes one) tolerated. Rows
 * may differ in length (the caller reports it per line). Blank lines are skipped.
 */
export function parseCsv(text: string): CsvRecord[] {
  // Throws a CsvError naming the line (e.g. an unterminated quote); parseMembersCsv reports it.
  const parsed = ParsedRecords.parse(
    parse(text, {
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  return (
    parsed
      // A line of spaces only is blank too.
      .filter(({ record }) => record.length > 1 || (record[0] ?? '').trim() !== '')
      // info.lines is the line where the record ends: a quoted cell may span lines.
      .map(({ record, info }) => ({ line: info.lines - record.reduce((n, c) => n + (c.match(/\r\n|\n|\r/g)?.length ?? 0), 0), cells: record }))
  );
}

/** An empty cell means "not given". */
const optional = <T extends z.ZodType>(s: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), s.optional());

/** One member row (header username,displayName,role,title,password?). */
export const MemberRow = z.object({
  username: Username,
  displayName: z.string().trim().min(1).max(200),
  role: z.enum(['chair', 'secretary', 'delegate', 'observer']),
  title: optional(z.string().trim().max(200)),
  password: optional(Password),
});
export type MemberRow = z.infer<typeof MemberRow>;

const REQUIRED = ['username', 'displayName', 'role', 'title'] as const;
const KNOWN = new Set<string>([...REQUIRED, 'password']);

export interface ParsedMembers {
  readonly rows: { line: number; row: MemberRow }[];
  readonly errors: string[];
}

/** Validates every row (not just the first bad one) so one run reports every problem in the file. */
export function parseMembersCsv(text: string): ParsedMembers {
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (err) {
    return { rows: [], errors: [err instanceof Error ? err.message : String(err)] };
  }
  const [header, ...body] = records;
  if (!header) {
    return { rows: [], errors: ['the file is empty: expected a header username,displayName,role,title,password'] };
  }
  const columns = header.cells.map((c) => c.trim());
  const errors: string[] = [];
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !KNOWN.has(c));
  if (missing.length > 0 || unknown.length > 0) {
    errors.push(
      `line ${header.line}: header must be username,displayName,role,title[,password]` +
        (missing.length ? `; missing ${missing.join(', ')}` : '') +
        (unknown.length ? `; unknown ${unknown.join(', ')}` : ''),
    );
    return { rows: [], errors };
  }
  const rows: { line: number; row: MemberRow }[] = [];
  const seen = new Map<string, number>();
  for (const rec of body) {
    if (rec.cells.length !== columns.length) {
      errors.push(`line ${rec.line}: expected ${columns.length} cells, found ${rec.cells.length}`);
      continue;
    }
    const obj = Object.fromEntries(columns.map((c, i) => [c, (rec.cells[i] ?? '').normalize('NFC')]));
    const r = MemberRow.safeParse(obj);
    if (!r.success) {
      for (const issue of r.error.issues) {
        errors.push(`line ${rec.line}: ${issue.path.join('.') || 'row'}: ${issue.message}`);
      }
      continue;
    }
    const first = seen.get(r.data.username);
    if (first !== undefined) {
      errors.push(`line ${rec.line}: username ${r.data.username} already appears on line ${first}`);
      continue;
    }
    seen.set(r.data.username, rec.line);
    rows.push({ line: rec.line, row: r.data });
  }
  if (body.length === 0) {
    errors.push('no member rows after the header');
  }
  return { rows, errors };
}
