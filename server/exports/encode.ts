import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Table } from './tables';

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, or a leading tab/CR that Excel skips) gets a
 * leading apostrophe: a member named "=HYPERLINK(…)" must stay text (OWASP "CSV injection").
 */
export function neutraliseFormula(v: string | number): string | number {
  return typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** UTF-8 with a BOM (Excel picks the encoding from it), CRLF rows as RFC 4180 says. */
export function toCsv(t: Table): Buffer {
  const body = stringify([t.header, ...t.rows].map((r) => r.map(neutraliseFormula)), { record_delimiter: 'windows' });
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, 'utf8')]);
}

/** One sheet per table. Strings are written as text cells, never as formulas. */
export async function toXlsx(tables: readonly Table[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'E-Cabinet';
  for (const t of tables) {
    const ws = wb.addWorksheet(t.name.slice(0, 31));
    const header = ws.addRow([...t.header]);
    header.font = { bold: true };
    for (const r of t.rows) {
      ws.addRow(r.map(neutraliseFormula));
    }
    ws.columns.forEach((c, i) => {
      const widest = Math.max(t.header[i]?.length ?? 8, ...t.rows.map((r) => String(r[i] ?? '').length));
      c.width = Math.min(60, Math.max(8, widest + 2));
    });
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
