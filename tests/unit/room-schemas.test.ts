import { describe, expect, it } from 'vitest';
import { BallotCast, CLIENT_EVENTS, clientEventSchemas, EVENT_AUDIENCE, mayEmit, PollCreate } from '../../shared/room/events';

const M = '0b7c6f0e-4a53-4f43-9a11-3c2f1c7d8e90';
const P = '1b7c6f0e-4a53-4f43-9a11-3c2f1c7d8e91';
const B = '2b7c6f0e-4a53-4f43-9a11-3c2f1c7d8e92';

describe('room contracts', () => {
  it('has a schema and a permission entry for every client event', () => {
    expect(CLIENT_EVENTS.length).toBeGreaterThan(15);
    for (const e of CLIENT_EVENTS) {
      expect(EVENT_AUDIENCE[e].why.length).toBeGreaterThan(0);
      // Non-objects never parse.
      for (const bad of [null, undefined, 42, 'x', [], true]) {
        expect(clientEventSchemas[e].safeParse(bad).success).toBe(false);
      }
    }
  });
  it('parses a ballot and rejects unknown keys and bad option ids', () => {
    expect(BallotCast.safeParse({ meetingId: M, pollId: P, ballotId: B, choice: ['yes'] }).success).toBe(true);
    expect(BallotCast.safeParse({ meetingId: M, pollId: P, ballotId: B, choice: ['maybe'] }).success).toBe(false);
    expect(BallotCast.safeParse({ meetingId: M, pollId: P, ballotId: B, choice: ['yes'], userId: M }).success).toBe(false);
    expect(BallotCast.safeParse({ meetingId: M, pollId: P, ballotId: 'x', choice: ['yes'] }).success).toBe(false);
  });
  it('refuses secret polls that allow changes and elections without candidates', () => {
    expect(PollCreate.safeParse({ meetingId: M, title: 'T', kind: 'yes_no_abstain', secret: true, correction: 'change_until_close' }).success).toBe(false);
    expect(PollCreate.safeParse({ meetingId: M, title: 'T', kind: 'election' }).success).toBe(false);
    expect(PollCreate.safeParse({ meetingId: M, title: 'T', kind: 'election', candidates: ['A', 'B'], maxChoices: 3 }).success).toBe(false);
    const ok = PollCreate.parse({ meetingId: M, title: 'T', kind: 'yes_no_abstain' });
    expect(ok).toMatchObject({ secret: false, base: 'all', threshold: { kind: 'gt_half' }, correction: 'final', hideTally: false });
  });
  it('gives the room to the chair and a delegated secretary only', () => {
    expect(mayEmit('poll:open', { role: 'chair', canRunRoom: false })).toBe(true);
    expect(mayEmit('poll:open', { role: 'secretary', canRunRoom: true })).toBe(true);
    expect(mayEmit('poll:open', { role: 'secretary', canRunRoom: false })).toBe(false);
    expect(mayEmit('poll:open', { role: 'delegate', canRunRoom: true })).toBe(false);
    expect(mayEmit('ballot:cast', { role: 'observer', canRunRoom: false })).toBe(false);
    expect(mayEmit('ballot:cast', { role: 'secretary', canRunRoom: true })).toBe(false);
    expect(mayEmit('meeting:join', { role: 'observer', canRunRoom: false })).toBe(true);
  });
});
