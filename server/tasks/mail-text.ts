export interface TaskMailInput {
  readonly displayName: string;
  readonly title: string;
  readonly detail: string;
  /** YYYY-MM-DD in the council's time zone. */
  readonly dueDate: string;
  readonly url: string;
}

function viDate(d: string): string {
  const [y, m, day] = d.split('-');
  return `${day}/${m}/${y}`;
}

/** The reminder before a task's due date and the notice that it is overdue (Vietnamese, then English). */
export function taskMail(
  kind: 'before_due' | 'overdue',
  d: TaskMailInput,
): { subject: string; text: string } {
  const subject =
    kind === 'before_due'
      ? `Nhắc việc: ${d.title} (hạn ${viDate(d.dueDate)})`
      : `Quá hạn: ${d.title} (hạn ${viDate(d.dueDate)})`;
  const text = [
    `Kính gửi đồng chí ${d.displayName},`,
    '',
    kind === 'before_due'
      ? `Nhiệm vụ được giao sắp đến hạn: ${d.title}.`
      : `Nhiệm vụ được giao đã quá hạn mà chưa hoàn thành: ${d.title}.`,
    ...(d.detail ? ['', d.detail] : []),
    '',
    `Hạn hoàn thành: ${viDate(d.dueDate)}`,
    `Cập nhật tình trạng trên hệ thống (đăng nhập): ${d.url}`,
    '',
    '— English —',
    kind === 'before_due'
      ? `A task assigned to you is due soon: ${d.title}.`
      : `A task assigned to you is overdue: ${d.title}.`,
    `Due: ${d.dueDate}. Update its status in the app (sign in): ${d.url}`,
  ].join('\n');
  return { subject, text };
}
