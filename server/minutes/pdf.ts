import type { MinutesData, MinutesPoll, MinutesSpeech } from './data';
import { minutesFormat } from './format';
import { letterhead, newPaper, signatureColumns } from './pdf-layout';

export interface SignatureSlot {
  readonly fieldName: string;
  /** 0-based page index. */
  readonly page: number;
  readonly rect: { x: number; y: number; width: number; height: number };
}

const T = {
  vi: {
    nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    motto: 'Độc lập - Tự do - Hạnh phúc',
    heading: 'BIÊN BẢN KỲ HỌP',
    opened: 'Thời gian bắt đầu',
    closed: 'Thời gian kết thúc',
    scheduled: 'theo kế hoạch',
    notRecorded: 'chưa ghi nhận',
    place: 'Địa điểm',
    chair: 'Chủ tọa',
    secretary: 'Thư ký',
    attendance: 'I. THÀNH PHẦN THAM DỰ',
    quorum: (p: string, t: string, n: number, d: number, met: boolean) => `Có mặt ${p}/${t} đại biểu; yêu cầu tối thiểu ${n}/${d}: ${met ? 'đủ' : 'KHÔNG đủ'} điều kiện tiến hành.`,
    absent: 'Vắng mặt',
    present: 'Có mặt',
    unknown: 'Chưa điểm danh',
    agenda: 'II. NỘI DUNG CHƯƠNG TRÌNH',
    proceedings: 'III. DIỄN BIẾN KỲ HỌP',
    presenter: 'Trình bày',
    speeches: 'Ý kiến phát biểu',
    noSummary: '(chưa có tóm tắt)',
    votes: 'Biểu quyết',
    conclusion: 'Kết luận của chủ tọa',
    other: 'Nội dung khác',
    nothing: 'Không có ý kiến phát biểu, biểu quyết hay kết luận.',
    rule: 'Quy tắc',
    secret: 'bỏ phiếu kín',
    named: 'biểu quyết công khai',
    closedAt: 'kết thúc lúc',
    turnout: (cast: string, eligible: string) => `Tham gia biểu quyết: ${cast}/${eligible} đại biểu`,
    passed: 'THÔNG QUA',
    failed: 'KHÔNG THÔNG QUA',
    elected: 'Trúng cử',
    noneElected: 'Không ai trúng cử',
    tie: 'có ứng cử viên bằng phiếu ở suất cuối cùng',
    notVoted: 'Không tham gia biểu quyết',
    counts: 'Kết quả',
    names: 'Danh sách',
    end: (at: string) => `Kỳ họp kết thúc vào lúc ${at}.`,
    sign: (role: string) => role.toUpperCase(),
    opts: { yes: 'Tán thành', no: 'Không tán thành', abstain: 'Không biểu quyết' } as Record<string, string>,
    roles: { chair: 'Chủ tọa', secretary: 'Thư ký', delegate: 'Đại biểu', observer: 'Khách mời' } as Record<string, string>,
  },
  en: {
    nation: 'SOCIALIST REPUBLIC OF VIET NAM',
    motto: 'Independence - Freedom - Happiness',
    heading: 'MINUTES OF THE SESSION',
    opened: 'Opened',
    closed: 'Closed',
    scheduled: 'as scheduled',
    notRecorded: 'not recorded',
    place: 'Place',
    chair: 'Chair',
    secretary: 'Secretary',
    attendance: 'I. ATTENDANCE',
    quorum: (p: string, t: string, n: number, d: number, met: boolean) => `${p}/${t} members present; quorum ${n}/${d}: ${met ? 'met' : 'NOT met'}.`,
    absent: 'Absent',
    present: 'Present',
    unknown: 'Not checked in',
    agenda: 'II. AGENDA',
    proceedings: 'III. PROCEEDINGS',
    presenter: 'Presented by',
    speeches: 'Speeches',
    noSummary: '(no summary)',
    votes: 'Votes',
    conclusion: "Chair's conclusion",
    other: 'Other matters',
    nothing: 'No speeches, votes or conclusion.',
    rule: 'Rule',
    secret: 'secret ballot',
    named: 'named vote',
    closedAt: 'closed at',
    turnout: (cast: string, eligible: string) => `Voted: ${cast} of ${eligible} members`,
    passed: 'PASSED',
    failed: 'NOT PASSED',
    elected: 'Elected',
    noneElected: 'No one elected',
    tie: 'candidates tied for the last seat',
    notVoted: 'Did not vote',
    counts: 'Result',
    names: 'Named list',
    end: (at: string) => `The session closed at ${at}.`,
    sign: (role: string) => role.toUpperCase(),
    opts: { yes: 'Yes', no: 'No', abstain: 'Abstain' } as Record<string, string>,
    roles: { chair: 'chair', secretary: 'secretary', delegate: 'delegate', observer: 'observer' } as Record<string, string>,
  },
};

/** Renders the minutes (Vietnamese by default) and reserves the secretary's and chair's signature boxes. */
export async function renderMinutesPdf(d: MinutesData, lang: 'vi' | 'en'): Promise<{ pdf: Uint8Array; slots: SignatureSlot[] }> {
  const t = T[lang];
  const w = await newPaper(`${t.heading}: ${d.title}`);
  const fmt = minutesFormat(lang, d.timeZone);
  letterhead(w, t, d.title, d.council);
  // The actual opening and closing times; the schedule only when the opening was not recorded.
  w.line(`${t.opened}: ${d.openedAt ? fmt.dateTime(d.openedAt) : `${fmt.dateTime(d.startsAt)} (${t.scheduled})`}`);
  w.line(`${t.closed}: ${d.closedAt ? fmt.dateTime(d.closedAt) : t.notRecorded}`);
  if (d.location) {
    w.line(`${t.place}: ${d.location}`);
  }
  w.line(`${t.chair}: ${d.chair ?? '—'}; ${t.secretary}: ${d.secretary ?? '—'}`);
  w.gap(8);
  w.line(t.attendance, { bold: true });
  w.line(t.quorum(fmt.count(d.quorum.present), fmt.count(d.quorum.total), d.quorum.num, d.quorum.den, d.quorum.met));
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
  w.line(t.proceedings, { bold: true });
  const label = (id: string, opts: readonly { id: string; label: string }[]) => t.opts[id] ?? opts.find((o) => o.id === id)?.label ?? id;
  const paragraphs = (text: string, indent: number, prefix = '') => {
    for (const [i, para] of text.split(/\r?\n/).filter((x) => x.trim() !== '').entries()) {
      w.line(i === 0 ? `${prefix}${para}` : para, { indent, size: 10 });
    }
  };
  const speechesOf = (list: readonly MinutesSpeech[], indent: number) => {
    w.line(`${t.speeches}:`, { indent, bold: true, size: 10 });
    for (const s of list) {
      const when = `${fmt.time(s.startedAt)}${s.endedAt ? `–${fmt.time(s.endedAt)}` : ''}`;
      const who = `${s.speaker}${s.role ? ` (${t.roles[s.role] ?? s.role})` : ''}`;
      paragraphs(s.summary.trim() || t.noSummary, indent + 10, `- ${when}, ${who}: `);
    }
  };
  const pollOf = (p: MinutesPoll, indent: number) => {
    const r = p.result;
    w.line(`• ${p.title} (${p.secret ? t.secret : t.named}${p.closedAt ? `, ${t.closedAt} ${fmt.time(p.closedAt)}` : ''})`, { indent, size: 10 });
    w.line(`${t.rule}: ${p.rule}`, { indent: indent + 10, size: 9.5 });
    w.line(t.turnout(fmt.count(r.cast), fmt.count(r.eligible)), { indent: indent + 10, size: 9.5 });
    const counts = Object.entries(r.counts).map(([id, n]) => `${label(id, p.options)} ${fmt.count(n)} (${fmt.percent(r.percent[id] ?? 0)})`);
    if (p.kind === 'election') {
      // An election elects people; it is never "passed" or "not passed".
      w.line(`${t.counts}: ${counts.join('; ')}`, { indent: indent + 10 });
      const elected = r.elected ?? [];
      w.line(elected.length > 0 ? `${t.elected}: ${elected.map((id) => label(id, p.options)).join(', ')}${r.tie ? ` (${t.tie})` : ''}` : t.noneElected, { indent: indent + 10, bold: true });
    } else {
      w.line(`${t.counts}: ${counts.join('; ')} — ${r.passed ? t.passed : t.failed}`, { indent: indent + 10 });
    }
    if (r.named) {
      w.line(`${t.names}: ${r.named.map((n) => `${n.displayName}: ${n.choice.map((c) => label(c, p.options)).join(', ')}`).join('; ')}`, { indent: indent + 10, size: 9 });
    }
    // Members who cast no ballot, not to be confused with the abstain option.
    if (r.notVoted.length > 0) {
      w.line(`${t.notVoted}: ${r.notVoted.map((n) => n.displayName).join(', ')}`, { indent: indent + 10, size: 9 });
    }
  };
  for (const item of d.items) {
    const indent = 10 + 10 * item.depth;
    w.gap(4);
    w.line(`${item.position}. ${item.title}`, { bold: true, indent });
    if (item.presenter) {
      w.line(`${t.presenter}: ${item.presenter}`, { indent: indent + 10, size: 10 });
    }
    if (item.speeches.length > 0) {
      speechesOf(item.speeches, indent + 10);
    }
    if (item.polls.length > 0) {
      w.line(`${t.votes}:`, { indent: indent + 10, bold: true, size: 10 });
      for (const p of item.polls) {
        pollOf(p, indent + 20);
      }
    }
    if (item.conclusion) {
      w.line(`${t.conclusion}:`, { indent: indent + 10, bold: true, size: 10 });
      paragraphs(item.conclusion, indent + 20);
    }
    if (item.speeches.length === 0 && item.polls.length === 0 && !item.conclusion) {
      w.line(t.nothing, { indent: indent + 10, size: 10 });
    }
  }
  if (d.other.speeches.length > 0 || d.other.polls.length > 0) {
    w.gap(4);
    w.line(t.other, { bold: true, indent: 10 });
    if (d.other.speeches.length > 0) {
      speechesOf(d.other.speeches, 20);
    }
    if (d.other.polls.length > 0) {
      w.line(`${t.votes}:`, { indent: 20, bold: true, size: 10 });
      for (const p of d.other.polls) {
        pollOf(p, 30);
      }
    }
  }
  if (d.closedAt) {
    w.gap(8);
    w.line(t.end(fmt.dateTime(d.closedAt)));
  }
  const boxes = signatureColumns(w, { left: t.sign(t.secretary), right: t.sign(t.chair) });
  return {
    pdf: await w.save(),
    slots: [
      { fieldName: 'ThuKy', page: boxes.page, rect: boxes.left },
      { fieldName: 'ChuToa', page: boxes.page, rect: boxes.right },
    ],
  };
}
