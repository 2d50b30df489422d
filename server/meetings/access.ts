import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { councils, meetingMembers, meetings } from '../db/schema';
import { forbidden, notFound } from '../errors';
import type { AuthUser } from '../auth/sessions';
import type { MeetingRole } from '../../shared/roles';
import { DEFAULT_TIME_ZONE } from '../../shared/time-zone';
import type { Confidentiality } from '../../shared/api/documents';

export type MeetingRow = typeof meetings.$inferSelect;

export interface MeetingAccess {
  readonly meeting: MeetingRow;
  /** The user's role in this meeting; null for an admin who is not a member. */
  readonly role: MeetingRole | null;
  readonly isAdmin: boolean;
  /** admin or the meeting's secretary: may edit meeting, agenda, members and documents. */
  readonly canManage: boolean;
  /** The council's grace period for confidential documents after the meeting closed (0 without a council). */
  readonly confidentialGraceMinutes: number;
  /** The council's time zone for papers and exports (Vietnam's without a council). */
  readonly timeZone: string;
}

/**
 * Loads a meeting as seen by `user`. Outsiders get 404, not 403, so the route does not even reveal that
 * the meeting exists ("no route leaks a meeting or document to a user outside it").
 * Drafts are visible only to admins and the meeting's staff (secretary, chair).
 */
export async function meetingAccess(db: Executor, meetingId: string, user: AuthUser): Promise<MeetingAccess> {
  const [row] = await db
    .select({ meeting: meetings, role: meetingMembers.role, grace: councils.confidentialGraceMinutes, timeZone: councils.timeZone })
    .from(meetings)
    .leftJoin(meetingMembers, and(eq(meetingMembers.meetingId, meetings.id), eq(meetingMembers.userId, user.id)))
    .leftJoin(councils, eq(councils.id, meetings.councilId))
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
  return { meeting: row.meeting, role, isAdmin, canManage: isAdmin || role === 'secretary', confidentialGraceMinutes: row.grace ?? 0, timeZone: row.timeZone ?? DEFAULT_TIME_ZONE };
}

export async function requireManage(db: Executor, meetingId: string, user: AuthUser): Promise<MeetingAccess> {
  const access = await meetingAccess(db, meetingId, user);
  if (!access.canManage) {
    throw forbidden('Only the meeting secretary or an administrator can change this meeting');
  }
  return access;
}

/**
 * By role alone: observers read public documents only; every other member reads all of them. Used for
 * "could this caller once read it" (the manifest's revoked ids).
 */
export function couldReadDocument(access: MeetingAccess, confidentiality: Confidentiality): boolean {
  if (access.isAdmin || access.role === 'chair' || access.role === 'secretary' || access.role === 'delegate') {
    return true;
  }
  return confidentiality === 'public';
}

/**
 * When a closed meeting's confidential documents stop being readable by delegates: closedAt plus the
 * council's grace period. null while the meeting is not closed.
 */
export function confidentialExpiry(access: MeetingAccess): Date | null {
  if (access.meeting.status !== 'closed') {
    return null;
  }
  const closedAt = access.meeting.closedAt ?? access.meeting.updatedAt;
  return new Date(closedAt.getTime() + access.confidentialGraceMinutes * 60_000);
}

/**
 * couldReadDocument, and confidential documents leave delegates when the meeting closes (after the
 * council's grace period): the chair and the secretariat keep them for the minutes and the archive.
 */
export function canReadDocument(access: MeetingAccess, confidentiality: Confidentiality, now = new Date()): boolean {
  if (!couldReadDocument(access, confidentiality)) {
    return false;
  }
  if (confidentiality !== 'confidential' || access.isAdmin || access.role === 'chair' || access.role === 'secretary') {
    return true;
  }
  const expiry = confidentialExpiry(access);
  return expiry === null || now < expiry;
}
