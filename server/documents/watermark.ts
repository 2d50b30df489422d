import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@cantoo/fontkit';
import { degrees, PDFDocument, rgb } from '@cantoo/pdf-lib';
import { formatSigningTime } from '../signatures/stamp';

export interface Reader {
  readonly displayName: string;
  readonly username: string;
}

const require = createRequire(import.meta.url);
let fontBytes: Promise<Buffer> | undefined;

/** DejaVu Sans covers every Vietnamese letter (the standard 14 PDF fonts do not). */
function dejaVu(): Promise<Buffer> {
  fontBytes ??= readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  return fontBytes;
}

export function watermarkLines(reader: Reader, at: Date): { diagonal: string; footer: string } {
  return {
    diagonal: `${reader.displayName} · ${reader.username}`,
    footer: `MẬT · Bản cấp cho ${reader.displayName} (${reader.username}) lúc ${formatSigningTime(at, 'vi')} · Không sao chép, không phát tán`,
  };
}

/**
 * The reader's copy of a confidential document: every page carries the reader's name, username and the
 * time the copy was made, once across the page (light, diagonal) and once in the bottom margin. A full
 * save, not an incremental update: an incremental watermark could be cut off by truncating the file
 * at the original revision's %%EOF. Signatures of the original are verified on the original
 * (docs/signatures.md); the copy is a rendition for reading.
 */
export async function stampReaderCopy(pdf: Uint8Array, reader: Reader, at: Date): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await dejaVu(), { subset: true });
  const { diagonal, footer } = watermarkLines(reader, at);
  for (const page of doc.getPages()) {
    const { width, height } = page.getSize();
    const { x: ox, y: oy } = page.getCropBox();
    const big = Math.max(12, Math.min(48, (Math.hypot(width, height) * 0.8) / Math.max(1, font.widthOfTextAtSize(diagonal, 1))));
    const angle = Math.atan2(height, width);
    const w = font.widthOfTextAtSize(diagonal, big);
    page.drawText(diagonal, {
      x: ox + width / 2 - (Math.cos(angle) * w) / 2,
      y: oy + height / 2 - (Math.sin(angle) * w) / 2,
      size: big,
      font,
      color: rgb(0.6, 0.1, 0.1),
      opacity: 0.15,
      rotate: degrees((angle * 180) / Math.PI),
    });
    let small = 7;
    const fw = font.widthOfTextAtSize(footer, small);
    if (fw > width - 16) {
      small = Math.max(3, (small * (width - 16)) / fw);
    }
    page.drawText(footer, { x: ox + 8, y: oy + 6, size: small, font, color: rgb(0.6, 0.1, 0.1), opacity: 0.8 });
  }
  return doc.save();
}
