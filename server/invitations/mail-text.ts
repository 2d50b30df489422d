import { formatSigningTime } from '../signatures/stamp';
import type { InvitationData } from './pdf';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface InvitationMailInput extends InvitationData {
  readonly displayName: string;
  readonly meetingUrl: string;
  readonly rsvpUrl: string;
  readonly signed: boolean;
}

/** Subject, plain text and HTML of one member's invitation mail. */
export function invitationMail(lang: 'vi' | 'en', d: InvitationMailInput): { subject: string; text: string; html: string } {
  const vi = lang === 'vi';
  const when = `${formatSigningTime(d.startsAt, lang)}${d.endsAt ? ` – ${formatSigningTime(d.endsAt, lang)}` : ''}`;
  const subject = vi ? `Giấy mời họp: ${d.title}` : `Invitation: ${d.title}`;
  const lines = [
    vi ? `Kính gửi đồng chí ${d.displayName},` : `Dear ${d.displayName},`,
    '',
    vi ? `${d.council ?? 'Cơ quan'} trân trọng kính mời đồng chí dự ${d.title}.` : `${d.council ?? 'The organisation'} invites you to ${d.title}.`,
    `${vi ? 'Thời gian' : 'Time'}: ${when}`,
    `${vi ? 'Địa điểm' : 'Place'}: ${d.location || '—'}`,
    '',
    `${vi ? 'Nội dung' : 'Agenda'}:`,
    ...d.agenda.map((a) => `  ${a}`),
    '',
    `${vi ? 'Tài liệu' : 'Documents'}:`,
    ...(d.documents.length > 0 ? d.documents.map((n) => `  - ${n}`) : [vi ? '  (sẽ đăng trên hệ thống)' : '  (to be published in the app)']),
    '',
    `${vi ? 'Xem cuộc họp và tài liệu' : 'Meeting and documents'}: ${d.meetingUrl}`,
    `${vi ? 'Xác nhận tham dự hoặc báo vắng' : 'Attend or send apologies'}: ${d.rsvpUrl}`,
    vi
      ? 'Liên kết xác nhận chỉ dùng để trả lời giấy mời này, không dùng để đăng nhập, và hết hạn khi cuộc họp bắt đầu.'
      : 'The attendance link only answers this invitation, is not a sign-in, and expires when the meeting starts.',
    '',
    d.signed
      ? vi
        ? 'Giấy mời có chữ ký số của cơ quan được đính kèm (giay-moi.pdf).'
        : 'The invitation, digitally signed by the organisation, is attached (giay-moi.pdf).'
      : vi
        ? 'Giấy mời được đính kèm (giay-moi.pdf).'
        : 'The invitation is attached (giay-moi.pdf).',
  ];
  const text = lines.join('\n');
  const html = `<div style="font-family:sans-serif">${lines
    .map((l) => {
      if (l === d.meetingUrl || l.endsWith(d.meetingUrl)) {
        return `<p>${esc(l.slice(0, l.length - d.meetingUrl.length))}<a href="${esc(d.meetingUrl)}">${esc(d.meetingUrl)}</a></p>`;
      }
      if (l.endsWith(d.rsvpUrl)) {
        return `<p>${esc(l.slice(0, l.length - d.rsvpUrl.length))}<a href="${esc(d.rsvpUrl)}">${vi ? 'Trả lời giấy mời' : 'Answer the invitation'}</a></p>`;
      }
      return l === '' ? '<br>' : `<div>${esc(l)}</div>`;
    })
    .join('')}</div>`;
  return { subject, text, html };
}
