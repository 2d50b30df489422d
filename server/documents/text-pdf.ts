import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@cantoo/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';

const require = createRequire(import.meta.url);
export const PAGE_W = 595;
export const PAGE_H = 842;
export const MARGIN = 56;

export interface Box {
  readonly page: number;
  readonly rect: { x: number; y: number; width: number; height: number };
}

/** How a paper sets its text. */
export interface TextLayout {
  /** Font size of a line that names none. */
  readonly size: number;
  /**
   * Line breaks inside a line's text: `keep` starts a new line at each (a secretary's text as typed);
   * `fold` reads them as spaces, for papers that split their multi-line texts into paragraphs
   * themselves (server/minutes/pdf-layout.ts).
   */
  readonly breaks: 'keep' | 'fold';
}

const LETTER: TextLayout = { size: 11, breaks: 'keep' };

/**
 * The one text typesetter of the papers the server writes (invitation, consultation report, minutes,
 * conclusion notice): flowing A4 text wrapped to the page width, new pages as needed, with DejaVu
 * Sans embedded (subset) so Vietnamese diacritics render and extract (pdftotext) correctly.
 */
export class TextPdf {
  page: PDFPage;
  y = PAGE_H - MARGIN;

  private constructor(
    readonly doc: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
    private readonly layout: TextLayout,
  ) {
    this.page = doc.addPage([PAGE_W, PAGE_H]);
  }

  static async create(title: string, layout: Readonly<TextLayout> = LETTER): Promise<TextPdf> {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const font = await doc.embedFont(await readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')), { subset: true });
    const bold = await doc.embedFont(await readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')), { subset: true });
    doc.setTitle(title);
    return new TextPdf(doc, font, bold, layout);
  }

  get pageIndex(): number {
    return this.doc.getPageCount() - 1;
  }

  ensure(h: number): void {
    if (this.y - h < MARGIN) {
      this.page = this.doc.addPage([PAGE_W, PAGE_H]);
      this.y = PAGE_H - MARGIN;
    }
  }

  line(text: string, o: { size?: number; bold?: boolean; center?: boolean; indent?: number } = {}): void {
    const size = o.size ?? this.layout.size;
    const f = o.bold ? this.bold : this.font;
    const max = PAGE_W - 2 * MARGIN - (o.indent ?? 0);
    for (const paragraph of this.layout.breaks === 'keep' ? text.split('\n') : [text]) {
      let cur = '';
      const flush = (s: string): void => {
        this.ensure(size * 1.45);
        const w = f.widthOfTextAtSize(s, size);
        const x = o.center ? (PAGE_W - w) / 2 : MARGIN + (o.indent ?? 0);
        this.page.drawText(s, { x, y: this.y - size, size, font: f, color: rgb(0, 0, 0) });
        this.y -= size * 1.45;
      };
      for (const word of paragraph.split(/\s+/)) {
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
  }

  gap(h = 6): void {
    this.y -= h;
  }

  /** Reserves a signature box on the right under a bold caption; returns where the seal goes. */
  signatureBox(caption: string): Box {
    this.ensure(130);
    this.gap(14);
    const width = 230;
    const x = PAGE_W - MARGIN - width;
    this.page.drawText(caption, { x: x + width / 2 - this.bold.widthOfTextAtSize(caption, 11) / 2, y: this.y - 11, size: 11, font: this.bold });
    const box = { page: this.pageIndex, rect: { x, y: this.y - 100, width, height: 70 } };
    this.y -= 110;
    return box;
  }

  async save(): Promise<Uint8Array> {
    return this.doc.save({ useObjectStreams: false });
  }
}
