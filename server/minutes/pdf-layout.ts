import { MARGIN, PAGE_W, TextPdf, type Box } from '../documents/text-pdf';

/**
 * What the papers the server writes after a meeting (minutes, conclusion notice) share: their text
 * layout, the letterhead and the signature blocks.
 */

/**
 * A new paper: 10.5 pt text, and line breaks inside a line folded into spaces, since these papers
 * split their multi-line texts (speech summaries, conclusions) into paragraphs themselves.
 */
export function newPaper(title: string): Promise<TextPdf> {
  return TextPdf.create(title, { size: 10.5, breaks: 'fold' });
}

/** The national heading, the paper's name, its subject and the council: the top of every council paper. */
export function letterhead(w: TextPdf, t: { readonly nation: string; readonly motto: string; readonly heading: string }, title: string, council: string | null): void {
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

type Rect = Box['rect'];

/**
 * The signature blocks at the end of the paper, in two columns (secretary on the left, chair on the
 * right: administrative custom): draws the caption of each column given and returns the page and
 * both boxes, kept on one page with their captions.
 */
export function signatureColumns(w: TextPdf, captions: { readonly left?: string; readonly right?: string }): { page: number; left: Rect; right: Rect } {
  w.ensure(130);
  w.gap(16);
  const boxY = w.y - 110;
  const colW = (PAGE_W - 2 * MARGIN - 20) / 2;
  const caption = (text: string, x: number): void => {
    w.page.drawText(text, { x: x + colW / 2 - w.bold.widthOfTextAtSize(text, 11) / 2, y: w.y - 11, size: 11, font: w.bold });
  };
  const leftX = MARGIN;
  const rightX = MARGIN + colW + 20;
  if (captions.left !== undefined) {
    caption(captions.left, leftX);
  }
  if (captions.right !== undefined) {
    caption(captions.right, rightX);
  }
  return {
    page: w.pageIndex,
    left: { x: leftX, y: boxY, width: colW, height: 80 },
    right: { x: rightX, y: boxY, width: colW, height: 80 },
  };
}
