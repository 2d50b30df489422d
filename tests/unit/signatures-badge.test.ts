import { describe, expect, it } from 'vitest';
import { publishCrl, revokeCert } from '../../server/signatures/ca';
import { signPdf } from '../../server/signatures/pdf-sign';
import { verifyPdf } from '../../server/signatures/pdf-verify';
import { loadTrustStore } from '../../server/signatures/trust-store';
import { documentState, localizeModification, signatureState, subjectField } from '../../renderer/src/signatures/badge-state';
import { VerifyReport } from '../../shared/signatures/report';
import { makeCa, member, samplePdf, signerOf } from './signatures-fixtures';

const rect = { x: 300, y: 40, width: 230, height: 70 };
const t = (key: string, vars?: Record<string, unknown>) => `${key}${vars ? JSON.stringify(vars) : ''}`;

// The badge logic runs on reports from the real verifier (server/signatures/pdf-verify.ts).
describe('signature badge state', () => {
  it('valid, then "modified after signing" when a signed byte changes, and untrusted under another trust store', async () => {
    const dir = await makeCa();
    const chair = await member(dir, 'Nguyễn Văn Chủ Tọa', { organization: 'HĐND xã Tà Xùa' });
    const signed = await signPdf(await samplePdf(2), signerOf(chair), { fieldName: 'ChuToa', page: 1, rect, stamp: { name: 'Nguyễn Văn Chủ Tọa' } });
    const trust = await loadTrustStore(dir);

    const ok = VerifyReport.parse(await verifyPdf(signed, { trust }));
    expect(documentState(ok)).toBe('valid');
    expect(subjectField(ok.signatures[0]?.signerSubject ?? null, 'CN')).toBe('Nguyễn Văn Chủ Tọa');

    const tampered = Uint8Array.from(signed);
    // A digit of the page size inside the signed range: still a readable PDF, different bytes.
    const at = Buffer.from(tampered).indexOf('/MediaBox');
    tampered[at + 12] = tampered[at + 12] === 0x35 ? 0x36 : 0x35;
    const bad = VerifyReport.parse(await verifyPdf(tampered, { trust }));
    expect(documentState(bad)).toBe('modified');

    const foreign = VerifyReport.parse(await verifyPdf(signed, { trust: await loadTrustStore(await makeCa('CA khác')) }));
    expect(documentState(foreign)).toBe('untrusted');

    await revokeCert(dir, chair.serialHex, 'keyCompromise');
    await publishCrl(dir);
    const revoked = VerifyReport.parse(await verifyPdf(signed, { trust: await loadTrustStore(dir) }));
    expect(documentState(revoked)).toBe('revoked');
  });

  it('takes the most serious finding across signatures, and says "unsigned" for none', () => {
    const sig = (status: Partial<Record<string, 'ok' | 'failed' | 'unknown'>>, extra: object = {}) => ({
      index: 0, fieldName: 'F', signerName: 'A', signerSubject: 'C=VN, O=HĐND xã, CN=A', issuerSubject: 'CN=CA', serialNumber: '01',
      subFilter: 'ETSI.CAdES.detached', signingTime: null, coversWholeDocument: true, signedLength: 10, modifications: [],
      checks: Object.entries({ byteRange: 'ok', digest: 'ok', signature: 'ok', certificateBinding: 'ok', chain: 'ok', validity: 'ok', keyUsage: 'ok', revocation: 'ok', modifications: 'ok', ...status }).map(
        ([name, s]) => ({ name, status: s, detail: '' }),
      ),
      intact: true, trusted: Object.values(status).every((s) => s !== 'failed'), ...extra,
    });
    const r = (...s: object[]) => VerifyReport.parse({ signatures: s, valid: false });
    expect(documentState(r())).toBe('unsigned');
    expect(documentState(r(sig({ validity: 'failed' }), sig({ chain: 'failed' })))).toBe('expired');
    expect(documentState(r(sig({}), sig({ signature: 'failed' }, { intact: false })))).toBe('invalid');
    expect(documentState(r(sig({}), sig({ modifications: 'failed' }, { modifications: ['page 2: content, resources or page attributes changed'] })))).toBe('modified');
    expect(signatureState(r(sig({ revocation: 'unknown' }, { trusted: false, revocationUnknown: true })).signatures[0] as never)).toBe('revocationUnknown');
    expect(documentState(r(sig({}), sig({ revocation: 'unknown' }, { trusted: false, revocationUnknown: true })))).toBe('revocationUnknown');
    expect(documentState(r(sig({ revocation: 'unknown' }, { trusted: false, revocationUnknown: true }), sig({ chain: 'failed' }, { trusted: false })))).toBe('untrusted');
    expect(subjectField('C=VN, O=HĐND xã Tà Xùa, title=Chủ tịch, CN=Lò Văn A', 'O')).toBe('HĐND xã Tà Xùa');
  });

  it('says the verifier\'s known modification findings in the UI language and passes others through', () => {
    expect(localizeModification('page 2: content, resources or page attributes changed', t)).toBe('signatures.mod.pageContent{"page":"2"}');
    expect(localizeModification('page 1: FreeText annotation added', t)).toBe('signatures.mod.annotAdded{"page":"1","kind":"FreeText"}');
    expect(localizeModification('page count changed from 3 to 4', t)).toBe('signatures.mod.pageCount{"from":"3","to":"4"}');
    expect(localizeModification('form field "Ghi chú" added', t)).toBe('signatures.mod.field_added{"name":"Ghi chú"}');
    expect(localizeModification('something new', t)).toBe('something new');
  });
});
