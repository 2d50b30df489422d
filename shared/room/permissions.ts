import type { MeetingRole } from '../roles';
import type { ClientEventName } from './schemas';

/**
 * Who may send which event, deny by default (docs/architecture.md: a permission table with a reason per entry).
 * - member: anyone in meeting_members (observers too)
 * - voter: chair and delegates (they count towards quorum and vote)
 * - staff: chair and secretary
 * - runner: the chair, or a secretary with can_run_room (the chair delegated the room)
 */
export type Audience = 'member' | 'voter' | 'delegate' | 'staff' | 'runner';

export const EVENT_AUDIENCE: Readonly<Record<ClientEventName, { audience: Audience; why: string }>> = {
  'meeting:join': { audience: 'member', why: 'every member follows the room' },
  'meeting:leave': { audience: 'member', why: 'leaving a room is always allowed' },
  'meeting:snapshot': { audience: 'member', why: 'resync after reconnect' },
  'meeting:start': { audience: 'runner', why: 'the chair opens the session' },
  'meeting:pause': { audience: 'runner', why: 'the chair suspends the session' },
  'meeting:resume': { audience: 'runner', why: 'the chair resumes the session' },
  'meeting:end': { audience: 'runner', why: 'the chair closes the session' },
  'agenda:setCurrent': { audience: 'runner', why: 'the chair moves through the agenda' },
  'attendance:checkIn': { audience: 'voter', why: 'members who count towards quorum check themselves in' },
  'attendance:mark': { audience: 'staff', why: 'the secretariat and the chair keep the attendance list' },
  'speaker:request': { audience: 'voter', why: 'delegates (and the chair) ask for the floor' },
  'speaker:withdraw': { audience: 'voter', why: 'a delegate withdraws their own request (runner may too)' },
  'speaker:grant': { audience: 'runner', why: 'the chair gives the floor' },
  'speaker:end': { audience: 'runner', why: 'the chair ends a speech' },
  'speaker:reorder': { audience: 'runner', why: 'the chair orders the queue' },
  'poll:create': { audience: 'staff', why: 'secretary or chair prepares polls' },
  'poll:open': { audience: 'runner', why: 'the chair opens votes' },
  'poll:close': { audience: 'runner', why: 'the chair closes votes' },
  'poll:cancel': { audience: 'runner', why: 'the chair cancels a vote, with a reason' },
  'poll:reopen': { audience: 'runner', why: 'the chair repeats a vote as a new poll, with a reason' },
  'poll:edit': { audience: 'staff', why: 'secretary or chair change a prepared (draft) poll' },
  'poll:delete': { audience: 'staff', why: 'secretary or chair remove a prepared (draft) poll' },
  'poll:result': { audience: 'member', why: 'named results are public to the meeting; fetched on demand' },
  'poll:pending': { audience: 'staff', why: 'the chair and secretary see who has not voted yet' },
  'poll:paper': { audience: 'staff', why: "the secretariat enters the counting committee's figures of a paper ballot" },
  'ballot:cast': { audience: 'voter', why: 'chair and delegates vote' },
};

export interface MemberFacts {
  readonly role: MeetingRole;
  readonly canRunRoom: boolean;
}

export function inAudience(a: Audience, m: MemberFacts): boolean {
  switch (a) {
    case 'member':
      return true;
    case 'voter':
      return m.role === 'chair' || m.role === 'delegate';
    case 'delegate':
      return m.role === 'delegate';
    case 'staff':
      return m.role === 'chair' || m.role === 'secretary';
    case 'runner':
      return m.role === 'chair' || (m.role === 'secretary' && m.canRunRoom);
  }
}

export function mayEmit(event: ClientEventName, m: MemberFacts): boolean {
  return inAudience(EVENT_AUDIENCE[event].audience, m);
}
