import { enterPaperResult } from '../polls/paper';
import { pollView } from '../polls/tally';
import { broadcastPoll } from './broadcast';
import type { RoomEvents } from './handler';
import type { RoomContext } from './types';

/** `poll:paper`: the secretariat enters a paper count; the room sees the result like any other. */
export function registerPollPaperHandler(rc: RoomContext, events: RoomEvents): void {
  const db = rc.app.db;
  events.on('poll:paper', async (input, m) => {
    const p = await enterPaperResult(db, input, m.userId);
    rc.polls.put(p);
    return { body: { poll: await pollView(db, p, { staff: true }) }, after: () => broadcastPoll(rc, db, p) };
  });
}
