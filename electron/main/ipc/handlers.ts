import { DocumentMeta } from '../../../shared/api/documents';
import type { DesktopSession } from '../services/desktop-session';
import type { DeviceAccess } from '../services/device-store';
import type { Notifier } from '../services/notifications';
import { describeBallot, requireConfirmation, type ConfirmSignature } from '../services/signature-confirm';
import type { Vault } from '../services/vault';
import type { SettingsService } from '../settings/settings-service';
import { IpcError } from './ipc-error';
import type { IpcRegistrar } from './registrar';

export interface HandlerDeps {
  readonly settings: SettingsService;
  readonly session: DesktopSession;
  /** Offline documents, their sync and notes: opened once the key store protecting them is ready. */
  readonly device: DeviceAccess;
  readonly vault: Vault;
  readonly notifier: Notifier;
  /** Asks the user before every signature (a native dialog in index.ts). */
  readonly confirmSignature: ConfirmSignature;
}

/**
 * Every IPC channel of shared/ipc.ts and the service call behind it (wiring only, no logic). Whatever
 * is per user (offline documents, notes, signatures) uses the user of `session`, whom the main process
 * signed in itself; the page names documents and meetings, never users, URLs or tokens.
 */
export function registerHandlers(r: IpcRegistrar, d: HandlerDeps): void {
  r.handle('serverUrl', async () => d.settings.get().serverUrl);

  r.handle('sessionSignIn', async ({ serverUrl, username, password }) => d.session.signIn(serverUrl, username, password));
  r.handle('sessionCurrent', async () => {
    const s = d.session.get();
    return s ? { serverUrl: s.serverUrl, token: s.token, user: s.user } : null;
  });
  r.handle('sessionSignOut', async () => {
    d.session.signOut();
    return undefined;
  });

  r.handle('keyStoreStatus', async () => d.device.status());
  r.handle('keyStoreUnlock', async ({ passphrase }) => d.device.unlock(passphrase));

  r.handle('documentGet', async ({ meetingId, documentId }) =>
    d.device.device().packages.open(meetingId, documentId, d.session.require()),
  );
  r.handle('documentCached', async ({ sha256s }) => d.device.device().cache.cached(sha256s, d.session.require().user.id));
  r.handle('packageSync', async ({ meetingId }) => d.device.device().packages.sync(meetingId, d.session.require()));

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

  r.handle('notesList', async ({ documentId }) => d.device.device().notes.list(d.session.require().user.id, documentId));
  r.handle('notesSave', async ({ documentId, notes }) => {
    await d.device.device().notes.save(d.session.require().user.id, documentId, notes);
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
  r.handle('vaultSource', async () => d.vault.source());
  r.handle('vaultTokenCertificates', async ({ module }) => d.vault.tokenCertificates(module));
  r.handle('vaultUseToken', async ({ module, tokenSerial, id }) => d.vault.useToken(module, tokenSerial, id));
  r.handle('vaultCertificate', async () => d.vault.certificate());

  /**
   * Who signs, for the confirmation: the certificate's subject and the signed-in account. A token
   * certificate without its PIN is refused before the user is asked to confirm anything.
   */
  async function signer(pin: string | undefined): Promise<{ signer: string; user: string }> {
    const s = d.session.require();
    if (pin === undefined && (await d.vault.source()) === 'pkcs11') {
      throw new IpcError('TOKEN_PIN_REQUIRED', 'Enter the PIN of your signing token');
    }
    const info = await d.vault.info();
    if (!info) {
      throw new IpcError('CERT_NOT_IMPORTED', 'No signing certificate has been imported on this device');
    }
    return { signer: info.subject, user: `${s.user.displayName} (${s.user.username})` };
  }
  r.handle('vaultSignCanonical', async ({ canonicalJson, pin }) => {
    const ballot = describeBallot(canonicalJson);
    await requireConfirmation(d.confirmSignature, { kind: 'ballot', ...ballot, ...(await signer(pin)) });
    const s = await d.vault.signCms(Buffer.from(canonicalJson, 'utf8'), pin);
    return { signature: s.der.toString('base64'), certificate: s.certificatePem };
  });
  r.handle('vaultSignDigest', async ({ digest, documentId, pin }) => {
    // The name shown comes from the server, not from the page that asks for the signature.
    const doc = await d.session.getJson(`/api/documents/${documentId}`, DocumentMeta);
    const digestHex = Buffer.from(digest).toString('hex');
    await requireConfirmation(d.confirmSignature, { kind: 'document', what: doc.name, digestHex, ...(await signer(pin)) });
    return d.vault.signDigest(digest, pin);
  });
}
