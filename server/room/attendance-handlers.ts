import { and, eq } from 'drizzle-orm';
import { attendance, meetingMembers } from '../db/schema';
import { appendAudit } from '../audit/log';
import { invalidState, notFound } from '../errors';
import type { Executor } from '../db/client';
import type { AttendanceEntry, QuorumView } from '../../shared/room/snapshot';
import type { RoomEvents } from './handler';
import type { Member } from '../meetings/member';
import { attendanceOf, quorumOf } from './state';
import { rooms } from './io';
import type { RoomContext } from './types';

/** Attendance: self check-in by voting members; chair/secretary mark present or absent with a reason. */
export function registerAttendanceHandlers(rc: RoomContext, events: RoomEvents): void {
  const db = rc.app.db;

  const record = async (m: Member, userId: string, present: boolean, reason: string | null, source: 'self' | 'staff') => {
    if (m.meeting.status === 'closed') {
      throw invalidState('The meeting is closed');
    }
    const out = await db.transaction(async (tx) => {
      const [target] = await tx
        .select({ role: meetingMembers.role })
        .from(meetingMembers)
        .where(and(eq(meetingMembers.meetingId, m.meeting.id), eq(meetingMembers.userId, userId)));
      if (!target) {
        throw notFound('Member');
      }
      await tx
        .insert(attendance)
        .values({ meetingId: m.meeting.id, userId, present, reason, source })
        .onConflictDoUpdate({
          target: [attendance.meetingId, attendance.userId],
          set: { present, reason, source, updatedAt: new Date() },
        });
      await appendAudit(tx, {
        actorId: m.userId,
        meetingId: m.meeting.id,
        action: source === 'self' ? 'attendance.checkin' : 'attendance.mark',
        data: { userId, present, reason },
      });
      return view(tx, m, userId);
    });
    return {
      body: out,
      after: () => {
        rc.io.to(rooms.meeting(m.meeting.id)).emit('attendance:update', { meetingId: m.meeting.id, ...out });
      },
    };
  };

  events.on('attendance:checkIn', async (_in, m) => record(m, m.userId, true, null, 'self'));
  events.on('attendance:mark', async (input, m) => record(m, input.userId, input.present, input.reason ?? null, 'staff'));
}

async function view(db: Executor, m: Member, userId: string): Promise<{ entry: AttendanceEntry; quorum: QuorumView }> {
  const all = await attendanceOf(db, m.meeting.id);
  const entry = all.find((e) => e.userId === userId);
  if (!entry) {
    throw notFound('Member');
  }
  return { entry, quorum: quorumOf(all, m.meeting) };
}
