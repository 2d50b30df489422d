import { formatSigningTime } from '../signatures/stamp';
import { TextPdf, type Box } from '../documents/text-pdf';
import type { ConsultationMember, ConsultationTally } from '../../shared/api/consultations';
import type { ConsultationRow } from './views';

const T = {
  vi: {
    nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    motto: 'Độc lập - Tự do - Hạnh phúc',
    heading: 'BÁO CÁO KẾT QUẢ LẤY Ý KIẾN BẰNG VĂN BẢN',
    question: 'Nội dung xin ý kiến',
    deadline: 'Hạn trả lời',
    closed: 'Thời điểm kết thúc',
    summary: (n: number, a: number) => `Số thành viên được xin ý kiến: ${n}; số phiếu trả lời: ${a}.`,
    result: 'I. KẾT QUẢ',
    agree: 'Đồng ý',
    disagree: 'Không đồng ý',
    other: 'Ý kiến khác',
    none: 'Không trả lời',
    details: 'II. Ý KIẾN CỦA TỪNG THÀNH VIÊN',
    signed: 'có chữ ký số',
    sign: 'TM. CƠ QUAN',
  },
  en: {
    nation: 'SOCIALIST REPUBLIC OF VIET NAM',
    motto: 'Independence - Freedom - Happiness',
    heading: 'WRITTEN CONSULTATION RESULT REPORT',
    question: 'Question',
    deadline: 'Deadline',
    closed: 'Closed at',
    summary: (n: number, a: number) => `Members consulted: ${n}; answers received: ${a}.`,
    result: 'I. RESULT',
    agree: 'Agree',
    disagree: 'Disagree',
    other: 'Other opinion',
    none: 'No answer',
    details: 'II. ANSWERS BY MEMBER',
    signed: 'digitally signed',
    sign: 'FOR THE ORGANISATION',
  },
};

export async function renderConsultationReport(
  c: ConsultationRow & { closedAt: Date },
  members: readonly ConsultationMember[],
  tally: ConsultationTally,
  lang: 'vi' | 'en',
): Promise<{ pdf: Uint8Array; box: Box }> {
  const t = T[lang];
  const w = await TextPdf.create(`${t.heading}: ${c.title}`);
  w.line(t.nation, { bold: true, center: true, size: 11 });
  w.line(t.motto, { bold: true, center: true, size: 11 });
  w.gap(14);
  w.line(t.heading, { bold: true, center: true, size: 14 });
  w.line(c.title, { bold: true, center: true, size: 12 });
  w.gap(8);
  w.line(`${t.question}:`, { bold: true });
  w.line(c.question, { indent: 12 });
  w.line(`${t.deadline}: ${formatSigningTime(c.deadline, lang)}`);
  w.line(`${t.closed}: ${formatSigningTime(c.closedAt, lang)}`);
  const answered = members.length - tally.none;
  w.line(t.summary(members.length, answered));
  w.gap(8);
  w.line(t.result, { bold: true });
  const pct = (n: number) => (members.length === 0 ? '0.00' : ((n * 100) / members.length).toFixed(2));
  for (const k of ['agree', 'disagree', 'other', 'none'] as const) {
    w.line(`- ${t[k]}: ${tally[k]}/${members.length} (${pct(tally[k])}%)`, { indent: 12 });
  }
  w.gap(8);
  w.line(t.details, { bold: true });
  members.forEach((m, i) => {
    const a = m.answer;
    const what = a ? `${t[a.choice]}${a.comment ? `: “${a.comment}”` : ''}${a.signed ? ` (${t.signed})` : ''}` : t.none;
    w.line(`${i + 1}. ${m.displayName}${m.title ? `, ${m.title}` : ''} — ${what}`, { indent: 12, size: 10 });
  });
  const box = w.signatureBox(t.sign);
  return { pdf: await w.save(), box };
}
