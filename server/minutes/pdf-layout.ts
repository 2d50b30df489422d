import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@cantoo/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';

/**
 * The text layout shared by the papers the server writes after a meeting (minutes, conclusion notice):
 * an A4 page, DejaVu fonts (Vietnamese diacritics) and a flowing-text writer.
 */
const require = createRequire(import.meta.url);
export const W = 595;
export const H = 842;
export const MARGIN = 56;

/** A tiny flowing-text typesetter: wraps lines to the page width and starts new pages as needed. */
export class Writer {
  page: PDFPage;
  y = H - MARGIN;
  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.page = doc.addPage([W, H]);
  }
  get pageIndex(): number {
    return this.doc.getPageCount() - 1;
  }
  ensure(h: number): void {
    if (this.y - h < MARGIN) {
      this.page = this.doc.addPage([W, H]);
      this.y = H - MARGIN;
    }
  }
  line(text: string, o: { size?: number; bold?: boolean; center?: boolean; indent?: number } = {}): void {
    const size = o.size ?? 10.5;
    const f = o.bold ? this.bold : this.font;
    const max = W - 2 * MARGIN - (o.indent ?? 0);
    const words = text.split(/\s+/);
    let cur = '';
    const flush = (s: string) => {
      this.ensure(size * 1.45);
      const w = f.widthOfTextAtSize(s, size);
      const x = o.center ? (W - w) / 2 : MARGIN + (o.indent ?? 0);
      this.page.drawText(s, { x, y: this.y - size, size, font: f, color: rgb(0, 0, 0) });
      this.y -= size * 1.45;
    };
    for (const word of words) {
      const next = cur ? `${cur} ${word}` : word;
      if (f.widthOfTextAtSize(next, size) > max && cur) {
        flush(cur);
        cur = word;
      } else {
        cur = next;
      }
    }
    flush(cur);
  }
  gap(h = 6): void {
    this.y -= h;
  }
}

/** A new A4 document with the fonts embedded and a writer on its first page. */
export async function newPaper(title: string): Promise<{ doc: PDFDocument; font: PDFFont; bold: PDFFont; w: Writer }> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')), { subset: true });
  const bold = await doc.embedFont(await readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')), { subset: true });
  doc.setTitle(title);
  return { doc, font, bold, w: new Writer(doc, font, bold) };
}

/** The national heading, the paper's name, its subject and the council: the top of every council paper. */
export function letterhead(w: Writer, t: { readonly nation: string; readonly motto: string; readonly heading: string }, title: string, council: string | null): void {
  w.line(t.nation, { bold: true, center: true, size: 11 });
  w.line(t.motto, { bold: true, center: true, size: 11 });
  w.gap(14);
  w.line(t.heading, { bold: true, center: true, size: 15 });
  w.line(title, { bold: true, center: true, size: 12 });
  if (council) {
    w.line(council, { center: true });
  }
  w.gap(8);
}
