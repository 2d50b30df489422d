import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@cantoo/fontkit';
import { PDFName, type PDFDocument, type PDFObject, type PDFRef } from '@cantoo/pdf-lib';
import { subjectPart, type CertInfo } from './cert-info';

export interface StampText {
  readonly name: string;
  readonly title?: string | undefined;
  readonly organization?: string | undefined;
  readonly signingTime: Date;
  readonly lang?: 'vi' | 'en' | undefined;
}

const require = createRequire(import.meta.url);
let fontBytes: Promise<Buffer> | undefined;

/** DejaVu Sans covers every Vietnamese letter (the standard 14 PDF fonts do not). */
function dejaVu(): Promise<Buffer> {
  fontBytes ??= readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  return fontBytes;
}

export function formatSigningTime(d: Date, lang: 'vi' | 'en'): string {
  const f = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
  return `${f.format(d)} (GMT+7)`;
}

export function stampLines(t: StampText): string[] {
  const vi = (t.lang ?? 'vi') === 'vi';
  const lines = [`${vi ? 'Ký bởi' : 'Signed by'}: ${t.name}`];
  if (t.title) {
    lines.push(`${vi ? 'Chức vụ' : 'Title'}: ${t.title}`);
  }
  if (t.organization) {
    lines.push(`${vi ? 'Cơ quan' : 'Organization'}: ${t.organization}`);
  }
  lines.push(`${vi ? 'Thời gian ký' : 'Signing time'}: ${formatSigningTime(t.signingTime, vi ? 'vi' : 'en')}`);
  return lines;
}

/**
 * Builds the widget's appearance (a form XObject): the optional seal/signature image on the left
 * (Decree 30/2020: the seal overlaps about a third of the signature block) and the signer's lines in
 * an embedded, subsetted DejaVu Sans, shrunk to fit the box.
 */
export async function buildAppearance(doc: PDFDocument, width: number, height: number, text: StampText, image?: Uint8Array): Promise<PDFRef> {
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await dejaVu(), { subset: true });
  const lines = stampLines(text);
  let ops = 'q\n0.85 0.1 0.1 RG 0.8 w 0.5 0.5 ' + `${(width - 1).toFixed(2)} ${(height - 1).toFixed(2)} re S\n`;
  const resources: { Font: { F1: PDFRef }; XObject?: { Im1: PDFRef } } = { Font: { F1: font.ref } };
  let textX = 4;
  if (image) {
    const isPng = image[0] === 0x89 && image[1] === 0x50;
    const img = isPng ? await doc.embedPng(image) : await doc.embedJpg(image);
    const side = Math.min(height - 4, width / 3);
    const scale = Math.min(side / img.width, side / img.height);
    const w = img.width * scale;
    const h = img.height * scale;
    ops += `q ${w.toFixed(2)} 0 0 ${h.toFixed(2)} 2 ${((height - h) / 2).toFixed(2)} cm /Im1 Do Q\n`;
    resources.XObject = { Im1: img.ref };
    textX = 2 + (w * 2) / 3;
  }
  const avail = width - textX - 4;
  let size = Math.min(10, (height - 6) / (lines.length * 1.25));
  for (const l of lines) {
    const w = font.widthOfTextAtSize(l, size);
    if (w > avail) {
      size = Math.max(4, (size * avail) / w);
    }
  }
  const lead = size * 1.25;
  let y = height - 4 - size;
  ops += 'BT\n0.1 0.1 0.55 rg\n';
  for (const l of lines) {
    ops += `/F1 ${size.toFixed(2)} Tf 1 0 0 1 ${textX.toFixed(2)} ${y.toFixed(2)} Tm ${font.encodeText(l).toString()} Tj\n`;
    y -= lead;
  }
  ops += 'ET\nQ\n';
  const stream = doc.context.flateStream(ops, {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    Resources: resources as unknown as PDFObject,
  });
  stream.dict.set(PDFName.of('FormType'), doc.context.obj(1));
  return doc.context.register(stream);
}

/**
 * The stamp's lines from the signer certificate (CN, title, O), each overridable: officials' tokens
 * carry their title and organization, and the stamp must say what the certificate says.
 */
export function stampFromCertificate(
  cert: CertInfo,
  o: Readonly<{ name?: string | undefined; title?: string | undefined; organization?: string | undefined; lang?: 'vi' | 'en' | undefined }> = {},
): Omit<StampText, 'signingTime'> {
  return {
    name: o.name ?? cert.subjectCn,
    title: o.title ?? subjectPart(cert, 'title'),
    organization: o.organization ?? subjectPart(cert, 'O'),
    lang: o.lang,
  };
}
