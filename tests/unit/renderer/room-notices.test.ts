// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { RoomNotice } from '../../../shared/ipc';
import type { PlatformNotifications } from '../../../shared/platform';
import type { PollView, RoomSnapshot, SpeakerView } from '../../../shared/room/events';
import { reduceRoom } from '../../../renderer/src/room/reduce';
import { documentNotices, roomNotices } from '../../../renderer/src/notifications/room-notices';
import { deliver } from '../../../renderer/src/notifications/use-room-notifications';
import { i18nFor } from './setup-i18n';

const M = '00000000-0000-4000-8000-000000000001';
const ME = '00000000-0000-4000-8000-0000000000f1';
const OTHER = '00000000-0000-4000-8000-0000000000f2';
const P = '00000000-0000-4000-8000-0000000000e1';
const R1 = '00000000-0000-4000-8000-0000000000d1';
const R2 = '00000000-0000-4000-8000-0000000000d2';

function poll(status: PollView['status']): PollView {
  return {
    pollId: P, meetingId: M, itemId: null, title: 'Thông qua dự toán ngân sách năm 2027', kind: 'yes_no_abstain',
    options: [{ id: 'yes', label: 'Tán thành' }, { id: 'no', label: 'Không tán thành' }, { id: 'abstain', label: 'Không biểu quyết' }],
    maxChoices: 1, secret: false, base: 'all', threshold: { num: 1, den: 2, strict: true }, correction: 'change_until_close',
    durationSeconds: null, hideTally: false, status, openedAt: null, closesAt: null, closedAt: null, replacesPollId: null, reason: null,
    progress: { voted: 0, eligible: 3 }, counts: null, result: null,
  };
}

function speaker(requestId: string, userId: string, status: SpeakerView['status']): SpeakerView {
  return { requestId, userId, displayName: userId === ME ? 'Tôi' : 'Đại biểu khác', itemId: null, status, position: 0, requestedAt: new Date().toISOString(), startedAt: null, limitSeconds: null };
}

function snapshot(me: Partial<RoomSnapshot['me']> = {}): RoomSnapshot {
  return {
    meeting: { meetingId: M, title: 'Kỳ họp', status: 'in_progress', paused: false, currentItemId: null },
    agenda: [],
    currentItem: null,
    me: { userId: ME, role: 'delegate', canRunRoom: false, canVote: true, ...me },
    attendance: [],
    quorum: { present: 0, total: 3, required: 2, met: false, num: 2, den: 3 },
    speakers: [],
    polls: [],
    openPoll: null,
    myBallots: [],
    serverTime: new Date().toISOString(),
  };
}

// The room's own reducer produces each "next" snapshot from the live events, as in the app.
const openPoll = (s: RoomSnapshot) => reduceRoom(s, { type: 'poll:update', payload: poll('open') });
const speakers = (s: RoomSnapshot, list: SpeakerView[]) => reduceRoom(s, { type: 'speakers:update', payload: { meetingId: M, speakers: list } });

describe('room notifications: which events notify whom', () => {
  it('a vote opening notifies members who may vote, once, and nobody on the first snapshot', () => {
    const s0 = snapshot();
    const s1 = openPoll(s0);
    expect(roomNotices(null, s1)).toEqual([]); // joined while the vote was open: it is on screen
    expect(roomNotices(s0, s1)).toEqual([{ kind: 'vote-opened', id: P, title: 'Thông qua dự toán ngân sách năm 2027' }]);
    expect(roomNotices(s1, reduceRoom(s1, { type: 'poll:tally', payload: { meetingId: M, pollId: P, progress: { voted: 1, eligible: 3 }, counts: null } }))).toEqual([]);
    const observer = snapshot({ role: 'observer', canVote: false });
    expect(roomNotices(observer, openPoll(observer))).toEqual([]);
    // Already voted on another device (reconnect snapshot): no ring.
    const voted = { ...s0, myBallots: [{ pollId: P, ballotId: null, choice: null }] };
    expect(roomNotices(s0, openPoll(voted))).toEqual([]);
  });

  it('the floor notifies only the delegate who now speaks', () => {
    const waiting = speakers(snapshot(), [speaker(R1, ME, 'waiting'), speaker(R2, OTHER, 'waiting')]);
    const otherSpeaks = speakers(waiting, [speaker(R1, ME, 'waiting'), speaker(R2, OTHER, 'speaking')]);
    expect(roomNotices(waiting, otherSpeaks)).toEqual([]);
    const iSpeak = speakers(otherSpeaks, [speaker(R1, ME, 'speaking'), speaker(R2, OTHER, 'done')]);
    expect(roomNotices(otherSpeaks, iSpeak)).toEqual([{ kind: 'floor-given', id: R1 }]);
    expect(roomNotices(iSpeak, speakers(iSpeak, [speaker(R1, ME, 'speaking')]))).toEqual([]);
  });

  it('a new document notifies every member, but the first look at the list does not', () => {
    const docs = [{ id: 'a', name: 'Tờ trình.pdf' }];
    expect(documentNotices(null, docs)).toEqual([]);
    expect(documentNotices(new Set(['a']), [...docs, { id: 'b', name: 'Biên bản - Kỳ họp.pdf' }])).toEqual([
      { kind: 'document-added', id: 'b', name: 'Biên bản - Kỳ họp.pdf' },
    ]);
  });

  it('the desktop host gets the notice itself; the web gets Vietnamese texts for notify()', async () => {
    const i18n = i18nFor('vi');
    const desktop: RoomNotice[] = [];
    const web: [string, string][] = [];
    const host: PlatformNotifications = { notify: async () => undefined, room: async (n) => void desktop.push(n) };
    const browser: PlatformNotifications = { notify: async (title, body) => void web.push([title, body]) };
    const t = (k: string) => i18n.t(k);
    await deliver(host, { kind: 'floor-given', id: R1 }, t);
    await deliver(browser, { kind: 'floor-given', id: R1 }, t);
    await deliver(browser, { kind: 'vote-opened', id: P, title: 'Biểu quyết' }, t);
    await deliver(browser, { kind: 'document-added', id: 'b', name: 'Tờ trình.pdf' }, t);
    expect(desktop).toEqual([{ kind: 'floor-given', id: R1 }]);
    expect(web).toEqual([
      ['Mời đại biểu phát biểu', 'Chủ tọa đã mời bạn phát biểu.'],
      ['Đã mở biểu quyết', 'Biểu quyết'],
      ['Tài liệu mới', 'Tờ trình.pdf'],
    ]);
  });
});
