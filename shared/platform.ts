import type { ErrorBody, Result } from './errors';
import type { CertificateInfo, RoomNotice } from './ipc';

/**
 * What the renderer needs from its host. Two implementations: the web one in
 * renderer/src/platform/web.ts (fetch + IndexedDB + localStorage) and the Electron preload,
 * which exposes an object of this shape as `window.ecab`. Every method resolves; failures come back
 * as `{ ok: false, error }` (docs/architecture.md: never throw across a boundary).
 */

/** A document the renderer wants: the package manifest gives sha256 and the content URL. */
export interface DocumentRef {
  readonly id: string;
  readonly sha256: string;
  readonly size: number;
  /** Absolute URL of the content (GET with ETag / Range). */
  readonly url: string;
}

export interface CachedDocumentInfo {
  readonly sha256: string;
  readonly size: number;
}

export interface PlatformDocuments {
  /** The bytes of a document: from the local cache when sha256 matches, else downloaded and cached. */
  get(ref: DocumentRef, token: string): Promise<Result<Uint8Array>>;
  /** Downloads (if needed) without returning bytes; `onProgress` gets bytes received so far. */
  sync(ref: DocumentRef, token: string, onProgress?: (received: number) => void): Promise<Result<CachedDocumentInfo>>;
  /** Which of these sha256 values are already cached locally. */
  cached(sha256s: readonly string[]): Promise<string[]>;
  /** Drops cached content (revoked documents). */
  purge(sha256s: readonly string[]): Promise<void>;
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
 * sharing a device never see (or upload) each other's notes. `save` replaces a document's notes whole.
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
  sign(canonicalJson: string): Promise<Result<SignedPayload>>;
  /** The certificate that `signDigest` signs with (public data; the key itself never leaves the host). */
  certificate(): Promise<Result<SigningCertificate>>;
  /**
   * RSA PKCS#1 v1.5 signature of a SHA-256 digest (32 bytes). PDF signatures: the server prepares
   * the document and the CAdES signed attributes, the host signs their digest, the server embeds it.
   */
  signDigest(digest: Uint8Array): Promise<Result<Uint8Array>>;
  /** Desktop only: the imported certificate's details (null when none). */
  info?(): Promise<Result<CertificateInfo | null>>;
  /**
   * Desktop only: imports a PKCS#12 (.p12/.pfx) into the vault; the private key is kept wrapped by the
   * OS key store in the main process and never comes back. Errors carry VaultErrorCode codes.
   */
  importCertificate?(p12: Uint8Array, password: string): Promise<Result<CertificateInfo>>;
}

export interface PlatformAdapter {
  readonly kind: 'web' | 'electron';
  /** Base URL of the session server; null means "same origin" (web client served by the server). */
  serverUrl(): Promise<string | null>;
  readonly documents: PlatformDocuments;
  readonly settings: PlatformSettings;
  readonly notes: PlatformNotes;
  readonly notifications: PlatformNotifications;
  readonly signing: PlatformSigning;
}

export function platformError(code: string, message: string): { ok: false; error: ErrorBody } {
  return { ok: false, error: { code, message } };
}
