import { enterPaperResult } from '../polls/paper';
import { pollView } from '../polls/tally';
import { broadcastPoll } from './broadcast';
import { onEvent } from './handler';
import type { RoomSocket } from './io';
import type { RoomContext } from './types';

/** `poll:paper`: the secretariat enters a paper count; the room sees the result like any other. */
export function registerPollPaperHandler(rc: RoomContext, socket: RoomSocket): void {
  const db = rc.app.db;
  onEvent(rc, socket, 'poll:paper', async (input, m) => {
    const p = await enterPaperResult(db, input, m.userId);
    rc.polls.put(p);
    return { body: { poll: await pollView(db, p, { staff: true }) }, after: () => broadcastPoll(rc, db, p) };
  });
}
