import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@cantoo/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import { formatSigningTime } from '../signatures/stamp';
import type { MinutesData } from './data';

export interface SignatureSlot {
  readonly fieldName: string;
  /** 0-based page index. */
  readonly page: number;
  readonly rect: { x: number; y: number; width: number; height: number };
}

const require = createRequire(import.meta.url);
const W = 595;
const H = 842;
const MARGIN = 56;

const T = {
  vi: {
    nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    motto: 'Độc lập - Tự do - Hạnh phúc',
    heading: 'BIÊN BẢN KỲ HỌP',
    time: 'Thời gian',
    place: 'Địa điểm',
    chair: 'Chủ tọa',
    secretary: 'Thư ký',
    attendance: 'I. THÀNH PHẦN THAM DỰ',
    quorum: (p: number, t: number, n: number, d: number, met: boolean) => `Có mặt ${p}/${t} đại biểu; yêu cầu tối thiểu ${n}/${d}: ${met ? 'đủ' : 'KHÔNG đủ'} điều kiện tiến hành.`,
    absent: 'Vắng mặt',
    present: 'Có mặt',
    unknown: 'Chưa điểm danh',
    agenda: 'II. NỘI DUNG CHƯƠNG TRÌNH',
    polls: 'III. KẾT QUẢ BIỂU QUYẾT',
    rule: 'Quy tắc',
    secret: 'bỏ phiếu kín',
    named: 'biểu quyết công khai',
    passed: 'THÔNG QUA',
    failed: 'KHÔNG THÔNG QUA',
    elected: 'Trúng cử',
    notVoted: 'Không biểu quyết',
    counts: 'Kết quả',
    names: 'Danh sách',
    sign: (role: string) => role.toUpperCase(),
    opts: { yes: 'Tán thành', no: 'Không tán thành', abstain: 'Không biểu quyết' } as Record<string, string>,
    roles: { chair: 'Chủ tọa', secretary: 'Thư ký', delegate: 'Đại biểu', observer: 'Khách mời' } as Record<string, string>,
    none: 'Không có cuộc biểu quyết nào.',
  },
  en: {
    nation: 'SOCIALIST REPUBLIC OF VIET NAM',
    motto: 'Independence - Freedom - Happiness',
    heading: 'MINUTES OF THE SESSION',
    time: 'Time',
    place: 'Place',
    chair: 'Chair',
    secretary: 'Secretary',
    attendance: 'I. ATTENDANCE',
    quorum: (p: number, t: number, n: number, d: number, met: boolean) => `${p}/${t} members present; quorum ${n}/${d}: ${met ? 'met' : 'NOT met'}.`,
    absent: 'Absent',
    present: 'Present',
    unknown: 'Not checked in',
    agenda: 'II. AGENDA',
    polls: 'III. VOTES',
    rule: 'Rule',
    secret: 'secret ballot',
    named: 'named vote',
    passed: 'PASSED',
    failed: 'NOT PASSED',
    elected: 'Elected',
    notVoted: 'Did not vote',
    counts: 'Result',
    names: 'Named list',
    sign: (role: string) => role.toUpperCase(),
    opts: { yes: 'Yes', no: 'No', abstain: 'Abstain' } as Record<string, string>,
    roles: { chair: 'chair', secretary: 'secretary', delegate: 'delegate', observer: 'observer' } as Record<string, string>,
    none: 'No votes were taken.',
  },
};

/** A tiny flowing-text typesetter: wraps lines to the page width and starts new pages as needed. */
class Writer {
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

/** Renders the minutes (Vietnamese by default) and reserves the secretary's and chair's signature boxes. */
export async function renderMinutesPdf(d: MinutesData, lang: 'vi' | 'en'): Promise<{ pdf: Uint8Array; slots: SignatureSlot[] }> {
  const t = T[lang];
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')), { subset: true });
  const bold = await doc.embedFont(await readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')), { subset: true });
  doc.setTitle(`${t.heading}: ${d.title}`);
  const w = new Writer(doc, font, bold);
  w.line(t.nation, { bold: true, center: true, size: 11 });
  w.line(t.motto, { bold: true, center: true, size: 11 });
  w.gap(14);
  w.line(t.heading, { bold: true, center: true, size: 15 });
  w.line(d.title, { bold: true, center: true, size: 12 });
  if (d.council) {
    w.line(d.council, { center: true });
  }
  w.gap(8);
  w.line(`${t.time}: ${formatSigningTime(d.startsAt, lang)}${d.endsAt ? ` – ${formatSigningTime(d.endsAt, lang)}` : ''}`);
  if (d.location) {
    w.line(`${t.place}: ${d.location}`);
  }
  w.line(`${t.chair}: ${d.chair ?? '—'}; ${t.secretary}: ${d.secretary ?? '—'}`);
  w.gap(8);
  w.line(t.attendance, { bold: true });
  w.line(t.quorum(d.quorum.present, d.quorum.total, d.quorum.num, d.quorum.den, d.quorum.met));
  for (const m of d.members) {
    const state = m.present === true ? t.present : m.present === false ? `${t.absent}${m.reason ? ` (${m.reason})` : ''}` : t.unknown;
    w.line(`- ${m.name} (${t.roles[m.role] ?? m.role}): ${state}`, { indent: 10, size: 9.5 });
  }
  w.gap(8);
  w.line(t.agenda, { bold: true });
  for (const a of d.agenda) {
    w.line(`${a.position}. ${a.title}${a.presenter ? ` — ${a.presenter}` : ''}`, { indent: 10 });
  }
  w.gap(8);
  w.line(t.polls, { bold: true });
  if (d.polls.length === 0) {
    w.line(t.none, { indent: 10 });
  }
  const label = (id: string, opts: readonly { id: string; label: string }[]) => t.opts[id] ?? opts.find((o) => o.id === id)?.label ?? id;
  for (const [i, p] of d.polls.entries()) {
    const r = p.result;
    w.gap(4);
    w.line(`${i + 1}. ${p.title} (${p.secret ? t.secret : t.named})`, { bold: true, indent: 10 });
    w.line(`${t.rule}: ${p.rule}; ${p.closedAt ? formatSigningTime(p.closedAt, lang) : ''}`, { indent: 20, size: 9.5 });
    const counts = Object.entries(r.counts).map(([id, n]) => `${label(id, p.options)} ${n} (${(r.percent[id] ?? 0).toFixed(2)}%)`);
    w.line(`${t.counts}: ${counts.join('; ')} — ${r.passed ? t.passed : t.failed}`, { indent: 20 });
    if (r.elected && r.elected.length > 0) {
      w.line(`${t.elected}: ${r.elected.map((id) => label(id, p.options)).join(', ')}`, { indent: 20 });
    }
    if (r.named) {
      w.line(`${t.names}: ${r.named.map((n) => `${n.displayName}: ${n.choice.map((c) => label(c, p.options)).join(', ')}`).join('; ')}`, { indent: 20, size: 9 });
    }
    if (r.notVoted.length > 0) {
      w.line(`${t.notVoted}: ${r.notVoted.map((n) => n.displayName).join(', ')}`, { indent: 20, size: 9 });
    }
  }
  // Signature blocks: secretary on the left, chair on the right (administrative custom).
  w.ensure(130);
  w.gap(16);
  const boxY = w.y - 110;
  const colW = (W - 2 * MARGIN - 20) / 2;
  w.page.drawText(t.sign(t.secretary), { x: MARGIN + colW / 2 - bold.widthOfTextAtSize(t.sign(t.secretary), 11) / 2, y: w.y - 11, size: 11, font: bold });
  w.page.drawText(t.sign(t.chair), { x: MARGIN + colW + 20 + colW / 2 - bold.widthOfTextAtSize(t.sign(t.chair), 11) / 2, y: w.y - 11, size: 11, font: bold });
  const page = w.pageIndex;
  return {
    pdf: await doc.save({ useObjectStreams: false }),
    slots: [
      { fieldName: 'ThuKy', page, rect: { x: MARGIN, y: boxY, width: colW, height: 80 } },
      { fieldName: 'ChuToa', page, rect: { x: MARGIN + colW + 20, y: boxY, width: colW, height: 80 } },
    ],
  };
}
