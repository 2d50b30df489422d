import { z } from 'zod';

/** Global account roles (docs/architecture.md "Who uses it"). */
export const UserRole = z.enum(['admin', 'secretary', 'chair', 'delegate', 'observer']);
export type UserRole = z.infer<typeof UserRole>;

/** A member's role inside one meeting; a delegate of one meeting may chair another. */
export const MeetingRole = z.enum(['chair', 'secretary', 'delegate', 'observer']);
export type MeetingRole = z.infer<typeof MeetingRole>;

/** Roles whose members vote and count towards quorum. */
export const VOTING_ROLES: readonly MeetingRole[] = ['chair', 'delegate'];

export function isVotingRole(role: MeetingRole): boolean {
  return VOTING_ROLES.includes(role);
}
