import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageManifest } from '../../shared/api/documents';
import { MeetingList } from '../../shared/api/meetings';
import { ipc, type DocumentProgress } from '../../shared/ipc';
import { registerHandlers } from '../../electron/main/ipc/handlers';
import {
  createIpcRegistrar,
  type InvokeEventLike,
  type IpcMainLike,
} from '../../electron/main/ipc/registrar';
import { createSafeOpenExternal } from '../../electron/main/security/open-external';
import { DocumentCache } from '../../electron/main/services/document-cache';
import { createNotifier, type NotificationText } from '../../electron/main/services/notifications';
import { PackageSync } from '../../electron/main/services/package-sync';
import { ProcessSafeStorage } from '../helpers/safe-storage';
import { Vault } from '../../electron/main/services/vault';
import { createSettingsService } from '../../electron/main/settings/settings-service';
import { Api } from '../helpers/http';
import { startServer, type TestServer } from '../helpers/server';


/**
 * The main process's IPC surface wired to the real services (as electron/main/index.ts does), driven
 * through the registrar like ipcRenderer.invoke would, against a real server.
 */
describe('desktop IPC handlers with the real services', () => {
  let srv: TestServer;
  let dir: string;
  let token: string;
  let manifest: PackageManifest;
  const handlers = new Map<string, (e: InvokeEventLike, ...a: unknown[]) => Promise<unknown>>();
  const shown: NotificationText[] = [];
  const opened: string[] = [];
  const progress: DocumentProgress[] = [];
  const app: InvokeEventLike = { senderFrame: { url: 'app://ecabinet/meetings', parent: null } };

  async function invoke(
    key: keyof typeof ipc,
    payload?: unknown,
    event: InvokeEventLike = app,
  ): Promise<unknown> {
    const h = handlers.get(ipc[key].name);
    if (!h) {
      throw new Error(`no handler for ${key}`);
    }
    return payload === undefined ? h(event) : h(event, payload);
  }

  beforeAll(async () => {
    srv = await startServer({ seed: 'demo' });
    const delegate = await new Api(srv.url).login('delegate01');
    token = delegate.token ?? '';
    const meeting = MeetingList.parse((await delegate.get('/api/meetings')).body).meetings[0];
    manifest = PackageManifest.parse((await delegate.get(`/api/meetings/${meeting?.id}/package`)).body);
    dir = mkdtempSync(join(tmpdir(), 'ecab-ipc-'));
    const safe = new ProcessSafeStorage();
    let stored: unknown = undefined;
    const settings = createSettingsService({ read: () => stored, write: (v) => void (stored = v) });
    settings.update({ serverUrl: srv.url, language: 'vi' });
    const cache = await DocumentCache.open({ dir: join(dir, 'offline'), safeStorage: safe });
    const ipcMain: IpcMainLike = {
      handle: (c, l) => void handlers.set(c, l),
      removeHandler: (c) => void handlers.delete(c),
    };
    registerHandlers(createIpcRegistrar(ipcMain), {
      settings,
      cache,
      packages: new PackageSync({
        cache,
        serverUrl: () => settings.get().serverUrl,
        retentionDays: () => 30,
      }),
      notes: cache.notesStore(join(dir, 'offline', 'notes')),
      vault: new Vault({ file: join(dir, 'vault.json'), safeStorage: safe }),
      notifier: createNotifier({ show: (t) => shown.push(t), language: () => settings.get().language }),
      openExternal: createSafeOpenExternal(async (u) => void opened.push(u)),
      sendDocumentProgress: (p) => progress.push(p),
    });
  });
  afterAll(async () => {
    await srv?.close();
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('registers a handler for every channel of the contract', () => {
    expect([...handlers.keys()].sort()).toEqual(
      Object.values(ipc)
        .map((c) => c.name)
        .sort(),
    );
  });

  it('serves document bytes from the configured server and refuses any other origin', async () => {
    const doc = manifest.documents[0];
    if (!doc) {
      throw new Error('no document');
    }
    const ref = { id: doc.id, sha256: doc.sha256, size: doc.size, url: new URL(doc.url, srv.url).toString() };
    const r = (await invoke('documentGet', { ref, token })) as { ok: true; value: Uint8Array };
    expect(r.ok).toBe(true);
    expect(Buffer.from(r.value.subarray(0, 4)).toString()).toBe('%PDF');
    expect(await invoke('documentCached', { sha256s: [doc.sha256, 'f'.repeat(64)] })).toEqual({
      ok: true,
      value: [doc.sha256],
    });

    const elsewhere = { ...ref, url: 'http://169.254.169.254/latest/meta-data' };
    expect(await invoke('documentGet', { ref: elsewhere, token })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await invoke(
        'documentGet',
        { ref, token },
        { senderFrame: { url: 'https://attacker.com/', parent: null } },
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('reports download progress for a sync and purges by sha256', async () => {
    const doc = manifest.documents[1] ?? manifest.documents[0];
    if (!doc) {
      throw new Error('no document');
    }
    await invoke('documentPurge', { sha256s: [doc.sha256] });
    const ref = { id: doc.id, sha256: doc.sha256, size: doc.size, url: new URL(doc.url, srv.url).toString() };
    const progressId = '0b7e6a3c-3f57-4d6e-9a53-3c1d2e4f5a6b';
    expect(await invoke('documentSync', { ref, token, progressId })).toEqual({
      ok: true,
      value: { sha256: doc.sha256, size: doc.size },
    });
    expect(progress.filter((p) => p.progressId === progressId).at(-1)?.received).toBe(doc.size);
    await invoke('documentPurge', { sha256s: [doc.sha256] });
    expect(await invoke('documentCached', { sha256s: [doc.sha256] })).toEqual({ ok: true, value: [] });
  });

  it('keeps renderer settings and private notes', async () => {
    expect(await invoke('settingGet', { key: 'reader.zoom' })).toEqual({ ok: true, value: null });
    await invoke('settingSet', { key: 'reader.zoom', value: '1.5' });
    expect(await invoke('settingGet', { key: 'reader.zoom' })).toEqual({ ok: true, value: '1.5' });
    const documentId = manifest.documents[0]?.id;
    // Notes are kept per (user, document): another user of the device sees none of them.
    const userId = '11111111-1111-4111-8111-111111111111';
    const note = { text: 'Hỏi về dự toán', updatedAt: '2026-12-01T08:00:00.000Z', dirty: true };
    await invoke('notesSave', { userId, documentId, notes: { '2': note } });
    expect(await invoke('notesList', { userId, documentId })).toEqual({ ok: true, value: { '2': note } });
    expect(await invoke('notesList', { userId: '22222222-2222-4222-8222-222222222222', documentId })).toEqual({ ok: true, value: {} });
  });

  it('shows localised room notifications once and opens only allow-listed links', async () => {
    await invoke('notifyRoom', { kind: 'vote-opened', id: 'p1', title: 'Nghị quyết dự toán' });
    await invoke('notifyRoom', { kind: 'vote-opened', id: 'p1', title: 'Nghị quyết dự toán' });
    expect(shown).toEqual([{ title: 'Đã mở biểu quyết', body: 'Nghị quyết dự toán' }]);
    expect(await invoke('openExternal', { url: 'file://attacker.com/x' })).toEqual({
      ok: true,
      value: false,
    });
    expect(await invoke('openExternal', { url: 'https://vbpl.vn/x' })).toEqual({ ok: true, value: true });
    expect(opened).toEqual(['https://vbpl.vn/x']);
  });

  it('answers signing requests without a certificate with a clear error', async () => {
    expect(await invoke('vaultInfo')).toEqual({ ok: true, value: null });
    expect(await invoke('vaultSignCanonical', { canonicalJson: '{"a":1}' })).toMatchObject({
      ok: false,
      error: { code: 'CERT_NOT_IMPORTED' },
    });
  });
});
