import type { ConclusionRow } from './conclusions';
import { minutesFormat } from './format';
import { letterhead, newPaper, signatureColumns } from './pdf-layout';
import type { SignatureSlot } from './pdf';

export interface NoticeData {
  readonly title: string;
  readonly council: string | null;
  readonly timeZone: string;
  /** When the meeting was held: its actual opening, else its schedule. */
  readonly heldAt: Date;
  readonly location: string | null;
  readonly chair: string | null;
  readonly conclusions: readonly ConclusionRow[];
}

/** The chair's box on the conclusion notice (the same field name as on the minutes). */
export const NOTICE_CHAIR_FIELD = 'ChuToa';

const T = {
  vi: {
    nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    motto: 'Độc lập - Tự do - Hạnh phúc',
    heading: 'THÔNG BÁO KẾT LUẬN',
    intro: (title: string, at: string, place: string | null) => `Ngày ${at}${place ? ` tại ${place}` : ''}, đã diễn ra ${title}. Chủ tọa kỳ họp kết luận như sau:`,
    chairIs: 'Chủ tọa',
    closing: 'Đề nghị các cơ quan, đơn vị và cá nhân liên quan tổ chức thực hiện.',
    chair: 'CHỦ TỌA',
  },
  en: {
    nation: 'SOCIALIST REPUBLIC OF VIET NAM',
    motto: 'Independence - Freedom - Happiness',
    heading: 'CONCLUSION NOTICE',
    intro: (title: string, at: string, place: string | null) => `On ${at}${place ? ` at ${place}` : ''}, ${title} was held. The chair concluded as follows:`,
    chairIs: 'Chair',
    closing: 'The bodies and persons concerned are requested to carry this out.',
    chair: 'CHAIR',
  },
};

/** Renders the conclusion notice: the chair's conclusions item by item and the chair's signature box. */
export async function renderNoticePdf(d: NoticeData, lang: 'vi' | 'en'): Promise<{ pdf: Uint8Array; slots: SignatureSlot[] }> {
  const t = T[lang];
  const w = await newPaper(`${t.heading}: ${d.title}`);
  const fmt = minutesFormat(lang, d.timeZone);
  letterhead(w, t, d.title, d.council);
  w.line(t.intro(d.title, fmt.date(d.heldAt), d.location));
  if (d.chair) {
    w.line(`${t.chairIs}: ${d.chair}`);
  }
  for (const c of d.conclusions) {
    w.gap(4);
    w.line(`${c.position}. ${c.title}`, { bold: true, indent: 10 });
    for (const para of c.text.split(/\r?\n/).filter((x) => x.trim() !== '')) {
      w.line(para, { indent: 20, size: 10 });
    }
  }
  w.gap(8);
  w.line(t.closing);
  // One signature block, the chair's, in the chair's column.
  const boxes = signatureColumns(w, { right: t.chair });
  return {
    pdf: await w.save(),
    slots: [{ fieldName: NOTICE_CHAIR_FIELD, page: boxes.page, rect: boxes.right }],
  };
}
