import type { Db } from '../db/client';
import { ReadBatch } from '../db/read-batch';
import { notFound } from '../errors';
import { readMembers, type Member } from '../meetings/member';

/**
 * Fresh membership reads for room events (every event but ballot:cast, which takes MemberCache's
 * hint): the reads asked for together go out as one statement per meeting (server/db/read-batch.ts),
 * each still read after its event arrived. A connect storm of joins then
 * costs a few statements per turn instead of one per socket.
 */
export class MemberReads {
  private readonly batch: ReadBatch<string, Member>;

  constructor(db: Db) {
    this.batch = new ReadBatch(async (keys) => {
      const byMeeting = new Map<string, string[]>();
      for (const k of keys) {
        const [meetingId = '', userId = ''] = k.split(' ');
        const users = byMeeting.get(meetingId);
        if (users) {
          users.push(userId);
        } else {
          byMeeting.set(meetingId, [userId]);
        }
      }
      const out = new Map<string, Member>();
      await Promise.all(
        [...byMeeting].map(async ([meetingId, userIds]) => {
          for (const [userId, m] of await readMembers(db, meetingId, userIds)) {
            out.set(`${meetingId} ${userId}`, m);
          }
        }),
      );
      return out;
    });
  }

  /** The user as a member of the meeting; NOT_FOUND like loadMember (server/meetings/member.ts). */
  async get(meetingId: string, userId: string): Promise<Member> {
    const m = await this.batch.load(`${meetingId} ${userId}`);
    if (!m) {
      throw notFound('Meeting');
    }
    return m;
  }
}
