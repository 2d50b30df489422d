import type { Logger } from 'pino';
import type { MeetingState, SpeakerView } from '../../shared/room/snapshot';

/** A committed change of a meeting's live state made over REST (status change, closing). */
export interface MeetingNotice {
  readonly state: MeetingState;
  /** The speaker queue after the change (closing empties it). */
  readonly speakers: readonly SpeakerView[];
}

export type MeetingNoticeSink = (n: Readonly<MeetingNotice>) => void;

/**
 * `meeting:state` and `speakers:update` for REST routes (POST /api/meetings/:id/status), which run
 * before the live room exists and must not depend on it — the same pattern as DocumentNotices: the
 * route calls `meetingChanged` after its transaction committed; the room module attaches its sink.
 */
export class MeetingNotices {
  private sink: MeetingNoticeSink | null = null;

  constructor(private readonly log: Logger) {}

  attach(sink: MeetingNoticeSink): () => void {
    this.sink = sink;
    return () => {
      if (this.sink === sink) {
        this.sink = null;
      }
    };
  }

  /** Never throws: the change is committed; a client that misses it still gets it on its next snapshot. */
  meetingChanged(n: Readonly<MeetingNotice>): void {
    const sink = this.sink;
    if (!sink) {
      return;
    }
    try {
      sink(n);
    } catch (err) {
      this.log.warn({ err, meetingId: n.state.meetingId }, 'meeting:state not sent');
    }
  }
}
