import { constants, createHash, createPrivateKey, privateEncrypt } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDetachedCms, digestCallbackSigner } from '../../server/signatures/cms-sign';
import { CmsError, verifyDetachedCms } from '../../server/signatures/cms-verify';
import { derNull, octets, oid, seq } from '../../server/signatures/der';
import { OID } from '../../server/signatures/oids';
import type { IssuedCert } from '../../server/signatures/ca';
import { makeCa, member, signerOf } from './signatures-fixtures';

describe('CAdES detached CMS', () => {
  let m: IssuedCert;
  let other: IssuedCert;
  beforeAll(async () => {
    const dir = await makeCa();
    m = await member(dir, 'Phạm Văn Ký');
    other = await member(dir, 'Người Khác');
  });

  it('a digest-only signer (vault / smart card style) produces the same verifiable CMS', async () => {
    const key = createPrivateKey(m.keyPem);
    const signer = digestCallbackSigner([m.certDer, ...m.chainDer], async (digest) =>
      privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, seq(seq(oid(OID.sha256), derNull()), octets(digest))),
    );
    const content = new TextEncoder().encode('Nghị quyết số 12/NQ-HĐND');
    const cms = await buildDetachedCms(createHash('sha256').update(content).digest(), signer);
    const r = verifyDetachedCms(cms, { bytes: content });
    expect(r).toMatchObject({ digestOk: true, signatureOk: true, certBinding: 'v2', digestAlgorithm: 'sha256' });
    expect(r.signer.subjectCn).toBe('Phạm Văn Ký');
    expect(verifyDetachedCms(cms, { bytes: new TextEncoder().encode('Nghị quyết số 13/NQ-HĐND') }).digestOk).toBe(false);
  });

  it('flags a CMS whose certificate was swapped (binding) and rejects malformed input with CmsError', async () => {
    const content = new TextEncoder().encode('x');
    const cms = await buildDetachedCms(createHash('sha256').update(content).digest(), signerOf(m));
    // Another member's certificate presented with this signature: the signer lookup or the key fails.
    const swapped = await buildDetachedCms(createHash('sha256').update(content).digest(), { certificates: [other.certDer], sign: (d) => signerOf(m).sign(d) });
    const r = verifyDetachedCms(swapped, { bytes: content });
    expect(r.signatureOk).toBe(false);
    expect(() => verifyDetachedCms(cms.subarray(0, 100), { bytes: content })).toThrow(CmsError);
    expect(() => verifyDetachedCms(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), { bytes: content })).toThrow(CmsError);
  });
});
