import type { LoginResponse } from './api/auth';
import type { ErrorBody, Result } from './errors';
import type { CertificateInfo, KeyStoreStatus, RoomNotice, SyncProgress, SyncSummary, TokenCertificateEntry, VaultSource } from './ipc';

/**
 * What the renderer needs from its host — and, on the desktop, exactly what the preload exposes as
 * `window.ecab` (electron/preload/index.ts builds its object `satisfies PlatformAdapter`, and the
 * renderer knows `window.ecab` only by this type). Two implementations: the web one in
 * renderer/src/platform/web.ts (fetch + IndexedDB + localStorage) and the Electron preload. Every method
 * resolves; failures come back as `{ ok: false, error }` (docs/architecture.md: never throw across a
 * boundary).
 */

/** A document the reader opens, from the meeting's package manifest. */
export interface DocumentRef {
  readonly meetingId: string;
  readonly id: string;
  /** Used by the web host (cache key, URL); the desktop host looks both up in the manifest itself. */
  readonly sha256: string;
  readonly size: number;
  /** Absolute URL of the content (GET with ETag / Range). */
  readonly url: string;
}

export interface PlatformDocuments {
  /**
   * The bytes of a document for the signed-in user: from the device when the manifest still lists it
   * for them, else downloaded (and kept, tracked by meeting and user, like a synced document).
   */
  get(ref: DocumentRef): Promise<Result<Uint8Array>>;
  /** Which of these sha256 values the signed-in user has on this device. */
  cached(sha256s: readonly string[]): Promise<string[]>;
}

/**
 * Offline meeting packages: the one path by which documents reach and leave the device. `sync` reads
 * the manifest, purges revoked documents and those no longer listed for the user, applies the retention
 * period of closed meetings, and downloads what is missing.
 */
export interface PlatformPackages {
  sync(meetingId: string, onProgress?: (p: SyncProgress) => void): Promise<Result<SyncSummary>>;
}

export interface PlatformSettings {
  get(key: string): Promise<string | null>;
  set(key: string, value: string | null): Promise<void>;
}

/** A private page note as kept on the device ("kept and synced"). */
export interface LocalNote {
  /** The note; '' while its deletion waits to be synced. */
  readonly text: string;
  /** When the user last changed it (ISO 8601): the clock of last-writer-wins with the server. */
  readonly updatedAt: string;
  /** Changed on this device and not yet acknowledged by the server. */
  readonly dirty: boolean;
}

/**
 * Private notes per (user, document, page), kept on the device so they are readable and writable
 * offline; renderer/src/reader/notes-sync.ts syncs them with the server. Keyed by user so that people
 * sharing a device never see (or upload) each other's notes: the web host uses `userId`, the desktop
 * host ignores it and uses the user its main process signed in (a page cannot name another user).
 * `save` replaces a document's notes whole.
 */
export interface PlatformNotes {
  list(userId: string, documentId: string): Promise<Record<number, LocalNote>>;
  save(userId: string, documentId: string, notes: Readonly<Record<number, LocalNote>>): Promise<void>;
}

export interface PlatformNotifications {
  notify(title: string, body: string): Promise<void>;
  /**
   * Room events (vote opened, floor given, new document), where the host localises and de-duplicates
   * them itself (the desktop main process). Absent on the web: the renderer then calls `notify`.
   */
  room?(notice: RoomNotice): Promise<void>;
}

export interface SignedPayload {
  /** Base64 detached CMS signature. */
  readonly signature: string;
  /** PEM of the signer certificate. */
  readonly certificate: string;
}

export interface SigningCertificate {
  /** PEM of the signer certificate. */
  readonly certificate: string;
  /** PEM of intermediate CA certificates, nearest issuer first. */
  readonly chain: readonly string[];
}

export interface PlatformSigning {
  /** Whether a signing key is available on this device (web: never). */
  available(): Promise<boolean>;
  /** Signs a ballot's canonical JSON; the desktop asks the user first (SIGNATURE_DECLINED when refused). */
  sign(canonicalJson: string, pin?: string): Promise<Result<SignedPayload>>;
  /** The certificate that `signDigest` signs with (public data; the key itself never leaves the host). */
  certificate(): Promise<Result<SigningCertificate>>;
  /**
   * RSA PKCS#1 v1.5 signature of a SHA-256 digest (32 bytes) for document `documentId`. PDF signatures:
   * the server prepares the document and the CAdES signed attributes, the host signs their digest, the
   * server embeds it. The desktop shows the document's name and the digest and asks the user first.
   */
  signDigest(digest: Uint8Array, documentId: string, pin?: string): Promise<Result<Uint8Array>>;
  /** Desktop only: where the key is; 'pkcs11' means every signature needs the token PIN (`pin` above). */
  source?(): Promise<VaultSource>;
  /** Desktop only: the certificates on the tokens a PKCS#11 module (the token driver) sees. */
  tokenCertificates?(module: string): Promise<Result<TokenCertificateEntry[]>>;
  /** Desktop only: sign from now on with that token certificate (the key never leaves the token). */
  useToken?(module: string, tokenSerial: string, id: string): Promise<Result<CertificateInfo>>;
  /** Desktop only: the imported certificate's details (null when none). */
  info?(): Promise<Result<CertificateInfo | null>>;
  /**
   * Desktop only: imports a PKCS#12 (.p12/.pfx) into the vault; the private key is kept wrapped by the
   * OS key store in the main process and never comes back. Errors carry VaultErrorCode codes.
   */
  importCertificate?(p12: Uint8Array, password: string): Promise<Result<CertificateInfo>>;
}

/** A session as the desktop host holds it. */
export interface HostSession {
  readonly serverUrl: string;
  readonly token: string;
  readonly user: LoginResponse['user'];
}

/**
 * Desktop only: the main process signs in itself, so the user that keys the device's documents and notes
 * comes from the server, not from the page. The renderer then uses the returned token like the web does.
 */
export interface PlatformSession {
  signIn(serverUrl: string, username: string, password: string): Promise<Result<HostSession>>;
  /** The host's session (after a reload of the page), null when signed out. */
  current(): Promise<HostSession | null>;
  signOut(): Promise<void>;
}

/**
 * Desktop only: where the OS key store protects nothing, documents and keys are kept under a passphrase
 * the user sets once and gives at each start (the renderer asks while `state` is not 'ready').
 */
export interface PlatformKeyStore {
  status(): Promise<KeyStoreStatus>;
  unlock(passphrase: string): Promise<Result<KeyStoreStatus>>;
}

export interface PlatformAdapter {
  readonly kind: 'web' | 'electron';
  /** Base URL of the session server; null means "same origin" (web client served by the server). */
  serverUrl(): Promise<string | null>;
  /** Desktop only (see PlatformSession); the web signs in over REST itself. */
  readonly session?: PlatformSession;
  readonly keyStore?: PlatformKeyStore;
  readonly documents: PlatformDocuments;
  readonly packages: PlatformPackages;
  readonly settings: PlatformSettings;
  readonly notes: PlatformNotes;
  readonly notifications: PlatformNotifications;
  readonly signing: PlatformSigning;
}

export function platformError(code: string, message: string): { ok: false; error: ErrorBody } {
  return { ok: false, error: { code, message } };
}
