import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { agendaItems, attendance, councils, meetingMembers, meetings, polls, users } from '../db/schema';
import { notFound } from '../errors';
import { countBallots, pollOptions, pollResult } from '../polls/tally';
import type { PollOption, PollResult } from '../../shared/room/snapshot';

export interface MinutesPoll {
  readonly title: string;
  readonly secret: boolean;
  readonly kind: 'yes_no_abstain' | 'election';
  readonly rule: string;
  readonly openedAt: Date | null;
  readonly closedAt: Date | null;
  readonly options: readonly PollOption[];
  readonly result: PollResult;
}

export interface MinutesData {
  readonly title: string;
  readonly council: string | null;
  readonly location: string;
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  readonly chair: string | null;
  readonly secretary: string | null;
  readonly members: readonly { name: string; role: string; present: boolean | null; reason: string | null }[];
  readonly quorum: { present: number; total: number; num: number; den: number; met: boolean };
  readonly agenda: readonly { position: string; title: string; presenter: string }[];
  readonly polls: readonly MinutesPoll[];
}

function ruleText(p: typeof polls.$inferSelect, lang: 'vi' | 'en'): string {
  const base = { all: lang === 'vi' ? 'tổng số đại biểu' : 'all members', present: lang === 'vi' ? 'số đại biểu có mặt' : 'members present', cast: lang === 'vi' ? 'số phiếu' : 'ballots cast' }[p.base];
  const op = p.thresholdStrict ? (lang === 'vi' ? 'trên' : 'more than') : lang === 'vi' ? 'từ' : 'at least';
  return `${op} ${p.thresholdNum}/${p.thresholdDen} ${base}`;
}

/** Everything the minutes state, read from the database (never from a live room's memory). */
export async function loadMinutesData(db: Executor, meetingId: string, lang: 'vi' | 'en'): Promise<MinutesData> {
  const [m] = await db.select().from(meetings).where(eq(meetings.id, meetingId)).limit(1);
  if (!m) {
    throw notFound('Meeting');
  }
  const [council] = m.councilId ? await db.select({ name: councils.name }).from(councils).where(eq(councils.id, m.councilId)).limit(1) : [];
  const memberRows = await db
    .select({ userId: meetingMembers.userId, role: meetingMembers.role, name: users.displayName, present: attendance.present, reason: attendance.reason })
    .from(meetingMembers)
    .innerJoin(users, eq(users.id, meetingMembers.userId))
    .leftJoin(attendance, and(eq(attendance.meetingId, meetingMembers.meetingId), eq(attendance.userId, meetingMembers.userId)))
    .where(eq(meetingMembers.meetingId, meetingId))
    .orderBy(asc(users.displayName));
  const voting = memberRows.filter((r) => r.role === 'chair' || r.role === 'delegate');
  const present = voting.filter((r) => r.present === true).length;
  const items = await db.select().from(agendaItems).where(eq(agendaItems.meetingId, meetingId)).orderBy(asc(agendaItems.position));
  const top = items.filter((i) => !i.parentId);
  const agenda = top.flatMap((t, i) => [
    { position: `${i + 1}`, title: t.title, presenter: t.presenter },
    ...items.filter((c) => c.parentId === t.id).map((c, j) => ({ position: `${i + 1}.${j + 1}`, title: c.title, presenter: c.presenter })),
  ]);
  const pollRows = await db
    .select()
    .from(polls)
    .where(and(eq(polls.meetingId, meetingId), inArray(polls.status, ['closed'])))
    .orderBy(asc(polls.closedAt));
  const out: MinutesPoll[] = [];
  for (const p of pollRows) {
    const { counts, cast } = await countBallots(db, p);
    out.push({ title: p.title, secret: p.secret, kind: p.kind, rule: ruleText(p, lang), openedAt: p.openedAt, closedAt: p.closedAt, options: pollOptions(p), result: await pollResult(db, p, counts, cast) });
  }
  return {
    title: m.title,
    council: council?.name ?? null,
    location: m.location,
    startsAt: m.startsAt,
    endsAt: m.endsAt,
    chair: memberRows.find((r) => r.role === 'chair')?.name ?? null,
    secretary: memberRows.find((r) => r.role === 'secretary')?.name ?? null,
    members: memberRows.map((r) => ({ name: r.name, role: r.role, present: r.present, reason: r.reason })),
    quorum: { present, total: voting.length, num: m.quorumNum, den: m.quorumDen, met: present * m.quorumDen >= voting.length * m.quorumNum },
    agenda,
    polls: out,
  };
}
