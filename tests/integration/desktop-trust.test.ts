import { constants, createPublicKey, publicDecrypt } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageManifest } from '../../shared/api/documents';
import { MeetingList } from '../../shared/api/meetings';
import { demoCertDir } from '../../seeds/demo-certs';
import { startDesktopMain, type DesktopMain } from '../helpers/desktop-main';
import { Api } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';

/**
 * What the desktop main process no longer takes from the page, driven through the real IPC handlers
 * against a real server: the user (it signs in itself), the documents a user may read from the device,
 * and the decision to sign (a confirmation the page cannot answer). And the one package-sync path the
 * renderer uses, which takes revoked documents and expired meetings off the device.
 */
describe.each(storages())('desktop main process trusts the server, not the page (%s)', (storage) => {
  let srv: TestServer;
  let secretary: Api;
  let chair: Api;
  let meetingId: string;
  let manifest: PackageManifest;
  const dirs: string[] = [];

  async function freshMain(): Promise<DesktopMain> {
    const dir = mkdtempSync(join(tmpdir(), 'ecab-trust-'));
    dirs.push(dir);
    return startDesktopMain({ dir, serverUrl: srv.url });
  }
  async function signIn(main: DesktopMain, username: string): Promise<string> {
    const r = (await main.invoke('sessionSignIn', { serverUrl: srv.url, username, password: 'demo1234' })) as {
      ok: boolean;
      value: { user: { id: string } };
    };
    expect(r.ok, JSON.stringify(r)).toBe(true);
    return r.value.user.id;
  }
  function blobs(main: DesktopMain): string[] {
    return readdirSync(join(main.cache.blobPath('0'.repeat(64)), '..')).filter((f) => f.endsWith('.enc'));
  }

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    const anon = new Api(srv.url);
    const delegate = await anon.login('delegate01');
    secretary = await anon.login('secretary');
    chair = await anon.login('chair');
    meetingId = MeetingList.parse((await delegate.get('/api/meetings')).body).meetings[0]?.id ?? '';
    manifest = PackageManifest.parse((await delegate.get(`/api/meetings/${meetingId}/package`)).body);
    expect(manifest.documents.some((d) => d.confidentiality !== 'public')).toBe(true);
  });
  afterAll(async () => {
    await srv?.close();
    for (const d of dirs) {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('binds notes to the user the main process signed in, whatever userId the page sends', async () => {
    const main = await freshMain();
    const documentId = manifest.documents[0]?.id;
    const note = { text: 'Hỏi về dự toán', updatedAt: '2026-12-01T08:00:00.000Z', dirty: true };
    const delegateId = await signIn(main, 'delegate01');
    expect(await main.invoke('notesSave', { documentId, notes: { '2': note } })).toEqual({ ok: true, value: undefined });
    expect(await main.invoke('notesList', { documentId })).toEqual({ ok: true, value: { '2': note } });
    await signIn(main, 'delegate02');
    // The page names delegate01: the field is not part of the contract and the main process's user wins.
    expect(await main.invoke('notesList', { userId: delegateId, documentId })).toEqual({ ok: true, value: {} });
  });

  it('serves cached documents only to a user the server listed them for, online and offline', async () => {
    const main = await freshMain();
    await signIn(main, 'delegate01');
    const sync = (await main.invoke('packageSync', { meetingId })) as { ok: boolean; value: { downloaded: number } };
    expect(sync).toMatchObject({ ok: true, value: { downloaded: manifest.documents.length } });
    const hidden = manifest.documents.find((d) => d.confidentiality !== 'public');
    const open = manifest.documents.find((d) => d.confidentiality === 'public');
    if (!hidden || !open) {
      throw new Error('the demo meeting has public and non-public documents');
    }

    // An observer signs in on the same device: the server does not list internal papers for them.
    await signIn(main, 'observer01');
    expect(await main.invoke('documentGet', { meetingId, documentId: hidden.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await main.invoke('documentCached', { sha256s: [hidden.sha256, open.sha256] })).toEqual({ ok: true, value: [] });
    main.offline = true;
    expect(await main.invoke('documentGet', { meetingId, documentId: hidden.id })).toMatchObject({ ok: false, error: { code: 'NOT_CACHED' } });
    // Not listed for the observer yet either: offline, even a public paper needs the server to say so.
    expect(await main.invoke('documentGet', { meetingId, documentId: open.id })).toMatchObject({ ok: false, error: { code: 'NOT_CACHED' } });
    main.offline = false;
    expect(await main.invoke('documentGet', { meetingId, documentId: open.id })).toMatchObject({ ok: true });
    main.offline = true;
    expect(await main.invoke('documentGet', { meetingId, documentId: open.id })).toMatchObject({ ok: true });

    // The delegate, listed for everything, reads offline.
    main.offline = false;
    await signIn(main, 'delegate01');
    main.offline = true;
    const bytes = (await main.invoke('documentGet', { meetingId, documentId: hidden.id })) as { ok: true; value: Uint8Array };
    expect(bytes.ok).toBe(true);
    expect(bytes.value.byteLength).toBe(hidden.size);
    main.offline = false;
  });

  it('asks before every signature; a refusal signs nothing', async () => {
    const main = await freshMain();
    await signIn(main, 'chair');
    const p12 = readFileSync(join(demoCertDir(srv.dataDir), 'chair.p12'));
    expect(await main.invoke('vaultImport', { p12: new Uint8Array(p12), password: 'demo1234' })).toMatchObject({ ok: true });
    const doc = manifest.documents[0];
    if (!doc) {
      throw new Error('no document');
    }
    const digest = new Uint8Array(32).fill(7);

    main.answer = false;
    expect(await main.invoke('vaultSignDigest', { digest, documentId: doc.id })).toEqual({
      ok: false,
      error: { code: 'SIGNATURE_DECLINED', message: 'The signature was declined' },
    });
    // What the user was shown: the document's name as the server has it, the digest, signer and account.
    expect(main.confirmations.at(-1)).toMatchObject({
      kind: 'document',
      what: doc.name,
      digestHex: '07'.repeat(32),
    });
    expect(main.confirmations.at(-1)?.user).toContain('chair');
    expect(main.confirmations.at(-1)?.signer).toMatch(/CN=/);

    const ballot = JSON.stringify({ ballotId: 'b-1', castAt: '2026-12-01T08:00:00.000Z', choice: 'yes', meetingId, pollId: 'p-1' });
    expect(await main.invoke('vaultSignCanonical', { canonicalJson: ballot })).toMatchObject({ ok: false, error: { code: 'SIGNATURE_DECLINED' } });
    expect(main.confirmations.at(-1)?.kind).toBe('ballot');
    expect(main.confirmations.at(-1)?.what).toContain('yes');
    // Something that is not a ballot is not signed at all (and nobody is asked).
    const asked = main.confirmations.length;
    expect(await main.invoke('vaultSignCanonical', { canonicalJson: '{"transfer":1000000}' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(main.confirmations).toHaveLength(asked);

    main.answer = true;
    const signed = (await main.invoke('vaultSignDigest', { digest, documentId: doc.id })) as { ok: true; value: Uint8Array };
    expect(signed.ok).toBe(true);
    const cert = (await main.invoke('vaultCertificate')) as { ok: true; value: { certificate: string } };
    const prefix = Buffer.from('3031300d060960864801650304020105000420', 'hex');
    const recovered = publicDecrypt({ key: createPublicKey(cert.value.certificate), padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signed.value));
    expect(recovered.equals(Buffer.concat([prefix, digest]))).toBe(true);
  });

  it('revoke → next sync → bytes gone; closed meeting with retention 0 → gone', async () => {
    const main = await freshMain();
    await signIn(main, 'delegate01');
    const doc = manifest.documents.find((d) => d.confidentiality !== 'public') ?? manifest.documents[0];
    if (!doc) {
      throw new Error('no document');
    }
    // The reader opens a document (the path the UI uses), then the room's manifest change drives a sync.
    expect(await main.invoke('documentGet', { meetingId, documentId: doc.id })).toMatchObject({ ok: true });
    expect(await main.invoke('packageSync', { meetingId })).toMatchObject({ ok: true });
    expect(blobs(main)).toContain(`${doc.sha256}.enc`);

    expect((await secretary.delete(`/api/documents/${doc.id}`)).status).toBe(204);
    expect(await main.invoke('packageSync', { meetingId })).toMatchObject({ ok: true, value: { purged: 1 } });
    expect(blobs(main)).not.toContain(`${doc.sha256}.enc`);
    expect(await main.invoke('documentCached', { sha256s: [doc.sha256] })).toEqual({ ok: true, value: [] });
    main.offline = true;
    expect(await main.invoke('documentGet', { meetingId, documentId: doc.id })).toMatchObject({ ok: false, error: { code: 'NOT_CACHED' } });
    main.offline = false;
    expect(blobs(main).length).toBeGreaterThan(0);

    for (const status of ['in_progress', 'closed']) {
      const r = await chair.post(`/api/meetings/${meetingId}/status`, { status });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    main.retentionDays = 0;
    expect(await main.invoke('packageSync', { meetingId })).toMatchObject({ ok: true, value: { downloaded: 0 } });
    expect(blobs(main)).toEqual([]);
    expect(main.packages.offlineDocuments(meetingId)).toEqual([]);
    // Reading online still works, and leaves nothing behind (a confidential one would not: delegates lose
    // those when the meeting closes, docs/security.md).
    const other = manifest.documents.find((d) => d.id !== doc.id && d.sha256 !== doc.sha256 && d.confidentiality !== 'confidential');
    expect(await main.invoke('documentGet', { meetingId, documentId: other?.id })).toMatchObject({ ok: true });
    expect(blobs(main)).toEqual([]);
  });
});
