import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { agendaItems, councils, documents, meetings } from '../db/schema';
import { formatSigningTime } from '../signatures/stamp';
import { TextPdf, type Box } from '../documents/text-pdf';

export interface InvitationData {
  readonly meetingId: string;
  readonly title: string;
  readonly body: string;
  readonly council: string | null;
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  readonly location: string;
  /** Numbered agenda lines ("1.", "1.1.") in order. */
  readonly agenda: readonly string[];
  readonly documents: readonly string[];
}

export async function loadInvitationData(db: Executor, meetingId: string): Promise<InvitationData> {
  const [m] = await db
    .select({ meeting: meetings, council: councils.name })
    .from(meetings)
    .leftJoin(councils, eq(councils.id, meetings.councilId))
    .where(eq(meetings.id, meetingId))
    .limit(1);
  if (!m) {
    throw new Error(`meeting ${meetingId} vanished`);
  }
  const items = await db.select().from(agendaItems).where(eq(agendaItems.meetingId, meetingId)).orderBy(asc(agendaItems.position));
  const agenda: string[] = [];
  const walk = (parentId: string | null, prefix: string): void => {
    items
      .filter((i) => i.parentId === parentId)
      .forEach((i, n) => {
        const num = `${prefix}${n + 1}.`;
        agenda.push(`${num} ${i.title}${i.presenter ? ` — ${i.presenter}` : ''}`);
        walk(i.id, num);
      });
  };
  walk(null, '');
  // One invitation goes to every member, observers included: confidential document names stay in the app.
  const docs = await db
    .select({ name: documents.name })
    .from(documents)
    .where(and(eq(documents.meetingId, meetingId), isNull(documents.revokedAt), inArray(documents.confidentiality, ['public', 'internal'])))
    .orderBy(asc(documents.createdAt));
  return {
    meetingId,
    title: m.meeting.title,
    body: m.meeting.body,
    council: m.council,
    startsAt: m.meeting.startsAt,
    endsAt: m.meeting.endsAt,
    location: m.meeting.location,
    agenda,
    documents: docs.map((d) => d.name),
  };
}

const T = {
  vi: {
    nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    motto: 'Độc lập - Tự do - Hạnh phúc',
    heading: 'GIẤY MỜI',
    to: 'Kính gửi: các thành viên dự họp',
    invite: (org: string, title: string) => `${org} trân trọng kính mời đồng chí đến dự ${title}.`,
    time: 'Thời gian',
    place: 'Địa điểm',
    agenda: 'Nội dung',
    docs: 'Tài liệu',
    noDocs: 'Tài liệu sẽ được gửi trên hệ thống phòng họp không giấy.',
    link: 'Xem tài liệu và xác nhận tham dự',
    closing: 'Rất mong đồng chí đến dự đúng giờ.',
    sign: 'TM. CƠ QUAN',
    org: 'Cơ quan',
  },
  en: {
    nation: 'SOCIALIST REPUBLIC OF VIET NAM',
    motto: 'Independence - Freedom - Happiness',
    heading: 'INVITATION',
    to: 'To: the members of the meeting',
    invite: (org: string, title: string) => `${org} invites you to attend ${title}.`,
    time: 'Time',
    place: 'Place',
    agenda: 'Agenda',
    docs: 'Documents',
    noDocs: 'Documents will be published in the paperless meeting system.',
    link: 'Documents and attendance',
    closing: 'We look forward to seeing you on time.',
    sign: 'FOR THE ORGANISATION',
    org: 'The organisation',
  },
};

/** The invitation (giấy mời) with a box for the organisation's signature (org-seal.ts). */
export async function renderInvitationPdf(d: InvitationData, lang: 'vi' | 'en', meetingUrl: string): Promise<{ pdf: Uint8Array; box: Box }> {
  const t = T[lang];
  const w = await TextPdf.create(`${t.heading}: ${d.title}`);
  if (d.council) {
    w.line(d.council.toUpperCase(), { bold: true, size: 10 });
  }
  w.line(t.nation, { bold: true, center: true, size: 11 });
  w.line(t.motto, { bold: true, center: true, size: 11 });
  w.gap(16);
  w.line(t.heading, { bold: true, center: true, size: 16 });
  w.line(d.title, { bold: true, center: true, size: 12 });
  w.gap(10);
  w.line(t.to, { bold: true });
  w.gap(4);
  w.line(t.invite(d.council ?? t.org, d.title));
  if (d.body) {
    w.line(d.body);
  }
  w.gap(6);
  w.line(`${t.time}: ${formatSigningTime(d.startsAt, lang)}${d.endsAt ? ` – ${formatSigningTime(d.endsAt, lang)}` : ''}`);
  w.line(`${t.place}: ${d.location || '—'}`);
  w.gap(6);
  w.line(`${t.agenda}:`, { bold: true });
  for (const a of d.agenda) {
    w.line(a, { indent: 12 });
  }
  w.gap(6);
  w.line(`${t.docs}:`, { bold: true });
  if (d.documents.length === 0) {
    w.line(t.noDocs, { indent: 12 });
  }
  for (const name of d.documents) {
    w.line(`- ${name}`, { indent: 12 });
  }
  w.gap(6);
  w.line(`${t.link}: ${meetingUrl}`, { size: 10 });
  w.gap(4);
  w.line(t.closing);
  const box = w.signatureBox(t.sign);
  return { pdf: await w.save(), box };
}
