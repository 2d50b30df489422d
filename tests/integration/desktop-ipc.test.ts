import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageManifest } from '../../shared/api/documents';
import { MeetingList } from '../../shared/api/meetings';
import { ipc } from '../../shared/ipc';
import { startDesktopMain, type DesktopMain } from '../helpers/desktop-main';
import { Api } from '../helpers/http';
import { startServer, type TestServer } from '../helpers/server';

/**
 * The main process's IPC surface wired to the real services (as electron/main/index.ts does), driven
 * through the registrar like ipcRenderer.invoke would, against a real server.
 */
describe('desktop IPC handlers with the real services', () => {
  let srv: TestServer;
  let dir: string;
  let main: DesktopMain;
  let meetingId: string;
  let manifest: PackageManifest;

  beforeAll(async () => {
    srv = await startServer({ seed: 'demo' });
    const delegate = await new Api(srv.url).login('delegate01');
    meetingId = MeetingList.parse((await delegate.get('/api/meetings')).body).meetings[0]?.id ?? '';
    manifest = PackageManifest.parse((await delegate.get(`/api/meetings/${meetingId}/package`)).body);
    dir = mkdtempSync(join(tmpdir(), 'ecab-ipc-'));
    main = await startDesktopMain({ dir, serverUrl: srv.url });
  });
  afterAll(async () => {
    await srv?.close();
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('registers a handler for every channel of the contract', () => {
    expect([...main.channels].sort()).toEqual(
      Object.values(ipc)
        .map((c) => c.name)
        .sort(),
    );
  });

  it('answers per-user requests only after the main process signed in itself', async () => {
    const documentId = manifest.documents[0]?.id;
    expect(await main.invoke('documentGet', { meetingId, documentId })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(await main.invoke('notesList', { documentId })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(await main.invoke('sessionSignIn', { serverUrl: srv.url, username: 'delegate01', password: 'wrong-password' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS' },
    });
    const r = (await main.invoke('sessionSignIn', { serverUrl: srv.url, username: 'delegate01', password: 'demo1234' })) as {
      ok: true;
      value: { token: string; user: { username: string } };
    };
    expect(r).toMatchObject({ ok: true, value: { serverUrl: srv.url, user: { username: 'delegate01' } } });
    expect(await main.invoke('sessionCurrent')).toMatchObject({ ok: true, value: { token: r.value.token } });
  });

  it('serves document bytes by meeting and document id from the manifest it fetched itself', async () => {
    const doc = manifest.documents[0];
    if (!doc) {
      throw new Error('no document');
    }
    const r = (await main.invoke('documentGet', { meetingId, documentId: doc.id })) as { ok: true; value: Uint8Array };
    expect(r.ok).toBe(true);
    expect(Buffer.from(r.value.subarray(0, 4)).toString()).toBe('%PDF');
    expect(await main.invoke('documentCached', { sha256s: [doc.sha256, 'f'.repeat(64)] })).toEqual({ ok: true, value: [doc.sha256] });
    // Recorded with its meeting (so retention and revocation find it), unlike a bare download.
    expect(main.cache.index.data.documents[doc.id]?.meetingId).toBe(meetingId);
    expect(
      await main.invoke('documentGet', { meetingId, documentId: doc.id }, { senderFrame: { url: 'https://attacker.com/', parent: null } }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('keeps renderer settings', async () => {
    expect(await main.invoke('settingGet', { key: 'reader.zoom' })).toEqual({ ok: true, value: null });
    await main.invoke('settingSet', { key: 'reader.zoom', value: '1.5' });
    expect(await main.invoke('settingGet', { key: 'reader.zoom' })).toEqual({ ok: true, value: '1.5' });
  });

  it('shows localised room notifications once', async () => {
    await main.invoke('notifyRoom', { kind: 'vote-opened', id: 'p1', title: 'Nghị quyết dự toán' });
    await main.invoke('notifyRoom', { kind: 'vote-opened', id: 'p1', title: 'Nghị quyết dự toán' });
    expect(main.shown).toEqual([{ title: 'Đã mở biểu quyết', body: 'Nghị quyết dự toán' }]);
  });

  it('answers signing requests without a certificate with a clear error', async () => {
    expect(await main.invoke('vaultInfo')).toEqual({ ok: true, value: null });
    const canonicalJson = JSON.stringify({
      ballotId: 'b1',
      castAt: '2026-12-01T08:00:00.000Z',
      choice: 'yes',
      meetingId,
      pollId: 'p1',
    });
    main.answer = true;
    expect(await main.invoke('vaultSignCanonical', { canonicalJson })).toMatchObject({
      ok: false,
      error: { code: 'CERT_NOT_IMPORTED' },
    });
  });
});
