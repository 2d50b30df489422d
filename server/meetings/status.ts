import type { MeetingStatus } from '../../shared/api/meetings';
import type { MeetingAccess } from './access';

/** The meeting life cycle: draft → published → in_progress → closed, and published → draft. */
export type Transition = 'publish' | 'withdraw' | 'start' | 'close';

export function transitionOf(from: MeetingStatus, to: MeetingStatus): Transition | null {
  switch (from) {
    case 'draft':
      return to === 'published' ? 'publish' : null;
    case 'published':
      return to === 'in_progress' ? 'start' : to === 'draft' ? 'withdraw' : null;
    case 'in_progress':
      return to === 'closed' ? 'close' : null;
    case 'closed':
      return null;
    default: {
      const never: never = from;
      return never;
    }
  }
}

/**
 * The secretariat prepares (publish, withdraw); the chair runs the session (start, close), which the
 * secretary and admins may also do so a session never hangs on one absent person.
 */
export function mayTransition(t: Transition, access: MeetingAccess): boolean {
  switch (t) {
    case 'publish':
    case 'withdraw':
      return access.canManage;
    case 'start':
    case 'close':
      return access.canManage || access.role === 'chair';
    default: {
      const never: never = t;
      return never;
    }
  }
}
