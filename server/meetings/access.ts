import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { meetingMembers, meetings } from '../db/schema';
import { forbidden, notFound } from '../errors';
import type { AuthUser } from '../auth/sessions';
import type { MeetingRole } from '../../shared/roles';
import type { Confidentiality } from '../../shared/api/documents';

export type MeetingRow = typeof meetings.$inferSelect;

export interface MeetingAccess {
  readonly meeting: MeetingRow;
  /** The user's role in this meeting; null for an admin who is not a member. */
  readonly role: MeetingRole | null;
  readonly isAdmin: boolean;
  /** admin or the meeting's secretary: may edit meeting, agenda, members and documents. */
  readonly canManage: boolean;
}

/**
 * Loads a meeting as seen by `user`. Outsiders get 404, not 403, so the route does not even reveal that
 * the meeting exists ("no route leaks a meeting or document to a user outside it").
 * Drafts are visible only to admins and the meeting's staff (secretary, chair).
 */
export async function meetingAccess(db: Executor, meetingId: string, user: AuthUser): Promise<MeetingAccess> {
  const [row] = await db
    .select({ meeting: meetings, role: meetingMembers.role })
    .from(meetings)
    .leftJoin(meetingMembers, and(eq(meetingMembers.meetingId, meetings.id), eq(meetingMembers.userId, user.id)))
    .where(eq(meetings.id, meetingId))
    .limit(1);
  const isAdmin = user.role === 'admin';
  if (!row || (!row.role && !isAdmin)) {
    throw notFound('Meeting');
  }
  const role = row.role ?? null;
  const staff = isAdmin || role === 'secretary' || role === 'chair';
  if (row.meeting.status === 'draft' && !staff) {
    throw notFound('Meeting');
  }
  return { meeting: row.meeting, role, isAdmin, canManage: isAdmin || role === 'secretary' };
}

export async function requireManage(db: Executor, meetingId: string, user: AuthUser): Promise<MeetingAccess> {
  const access = await meetingAccess(db, meetingId, user);
  if (!access.canManage) {
    throw forbidden('Only the meeting secretary or an administrator can change this meeting');
  }
  return access;
}

/** Observers read public documents only; every other member reads all of the meeting's documents. */
export function canReadDocument(access: MeetingAccess, confidentiality: Confidentiality): boolean {
  if (access.isAdmin || access.role === 'chair' || access.role === 'secretary' || access.role === 'delegate') {
    return true;
  }
  return confidentiality === 'public';
}
