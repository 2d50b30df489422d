import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signBallot } from '../../server/signatures/ballot-sign';
import { certSha256, verifySignedBallot, type BallotVerdict } from '../../server/signatures/ballot-verify';
import { loadTrustStore, type TrustStore } from '../../server/signatures/trust-store';
import { ballotCanonicalJson, ballotSigningBytes, type BallotPayload } from '../../shared/signatures/ballot';
import type { IssuedCert } from '../../server/signatures/ca';
import { makeCa, member, signerOf } from './signatures-fixtures';

const reasonOf = (v: BallotVerdict): string => (v.ok ? 'accepted' : v.reason);

describe('signed ballots', () => {
  let dir: string;
  let voter: IssuedCert;
  let other: IssuedCert;
  let trust: TrustStore;
  const meetingId = randomUUID();
  const pollId = randomUUID();
  const payload = (over: Partial<BallotPayload> = {}): BallotPayload => ({
    meetingId,
    pollId,
    choice: ['yes'],
    ballotId: randomUUID(),
    castAt: new Date().toISOString(),
    nonce: 'n-0123456789',
    ...over,
  });

  beforeAll(async () => {
    dir = await makeCa();
    voter = await member(dir, 'Đại biểu Võ Thị Sáu');
    other = await member(dir, 'Đại biểu Khác');
    trust = await loadTrustStore(dir);
  });

  const verify = (p: unknown, cms: string, extra: Partial<Parameters<typeof verifySignedBallot>[2]> = {}) =>
    verifySignedBallot(p, Buffer.from(cms, 'base64'), { meetingId, pollId, voterCertSha256: [certSha256(voter.certDer)], ...extra }, { trust });

  it('accepts a ballot signed by the voter registered certificate', async () => {
    const sb = await signBallot(payload(), signerOf(voter));
    const v = verify(sb.payload, sb.cms, { ballotId: sb.payload.ballotId, choice: ['yes'] });
    expect(v).toMatchObject({ ok: true });
  });

  it('rejects forgeries: altered choice, another member key, garbage', async () => {
    const sb = await signBallot(payload(), signerOf(voter));
    const altered = verify({ ...sb.payload, choice: ['no'] }, sb.cms);
    expect(reasonOf(altered)).toMatch(/forged or altered/);
    const byOther = await signBallot(payload(), signerOf(other));
    expect(reasonOf(verify(byOther.payload, byOther.cms))).toMatch(/registered certificate/);
    expect(verify(sb.payload, Buffer.from('not a cms at all, really').toString('base64')).ok).toBe(false);
    const submittedDiffers = verify(sb.payload, sb.cms, { choice: ['abstain'] });
    expect(reasonOf(submittedDiffers)).toMatch(/differs/);
  });

  it('rejects replays: into another poll, as another ballot id, or stale', async () => {
    const sb = await signBallot(payload(), signerOf(voter));
    expect(reasonOf(verifySignedBallot(sb.payload, Buffer.from(sb.cms, 'base64'), { meetingId, pollId: randomUUID() }, { trust }))).toMatch(/another meeting or poll/);
    expect(reasonOf(verify(sb.payload, sb.cms, { ballotId: randomUUID() }))).toMatch(/another ballot id/);
    const old = await signBallot(payload({ castAt: new Date(Date.now() - 3_600_000).toISOString() }), signerOf(voter));
    expect(reasonOf(verify(old.payload, old.cms))).toMatch(/too old/);
  });

  it('rejects a certificate from a foreign CA even when registered', async () => {
    const foreignDir = await makeCa('CA Giả Mạo');
    const intruder = await member(foreignDir, 'Đại biểu Võ Thị Sáu');
    const sb = await signBallot(payload(), signerOf(intruder));
    expect(reasonOf(verify(sb.payload, sb.cms, { voterCertSha256: [certSha256(intruder.certDer)] }))).toMatch(/no path to a trusted root/);
  });

  it.skipIf(!existsSync('/usr/bin/openssl'))('an exported ballot verifies offline with openssl cms -verify', async () => {
    const sb = await signBallot(payload(), signerOf(voter));
    const content = join(dir, 'ballot.json');
    const sig = join(dir, 'ballot.p7s');
    writeFileSync(content, ballotSigningBytes(sb.payload));
    writeFileSync(sig, Buffer.from(sb.cms, 'base64'));
    const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-content', content, '-CAfile', join(dir, 'ca', 'ca-cert.pem'), '-out', '/dev/null'];
    expect(execFileSync('openssl', args, { stdio: 'pipe' }).toString()).toBe('');
    writeFileSync(content, ballotSigningBytes({ ...sb.payload, choice: ['no'] }));
    expect(() => execFileSync('openssl', args, { stdio: 'pipe' })).toThrow();
  });

  it('writes the same bytes as the general RFC 8785 serializer (fast path used by the verifier)', () => {
    const tricky = ['Tán thành', 'a"b\\c', 'line\nbreak\t\u0001', '\u2028\u2029', '😀 emoji', '</script>'];
    const cases: BallotPayload[] = [
      payload(),
      payload({ nonce: undefined }),
      payload({ choice: 'yes' }),
      payload({ choice: [] }),
      ...tricky.map((t) => payload({ choice: [t, 'no'], ballotId: t, nonce: `${t}-nonce-123` })),
      payload({ castAt: '2026-01-02T03:04:05.678+07:00' }),
    ];
    for (const p of cases) {
      expect(new TextDecoder().decode(ballotSigningBytes(p))).toBe(ballotCanonicalJson(p));
    }
    // Neither can represent a lone surrogate: both refuse rather than sign something ambiguous.
    const lone = payload({ choice: ['\ud800'] });
    expect(() => ballotCanonicalJson(lone)).toThrow();
    expect(() => ballotSigningBytes(lone)).toThrow();
  });
});
