import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import type { RoomClient } from '../../shared/room/client';
import { meetings, namedBallots } from '../../server/db/schema';
import { initCa } from '../../server/signatures/ca';
import type { CmsSigner } from '../../server/signatures/cms-sign';
import { signBallot } from '../../server/signatures/ballot-sign';
import { signerFromPkcs12 } from '../../server/signatures/p12';
import { IssueCertificateResponse } from '../../shared/signatures/api';
import { connectAs, errCode, ok, roomFixture, type RoomFixture } from './room-helpers';

/** Signed named ballots through the live room (wired into server/room/ballot-signature.ts). */
describe.each(storages())('signed ballots in the room on %s', (storage) => {
  let srv: TestServer;
  let f: RoomFixture;
  let chair: RoomClient;
  let d1: RoomClient;
  let d2: RoomClient;
  let s1: CmsSigner;
  let s2: CmsSigner;
  let pollId: string;

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    const db = srv.server.ctx.db;
    f = await roomFixture(db, { delegates: 3 });
    await initCa(srv.dataDir, { name: 'CA HĐND Demo', organization: 'HĐND Demo', keyBits: 2048 });
    const admin = await new Api(srv.url).login('admin');
    const issue = async (username: string) => {
      const r = await admin.post('/api/signatures/certificates', { userId: f.userIds.get(username), password: 'p12-password' });
      return signerFromPkcs12(Buffer.from(IssueCertificateResponse.parse(r.body).pkcs12Base64, 'base64'), 'p12-password');
    };
    s1 = await issue('delegate01');
    s2 = await issue('delegate02');
    await db.update(meetings).set({ requireSignedBallots: true }).where(eq(meetings.id, f.meetingId));
    chair = await connectAs(srv.url, f, 'chair');
    const secretary = await connectAs(srv.url, f, 'secretary');
    d1 = await connectAs(srv.url, f, 'delegate01');
    d2 = await connectAs(srv.url, f, 'delegate02');
    for (const c of [chair, secretary, d1, d2]) {
      await c.join(f.meetingId);
    }
    ok(await chair.request('meeting:start', { meetingId: f.meetingId }));
    ok(await chair.request('agenda:setCurrent', { meetingId: f.meetingId, itemId: f.itemId }));
    for (const c of [chair, d1, d2]) {
      ok(await c.request('attendance:checkIn', { meetingId: f.meetingId }));
    }
    pollId = ok(await secretary.request('poll:create', { meetingId: f.meetingId, title: 'Biểu quyết có ký số', kind: 'yes_no_abstain' })).poll.pollId;
    ok(await chair.request('poll:open', { meetingId: f.meetingId, pollId, overrideQuorumReason: 'Kiểm thử ký số' }));
    secretary.close();
  });
  afterAll(async () => {
    for (const c of [chair, d1, d2]) {
      c.close();
    }
    await srv.close();
  });

  const signed = async (signer: CmsSigner, choice: string[], over: { ballotId?: string; castAt?: string } = {}) => {
    const payload = { meetingId: f.meetingId, pollId, choice, ballotId: over.ballotId ?? randomUUID(), castAt: over.castAt ?? new Date().toISOString(), nonce: randomUUID() };
    const sb = await signBallot(payload, signer);
    return { ...payload, signature: sb.cms };
  };

  it('rejects forged, foreign-key, replayed and stale signatures; accepts the voter own signature', async () => {
    const good1 = await signed(s1, ['yes']);
    // delegate02 replays delegate01's signed ballot, then signs with delegate01's key.
    expect(errCode(await d2.request('ballot:cast', good1))).toBe('INVALID_SIGNATURE');
    expect(errCode(await d2.request('ballot:cast', await signed(s1, ['no'])))).toBe('INVALID_SIGNATURE');
    // Signed "yes", submitted "no".
    const flipped = { ...(await signed(s2, ['yes'])), choice: ['no'] };
    expect(errCode(await d2.request('ballot:cast', flipped))).toBe('INVALID_SIGNATURE');
    // Same signature sent under another ballot id.
    const other = await signed(s2, ['no']);
    expect(errCode(await d2.request('ballot:cast', { ...other, ballotId: randomUUID() }))).toBe('INVALID_SIGNATURE');
    const stale = await signed(s2, ['no'], { castAt: new Date(Date.now() - 3_600_000).toISOString() });
    expect(errCode(await d2.request('ballot:cast', stale))).toBe('INVALID_SIGNATURE');
    const garbage = { ...(await signed(s2, ['no'])), signature: Buffer.from('x'.repeat(64)).toString('base64') };
    expect(errCode(await d2.request('ballot:cast', garbage))).toBe('INVALID_SIGNATURE');

    ok(await d1.request('ballot:cast', good1));
    // A retry of the same signed ballot is idempotent, not a second vote.
    expect(ok(await d1.request('ballot:cast', good1)).duplicate).toBe(true);
    ok(await d2.request('ballot:cast', other));
    const rows = await srv.server.ctx.db.select().from(namedBallots).where(eq(namedBallots.pollId, pollId));
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => typeof r.signature === 'string' && r.signature.length > 100)).toBe(true);
  });
});
