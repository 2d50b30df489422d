import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { attendance, councils, meetingMembers, meetings, polls, speeches, users } from '../db/schema';
import { notFound } from '../errors';
import { countBallots, pollOptions, pollResult } from '../polls/tally';
import type { PollOption, PollResult } from '../../shared/room/snapshot';
import { DEFAULT_TIME_ZONE } from '../../shared/time-zone';
import { listConclusions } from './conclusions';
import { numberedAgenda } from './numbering';

export interface MinutesPoll {
  readonly itemId: string | null;
  readonly title: string;
  readonly secret: boolean;
  readonly kind: 'yes_no_abstain' | 'election';
  readonly rule: string;
  readonly openedAt: Date | null;
  readonly closedAt: Date | null;
  readonly options: readonly PollOption[];
  readonly result: PollResult;
}

export interface MinutesSpeech {
  readonly speaker: string;
  readonly role: string | null;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  readonly summary: string;
}

/** One agenda item as the proceedings state it: who spoke, what was voted, what the chair concluded. */
export interface MinutesItem {
  readonly position: string;
  readonly depth: number;
  readonly title: string;
  readonly presenter: string;
  readonly speeches: readonly MinutesSpeech[];
  readonly polls: readonly MinutesPoll[];
  readonly conclusion: string | null;
}

export interface MinutesData {
  readonly title: string;
  readonly council: string | null;
  /** The council's IANA zone: every time in the minutes is stated in it. */
  readonly timeZone: string;
  readonly location: string;
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  /** When the meeting actually opened (went in_progress) and closed; null when not recorded. */
  readonly openedAt: Date | null;
  readonly closedAt: Date | null;
  readonly chair: string | null;
  readonly secretary: string | null;
  readonly members: readonly { name: string; role: string; present: boolean | null; reason: string | null }[];
  readonly quorum: { present: number; total: number; num: number; den: number; met: boolean };
  readonly agenda: readonly { position: string; title: string; presenter: string }[];
  /** Proceedings, item by item in agenda order. */
  readonly items: readonly MinutesItem[];
  /** Turns and votes on no agenda item (or on one deleted since). */
  readonly other: { readonly speeches: readonly MinutesSpeech[]; readonly polls: readonly MinutesPoll[] };
  readonly polls: readonly MinutesPoll[];
}

/** The rule in words: what it takes to pass (resolutions) or to be elected (elections). */
function ruleText(p: typeof polls.$inferSelect, lang: 'vi' | 'en'): string {
  const vi = lang === 'vi';
  const base = { all: vi ? 'tổng số đại biểu' : 'all members', present: vi ? 'số đại biểu có mặt' : 'the members present', cast: vi ? 'số phiếu hợp lệ' : 'the ballots cast' }[p.base];
  const op = p.thresholdStrict ? (vi ? 'trên' : 'more than') : vi ? 'từ' : 'at least';
  const share = `${op} ${p.thresholdNum}/${p.thresholdDen} ${base}`;
  if (p.kind === 'election') {
    return vi ? `trúng cử khi được ${share} bầu` : `elected with the votes of ${share}`;
  }
  return vi ? `thông qua khi ${share} tán thành` : `passed when ${share} vote yes`;
}

/** Everything the minutes state, read from the database (never from a live room's memory). */
export async function loadMinutesData(db: Executor, meetingId: string, lang: 'vi' | 'en'): Promise<MinutesData> {
  const [m] = await db.select().from(meetings).where(eq(meetings.id, meetingId)).limit(1);
  if (!m) {
    throw notFound('Meeting');
  }
  const [council] = m.councilId ? await db.select({ name: councils.name, timeZone: councils.timeZone }).from(councils).where(eq(councils.id, m.councilId)).limit(1) : [];
  const memberRows = await db
    .select({ userId: meetingMembers.userId, role: meetingMembers.role, name: users.displayName, present: attendance.present, reason: attendance.reason })
    .from(meetingMembers)
    .innerJoin(users, eq(users.id, meetingMembers.userId))
    .leftJoin(attendance, and(eq(attendance.meetingId, meetingMembers.meetingId), eq(attendance.userId, meetingMembers.userId)))
    .where(eq(meetingMembers.meetingId, meetingId))
    .orderBy(asc(users.displayName));
  const voting = memberRows.filter((r) => r.role === 'chair' || r.role === 'delegate');
  const present = voting.filter((r) => r.present === true).length;
  const numbered = await numberedAgenda(db, meetingId);
  const agenda = numbered.map((i) => ({ position: i.position, title: i.title, presenter: i.presenter }));
  const pollRows = await db
    .select()
    .from(polls)
    .where(and(eq(polls.meetingId, meetingId), inArray(polls.status, ['closed'])))
    .orderBy(asc(polls.closedAt));
  const out: MinutesPoll[] = [];
  for (const p of pollRows) {
    const { counts, cast } = await countBallots(db, p);
    out.push({ itemId: p.itemId, title: p.title, secret: p.secret, kind: p.kind, rule: ruleText(p, lang), openedAt: p.openedAt, closedAt: p.closedAt, options: pollOptions(p), result: await pollResult(db, p, counts, cast) });
  }
  const roleOf = new Map(memberRows.map((r) => [r.userId, r.role]));
  const turns = await db
    .select({ s: speeches, name: users.displayName })
    .from(speeches)
    .innerJoin(users, eq(users.id, speeches.userId))
    .where(eq(speeches.meetingId, meetingId))
    .orderBy(asc(speeches.startedAt), asc(speeches.id));
  const toSpeech = (t: (typeof turns)[number]): MinutesSpeech => ({ speaker: t.name, role: roleOf.get(t.s.userId) ?? null, startedAt: t.s.startedAt, endedAt: t.s.endedAt, summary: t.s.summary });
  const conclusions = new Map((await listConclusions(db, meetingId)).map((c) => [c.agendaItemId, c.text]));
  const known = new Set(numbered.map((i) => i.id));
  const items: MinutesItem[] = numbered.map((i) => ({
    position: i.position,
    depth: i.depth,
    title: i.title,
    presenter: i.presenter,
    speeches: turns.filter((t) => t.s.agendaItemId === i.id).map(toSpeech),
    polls: out.filter((p) => p.itemId === i.id),
    conclusion: conclusions.get(i.id) ?? null,
  }));
  const other = {
    speeches: turns.filter((t) => !t.s.agendaItemId || !known.has(t.s.agendaItemId)).map(toSpeech),
    polls: out.filter((p) => !p.itemId || !known.has(p.itemId)),
  };
  return {
    title: m.title,
    council: council?.name ?? null,
    timeZone: council?.timeZone ?? DEFAULT_TIME_ZONE,
    location: m.location,
    startsAt: m.startsAt,
    endsAt: m.endsAt,
    openedAt: m.startedAt,
    closedAt: m.closedAt,
    chair: memberRows.find((r) => r.role === 'chair')?.name ?? null,
    secretary: memberRows.find((r) => r.role === 'secretary')?.name ?? null,
    members: memberRows.map((r) => ({ name: r.name, role: r.role, present: r.present, reason: r.reason })),
    quorum: { present, total: voting.length, num: m.quorumNum, den: m.quorumDen, met: present * m.quorumDen >= voting.length * m.quorumNum },
    agenda,
    items,
    other,
    polls: out,
  };
}
