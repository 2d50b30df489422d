import { AppError } from '../errors';
import type { Member } from '../meetings/member';
import { EVENT_AUDIENCE, inAudience, type ClientEventName } from '../../shared/room/events';

/** Deny-by-default permission check from the shared table (shared/room/permissions.ts). */
export function requirePermission(event: ClientEventName, m: Member): void {
  const rule = EVENT_AUDIENCE[event];
  if (!inAudience(rule.audience, m)) {
    throw new AppError(403, 'FORBIDDEN', `${event} is not allowed for a ${m.role}: ${rule.why}`);
  }
}

export function isStaff(m: Pick<Member, 'role'>): boolean {
  return m.role === 'chair' || m.role === 'secretary';
}

/**
 * Who gets full name lists (attendance, named results) in snapshots and broadcasts: everyone but
 * delegates, whose copies carry counts and their own entry (O(N) per join, not O(N²)).
 */
export function seesRoster(m: Pick<Member, 'role'>): boolean {
  return m.role !== 'delegate';
}

export function isRunner(m: Pick<Member, 'role' | 'canRunRoom'>): boolean {
  return m.role === 'chair' || (m.role === 'secretary' && m.canRunRoom);
}
