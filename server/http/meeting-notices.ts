import type { Logger } from 'pino';
import type { MeetingState, SpeakerView } from '../../shared/room/snapshot';
import { NoticeChannel } from './notice-channel';

/** A committed change of a meeting's live state made over REST (status change, closing). */
export interface MeetingNotice {
  readonly state: MeetingState;
  /** The speaker queue after the change (closing empties it). */
  readonly speakers: readonly SpeakerView[];
}

export type MeetingNoticeSink = (n: Readonly<MeetingNotice>) => void;

/**
 * `meeting:state` and `speakers:update` for REST routes (POST /api/meetings/:id/status): the route
 * calls `meetingChanged` after its transaction committed; the room module attaches its sink.
 */
export class MeetingNotices extends NoticeChannel<MeetingNotice> {
  constructor(log: Logger) {
    super(log, 'meeting:state', (n) => ({ meetingId: n.state.meetingId }));
  }

  meetingChanged(n: Readonly<MeetingNotice>): void {
    this.send(n);
  }
}
