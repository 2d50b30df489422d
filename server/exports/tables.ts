import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { agendaItems, polls } from '../db/schema';
import { pollOptions, pollResult, countBallots } from '../polls/tally';
import { paperFigures } from '../polls/paper-figures';
import { attendanceOf } from '../meetings/attendance';
import type { ExportLang } from '../../shared/api/exports';

/** One table of an export: a header row and data rows (strings and numbers only). */
export interface Table {
  readonly name: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

const T = {
  vi: {
    votes: 'Biểu quyết',
    ballots: 'Phiếu ghi danh',
    attendance: 'Điểm danh',
    voteHeader: ['Nội dung biểu quyết', 'Mục chương trình', 'Hình thức', 'Mở lúc', 'Đóng lúc', 'Số thành viên', 'Có mặt', 'Số phiếu hợp lệ', 'Phương án', 'Số phiếu', 'Tỷ lệ (%)', 'Kết quả'],
    ballotHeader: ['Nội dung biểu quyết', 'Đại biểu', 'Lựa chọn'],
    attendanceHeader: ['Họ và tên', 'Vai trò', 'Điểm danh', 'Lý do', 'Ghi nhận bởi'],
    named: 'Ghi danh',
    secret: 'Bỏ phiếu kín',
    paper: 'Phiếu giấy (nhập tay)',
    passed: 'Thông qua',
    failed: 'Không thông qua',
    elected: 'Trúng cử',
    notElected: 'Không trúng cử',
    blank: 'Phiếu trắng',
    present: 'Có mặt',
    absent: 'Vắng mặt',
    self: 'Tự điểm danh',
    staff: 'Thư ký',
    roles: { chair: 'Chủ tọa', secretary: 'Thư ký', delegate: 'Đại biểu', observer: 'Khách mời' },
  },
  en: {
    votes: 'Votes',
    ballots: 'Named ballots',
    attendance: 'Attendance',
    voteHeader: ['Vote', 'Agenda item', 'Method', 'Opened', 'Closed', 'Members', 'Present', 'Valid ballots', 'Option', 'Votes', 'Percent', 'Outcome'],
    ballotHeader: ['Vote', 'Delegate', 'Choice'],
    attendanceHeader: ['Name', 'Role', 'Attendance', 'Reason', 'Recorded by'],
    named: 'Named',
    secret: 'Secret ballot',
    paper: 'Paper ballots (entered by hand)',
    passed: 'Passed',
    failed: 'Not passed',
    elected: 'Elected',
    notElected: 'Not elected',
    blank: 'Blank ballot',
    present: 'Present',
    absent: 'Absent',
    self: 'Self check-in',
    staff: 'Secretariat',
    roles: { chair: 'Chair', secretary: 'Secretary', delegate: 'Delegate', observer: 'Observer' },
  },
} as const;

/** Times as the council reads them, whatever the server's own zone. */
function timeFormat(lang: ExportLang, timeZone: string): (d: Date | null) => string {
  const f = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone, dateStyle: 'short', timeStyle: 'short' });
  return (d) => (d ? f.format(d) : '');
}

const collator = new Intl.Collator('vi');

/** Every closed poll of the meeting: one row per option, with the outcome in words. */
export async function voteTables(db: Executor, meetingId: string, lang: ExportLang, timeZone: string): Promise<[Table, Table]> {
  const t = T[lang];
  const fmt = timeFormat(lang, timeZone);
  const rows = await db.select().from(polls).where(and(eq(polls.meetingId, meetingId), inArray(polls.status, ['closed']))).orderBy(asc(polls.closedAt));
  const items = new Map((await db.select({ id: agendaItems.id, title: agendaItems.title }).from(agendaItems).where(eq(agendaItems.meetingId, meetingId))).map((i) => [i.id, i.title]));
  const voteRows: (string | number)[][] = [];
  const ballotRows: (string | number)[][] = [];
  for (const p of rows) {
    const { counts, cast } = await countBallots(db, p);
    const r = await pollResult(db, p, counts, cast, true);
    const method = p.countedOnPaper ? t.paper : p.secret ? t.secret : t.named;
    const paper = p.countedOnPaper ? await paperFigures(db, p.id) : null;
    const item = p.itemId ? (items.get(p.itemId) ?? '') : '';
    const options = pollOptions(p);
    const label = new Map(options.map((o) => [o.id, o.label]));
    for (const o of options) {
      let outcome: string;
      if (p.kind === 'election') {
        outcome = r.elected?.includes(o.id) ? t.elected : t.notElected;
      } else {
        outcome = o.id === 'yes' ? (r.passed ? t.passed : t.failed) : '';
      }
      voteRows.push([
        p.title,
        item,
        paper ? `${method} — ${paper.issued}/${paper.returned}/${paper.invalid}` : method,
        fmt(p.openedAt),
        fmt(p.closedAt),
        r.eligible,
        r.present,
        r.cast,
        o.label,
        counts[o.id] ?? 0,
        r.percent[o.id] ?? 0,
        outcome,
      ]);
    }
    // Named lists only for named polls: a secret or paper poll never has them.
    if (!p.secret && !p.countedOnPaper && r.named) {
      for (const n of [...r.named].sort((a, b) => collator.compare(a.displayName, b.displayName))) {
        ballotRows.push([p.title, n.displayName, n.choice.length ? n.choice.map((c) => label.get(c) ?? c).join('; ') : t.blank]);
      }
    }
  }
  return [
    { name: t.votes, header: t.voteHeader, rows: voteRows },
    { name: t.ballots, header: t.ballotHeader, rows: ballotRows },
  ];
}

export async function attendanceTable(db: Executor, meetingId: string, lang: ExportLang): Promise<Table> {
  const t = T[lang];
  const entries = (await attendanceOf(db, meetingId)).sort((a, b) => collator.compare(a.displayName, b.displayName));
  return {
    name: t.attendance,
    header: t.attendanceHeader,
    rows: entries.map((e) => [e.displayName, t.roles[e.role], e.present ? t.present : t.absent, e.reason ?? '', e.source === 'self' ? t.self : e.source === 'staff' ? t.staff : '']),
  };
}
