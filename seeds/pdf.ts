import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fontkit from '@cantoo/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import { grayPng, scanPage } from './png';

/**
 * Real PDFs for the demo meeting, generated at seed time. Text is set in
 * DejaVu Sans, embedded and subset, so Vietnamese diacritics render and extract correctly
 * (pdftotext) on any machine: the 14 standard PDF fonts have no glyphs for "ệ" or "ữ".
 */

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const FIXED_DATE = new Date('2026-01-15T08:00:00Z');

let fontBytes: { regular: Uint8Array; bold: Uint8Array } | undefined;
function fonts(): { regular: Uint8Array; bold: Uint8Array } {
  if (!fontBytes) {
    const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fontBytes = { regular: readFileSync(join(dir, 'DejaVuSans.ttf')), bold: readFileSync(join(dir, 'DejaVuSans-Bold.ttf')) };
  }
  return fontBytes;
}

async function newDoc(title: string): Promise<{ doc: PDFDocument; regular: PDFFont; bold: PDFFont }> {
  const doc = await bareDoc(title);
  doc.registerFontkit(fontkit);
  const f = fonts();
  const regular = await doc.embedFont(f.regular, { subset: true });
  const bold = await doc.embedFont(f.bold, { subset: true });
  return { doc, regular, bold };
}

async function bareDoc(title: string): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setAuthor('Văn phòng HĐND và UBND xã Tà Xùa');
  doc.setProducer('E-Cabinet demo seed');
  doc.setCreator('E-Cabinet');
  // Fixed dates: the same seed produces the same bytes, hence the same sha256.
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  return doc;
}

/** Word widths are cached: fontkit layout per call dominates generation time otherwise. */
const widthCache = new WeakMap<PDFFont, Map<string, number>>();
function wordWidth(font: PDFFont, word: string): number {
  let m = widthCache.get(font);
  if (!m) {
    m = new Map();
    widthCache.set(font, m);
  }
  let w = m.get(word);
  if (w === undefined) {
    w = font.widthOfTextAtSize(word, 1000);
    m.set(word, w);
  }
  return w;
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const space = (wordWidth(font, ' ') * size) / 1000;
  const lines: string[] = [];
  let line = '';
  let lineW = 0;
  for (const word of text.split(' ')) {
    const w = (wordWidth(font, word) * size) / 1000;
    if (line && lineW + space + w > width) {
      lines.push(line);
      line = word;
      lineW = w;
    } else {
      lineW = line ? lineW + space + w : w;
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) {
    lines.push(line);
  }
  return lines;
}

/** Simple flowing layout: headings, paragraphs and tables, page breaks as needed. */
class Writer {
  page!: PDFPage;
  y = 0;
  readonly width = A4[0] - 2 * MARGIN;

  constructor(
    readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN + 24) {
      this.newPage();
    }
  }

  text(s: string, opts: { size?: number; bold?: boolean; center?: boolean; gap?: number } = {}): void {
    const size = opts.size ?? 11;
    const font = opts.bold ? this.bold : this.regular;
    for (const line of wrap(s, font, size, this.width)) {
      this.ensure(size * 1.5);
      const x = opts.center ? MARGIN + (this.width - font.widthOfTextAtSize(line, size)) / 2 : MARGIN;
      this.page.drawText(line, { x, y: this.y - size, size, font, color: rgb(0, 0, 0) });
      this.y -= size * 1.45;
    }
    this.y -= opts.gap ?? size * 0.5;
  }

  table(head: readonly string[], rows: readonly (readonly string[])[], widths: readonly number[]): void {
    const size = 9.5;
    const rowH = 18;
    const draw = (cells: readonly string[], font: PDFFont, shade: boolean): void => {
      this.ensure(rowH);
      let x = MARGIN;
      if (shade) {
        this.page.drawRectangle({ x, y: this.y - rowH, width: this.width, height: rowH, color: rgb(0.9, 0.92, 0.96) });
      }
      cells.forEach((c, i) => {
        const w = (widths[i] ?? 0) * this.width;
        this.page.drawRectangle({ x, y: this.y - rowH, width: w, height: rowH, borderColor: rgb(0.4, 0.4, 0.4), borderWidth: 0.5 });
        this.page.drawText(c, { x: x + 4, y: this.y - rowH + 5, size, font });
        x += w;
      });
      this.y -= rowH;
    };
    draw(head, this.bold, true);
    for (const r of rows) {
      draw(r, this.regular, false);
    }
    this.y -= 10;
  }
}

/** Footer "Trang N/M" on every page, written once the page count is known. */
function numberPages(doc: PDFDocument, font: PDFFont): void {
  const pages = doc.getPages();
  pages.forEach((p, i) => {
    const label = `Trang ${i + 1}/${pages.length}`;
    p.drawText(label, { x: A4[0] / 2 - font.widthOfTextAtSize(label, 9) / 2, y: 28, size: 9, font, color: rgb(0.3, 0.3, 0.3) });
  });
}

function header(w: Writer, title: string, subtitle: string): void {
  w.text('HỘI ĐỒNG NHÂN DÂN XÃ TÀ XÙA', { bold: true, size: 10, gap: 0 });
  w.text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc', { size: 9, gap: 18 });
  w.text(title, { bold: true, size: 15, center: true, gap: 4 });
  w.text(subtitle, { size: 11, center: true, gap: 18 });
}

const SECTORS = [
  'Sản xuất nông, lâm nghiệp',
  'Chăn nuôi và thú y',
  'Du lịch cộng đồng',
  'Giáo dục và đào tạo',
  'Y tế và chăm sóc sức khỏe nhân dân',
  'Xây dựng nông thôn mới',
  'Giao thông và thủy lợi',
  'Quốc phòng, an ninh',
  'Cải cách hành chính',
  'Tài chính, ngân sách xã',
];

const SENTENCES = [
  'Năm qua, trong bối cảnh thời tiết diễn biến phức tạp, Ủy ban nhân dân xã đã tập trung chỉ đạo quyết liệt các nhiệm vụ trọng tâm.',
  'Tổng diện tích gieo trồng đạt kế hoạch đề ra, năng suất lúa nương và ngô ước tăng so với cùng kỳ năm trước.',
  'Công tác chuyển đổi số được đẩy mạnh, tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến tiếp tục tăng.',
  'Các hộ đồng bào dân tộc Mông được hỗ trợ giống cây chè Shan tuyết, góp phần nâng cao thu nhập bền vững.',
  'Trường học được đầu tư cơ sở vật chất, tỷ lệ học sinh đi học đúng độ tuổi đạt trên chín mươi tám phần trăm.',
  'Trạm y tế xã duy trì khám chữa bệnh bảo hiểm y tế, thực hiện tốt chương trình tiêm chủng mở rộng cho trẻ em.',
  'Lượng khách du lịch đến săn mây tại đỉnh Tà Xùa tăng mạnh, mang lại nguồn thu đáng kể cho người dân địa phương.',
  'Tuy nhiên, một số chỉ tiêu còn đạt thấp; hạ tầng giao thông liên thôn xuống cấp sau mùa mưa lũ.',
  'Ủy ban nhân dân xã kiến nghị Hội đồng nhân dân xem xét, quyết định các giải pháp trọng tâm cho năm tới.',
  'Việc quản lý, sử dụng ngân sách bảo đảm đúng quy định, công khai, minh bạch và tiết kiệm.',
];

export interface GeneratedPdf {
  readonly bytes: Uint8Array;
  readonly pages: number;
}

async function finish(doc: PDFDocument, font: PDFFont): Promise<GeneratedPdf> {
  numberPages(doc, font);
  const bytes = await doc.save({ useObjectStreams: true });
  return { bytes, pages: doc.getPageCount() };
}

/** The long socio-economic report (≥ 100 pages): headings, paragraphs, tables, page numbers. */
export async function reportPdf(minPages = 110): Promise<GeneratedPdf> {
  const title = 'Báo cáo tình hình kinh tế - xã hội năm 2026';
  const { doc, regular, bold } = await newDoc(title);
  const w = new Writer(doc, regular, bold);
  header(w, 'BÁO CÁO', 'Tình hình kinh tế - xã hội năm 2026, phương hướng, nhiệm vụ năm 2027');
  let section = 0;
  while (doc.getPageCount() < minPages) {
    section += 1;
    const sector = SECTORS[(section - 1) % SECTORS.length] ?? '';
    w.text(`${section}. ${sector}`, { bold: true, size: 13, gap: 8 });
    for (let p = 0; p < 6; p++) {
      const para = Array.from({ length: 4 }, (_, k) => SENTENCES[(section * 7 + p * 3 + k) % SENTENCES.length]).join(' ');
      w.text(`${section}.${p + 1}. ${para}`);
    }
    if (section % 3 === 1) {
      w.text(`Bảng ${section}: Một số chỉ tiêu chủ yếu — ${sector.toLowerCase()}`, { bold: true, size: 10 });
      w.table(
        ['Chỉ tiêu', 'Đơn vị', 'Kế hoạch', 'Thực hiện', 'Tỷ lệ (%)'],
        Array.from({ length: 6 }, (_, r) => {
          const plan = 100 + ((section * 37 + r * 13) % 400);
          const done = plan - 20 + ((section * 11 + r * 7) % 60);
          return [`Chỉ tiêu số ${r + 1}`, r % 2 ? 'hộ' : 'ha', String(plan), String(done), ((done / plan) * 100).toFixed(1)];
        }),
        [0.36, 0.14, 0.16, 0.16, 0.18],
      );
    }
  }
  return finish(doc, regular);
}

/** A draft resolution "Dự thảo Nghị quyết …" with a few articles. */
export async function resolutionPdf(subject: string, articles: readonly string[]): Promise<GeneratedPdf> {
  const title = `Dự thảo Nghị quyết ${subject}`;
  const { doc, regular, bold } = await newDoc(title);
  const w = new Writer(doc, regular, bold);
  header(w, 'NGHỊ QUYẾT (DỰ THẢO)', subject);
  w.text('HỘI ĐỒNG NHÂN DÂN XÃ TÀ XÙA KHÓA XXI, KỲ HỌP THỨ 12', { bold: true, center: true, gap: 10 });
  w.text('Căn cứ Luật Tổ chức chính quyền địa phương; căn cứ Luật Ngân sách nhà nước; xét Tờ trình của Ủy ban nhân dân xã và ý kiến thảo luận của đại biểu Hội đồng nhân dân xã tại kỳ họp,');
  w.text('QUYẾT NGHỊ:', { bold: true, center: true, gap: 10 });
  articles.forEach((a, i) => {
    w.text(`Điều ${i + 1}. ${a}`, { bold: true });
    for (let k = 0; k < 8; k++) {
      w.text(`${k + 1}. ${SENTENCES[(i * 5 + k) % SENTENCES.length]} ${SENTENCES[(i + k * 3) % SENTENCES.length]}`);
    }
  });
  w.text('Nghị quyết này có hiệu lực kể từ ngày được Hội đồng nhân dân xã thông qua.', { gap: 20 });
  w.text('CHỦ TỊCH', { bold: true, center: true, gap: 30 });
  w.text('Nguyễn Văn Thắng', { bold: true, center: true });
  return finish(doc, regular);
}

/** A "scanned" paper: every page is only a raster image, no text layer (reader benchmark). */
export async function scannedPdf(pageCount = 6): Promise<GeneratedPdf> {
  const doc = await bareDoc('Biên bản kiểm tra (bản quét)');
  for (let i = 0; i < pageCount; i++) {
    const png = await doc.embedPng(grayPng(scanPage(i)));
    const page = doc.addPage(A4);
    page.drawImage(png, { x: 0, y: 0, width: A4[0], height: A4[1] });
  }
  const bytes = await doc.save({ useObjectStreams: true });
  return { bytes, pages: pageCount };
}
