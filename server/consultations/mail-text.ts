import { formatSigningTime } from '../signatures/stamp';

export interface ConsultationMailInput {
  readonly displayName: string;
  readonly title: string;
  readonly question: string;
  readonly deadline: Date;
  readonly url: string;
}

/** The notice sent when a consultation opens and the reminder before its deadline. */
export function consultationMail(kind: 'opened' | 'reminder', d: ConsultationMailInput): { subject: string; text: string } {
  const when = formatSigningTime(d.deadline, 'vi');
  const subject = kind === 'opened' ? `Xin ý kiến: ${d.title}` : `Nhắc trả lời xin ý kiến: ${d.title}`;
  const text = [
    `Kính gửi đồng chí ${d.displayName},`,
    '',
    kind === 'opened'
      ? `Văn phòng đề nghị đồng chí cho ý kiến bằng văn bản về: ${d.title}.`
      : `Đồng chí chưa gửi ý kiến về: ${d.title}. Hạn trả lời sắp đến.`,
    '',
    d.question,
    '',
    `Hạn trả lời: ${when}`,
    `Trả lời trên hệ thống (đăng nhập): ${d.url}`,
    '',
    '— English —',
    kind === 'opened' ? `Your written opinion is requested on: ${d.title}.` : `Reminder: you have not yet answered: ${d.title}.`,
    `Deadline: ${formatSigningTime(d.deadline, 'en')}. Answer in the app (sign in): ${d.url}`,
  ].join('\n');
  return { subject, text };
}
