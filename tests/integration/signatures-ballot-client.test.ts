import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../electron/main/services/vault';
import { exportPkcs12 } from '../../server/signatures/ca';
import { certSha256, verifySignedBallot } from '../../server/signatures/ballot-verify';
import { loadTrustStore } from '../../server/signatures/trust-store';
import { draftSignedBallot, signBallot } from '../../renderer/src/voting/signed-ballot';
import type { PlatformSigning } from '../../shared/platform';
import { ProcessSafeStorage } from '../helpers/safe-storage';
import { makeCa, member } from '../unit/signatures-fixtures';

/**
 * The vote panel's signing code (renderer/src/voting/signed-ballot.ts) with the desktop vault behind
 * platform.signing (what the preload maps to vault:sign-canonical), checked by the server's verifier.
 */
describe('a ballot signed by the client', () => {
  it('signs exactly the shown payload with signing-certificate-v2; the server verifier accepts it and refuses another choice', async () => {
    const data = await makeCa();
    const voter = await member(data, 'Đại Biểu Ký Phiếu');
    const dir = mkdtempSync(join(tmpdir(), 'ecab-ballot-client-'));
    const vault = new Vault({ file: join(dir, 'vault.json'), safeStorage: new ProcessSafeStorage() });
    await vault.import(exportPkcs12(voter.keyPem, voter.certDer, voter.chainDer, 'pw-1234'), 'pw-1234');
    const signing: PlatformSigning = {
      available: async () => (await vault.info()) !== null,
      sign: async (canonicalJson) => {
        const s = await vault.signCms(Buffer.from(canonicalJson, 'utf8'));
        return { ok: true, value: { signature: s.der.toString('base64'), certificate: s.certificatePem } };
      },
      certificate: async () => ({ ok: false, error: { code: 'NOT_USED', message: 'not used' } }),
      signDigest: async () => ({ ok: false, error: { code: 'NOT_USED', message: 'not used' } }),
    };
    const meetingId = randomUUID();
    const pollId = randomUUID();
    const draft = draftSignedBallot(meetingId, pollId, ['yes'], 0);
    expect(JSON.parse(draft.canonical)).toEqual(draft.payload);
    expect(draft.canonical.startsWith('{"ballotId":')).toBe(true);
    const cast = await signBallot(signing, draft);
    if (!cast.ok) {
      throw new Error(cast.error.message);
    }
    const trust = await loadTrustStore(data);
    const expectBallot = { meetingId, pollId, ballotId: cast.value.ballotId, choice: ['yes'], voterCertSha256: [certSha256(voter.certDer)] };
    const payload = { meetingId, pollId, choice: cast.value.choice, ballotId: cast.value.ballotId, castAt: cast.value.castAt, nonce: cast.value.nonce };
    const ok = verifySignedBallot(payload, Buffer.from(cast.value.signature ?? '', 'base64'), expectBallot, { trust });
    expect(ok).toMatchObject({ ok: true });
    const other = verifySignedBallot({ ...payload, choice: ['no'] }, Buffer.from(cast.value.signature ?? '', 'base64'), { ...expectBallot, choice: ['no'] }, { trust });
    expect(other).toMatchObject({ ok: false });
  });
});
