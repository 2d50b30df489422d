import type { DocumentProgress } from '../../../shared/ipc';
import { isSameOrigin } from '../security/url-guards';
import type { DocumentCache, DocumentSource } from '../services/document-cache';
import type { NotesStore } from '../services/notes';
import type { Notifier } from '../services/notifications';
import type { PackageSync } from '../services/package-sync';
import type { Vault } from '../services/vault';
import type { SettingsService } from '../settings/settings-service';
import { IpcError } from './ipc-error';
import type { IpcRegistrar } from './registrar';

export interface HandlerDeps {
  readonly settings: SettingsService;
  readonly cache: DocumentCache;
  readonly packages: PackageSync;
  readonly notes: NotesStore;
  readonly vault: Vault;
  readonly notifier: Notifier;
  readonly openExternal: (url: string) => Promise<boolean>;
  readonly sendDocumentProgress: (p: DocumentProgress) => void;
}

/**
 * The main process sends the user's token only to the configured session server: a compromised
 * renderer must not turn the main process into a fetcher of arbitrary URLs (SSRF, token leak).
 */
function onServer(ref: DocumentSource, serverUrl: string): DocumentSource {
  if (!isSameOrigin(ref.url, serverUrl)) {
    throw new IpcError('FORBIDDEN', 'documents are downloaded only from the configured server');
  }
  return ref;
}

/** Every IPC channel of shared/ipc.ts and the service call behind it (wiring only, no logic). */
export function registerHandlers(r: IpcRegistrar, d: HandlerDeps): void {
  r.handle('serverUrl', async () => d.settings.get().serverUrl);
  r.handle('openExternal', async ({ url }) => d.openExternal(url));

  r.handle('documentGet', async ({ ref, token }) => {
    await d.cache.ensure(onServer(ref, d.settings.get().serverUrl), token);
    return d.cache.read(ref.sha256);
  });
  r.handle('documentSync', async ({ ref, token, progressId }) => {
    await d.cache.ensure(onServer(ref, d.settings.get().serverUrl), token, {
      onProgress: progressId ? (received) => d.sendDocumentProgress({ progressId, received }) : undefined,
    });
    return { sha256: ref.sha256, size: ref.size };
  });
  r.handle('documentCached', async ({ sha256s }) => d.cache.cached(sha256s));
  r.handle('documentPurge', async ({ sha256s }) => {
    await d.cache.purgeContent(sha256s);
    return undefined;
  });

  r.handle('packageSync', async ({ meetingId, token }) => d.packages.sync(meetingId, token));
  r.handle('packageRead', async ({ documentId }) => d.cache.readDocument(documentId));

  r.handle('settingGet', async ({ key }) => d.settings.get().ui[key] ?? null);
  r.handle('settingSet', async ({ key, value }) => {
    const ui = { ...d.settings.get().ui };
    if (value === null) {
      delete ui[key];
    } else {
      ui[key] = value;
    }
    d.settings.update({ ui });
    return undefined;
  });

  r.handle('notesList', async ({ userId, documentId }) => d.notes.list(userId, documentId));
  r.handle('notesSave', async ({ userId, documentId, notes }) => {
    await d.notes.save(userId, documentId, notes);
    return undefined;
  });

  r.handle('notify', async ({ title, body }) => {
    d.notifier.plain(title, body);
    return undefined;
  });
  r.handle('notifyRoom', async (notice) => {
    d.notifier.room(notice);
    return undefined;
  });

  r.handle('vaultImport', async ({ p12, password }) => d.vault.import(p12, password));
  r.handle('vaultInfo', async () => d.vault.info());
  r.handle('vaultCertificate', async () => d.vault.certificate());
  r.handle('vaultRemove', async () => {
    await d.vault.remove();
    return undefined;
  });
  r.handle('vaultSignCanonical', async ({ canonicalJson }) => {
    const s = await d.vault.signCms(Buffer.from(canonicalJson, 'utf8'));
    return { signature: s.der.toString('base64'), certificate: s.certificatePem };
  });
  r.handle('vaultSignDigest', async ({ digest }) => d.vault.signDigest(digest));
}
