import { z } from 'zod';
import { LoginRequest, PublicUser } from './api/auth';

/**
 * IPC contract between the Electron preload and main process. Channel names and payload
 * schemas live here once; the main-process registrar parses every request with these schemas before a
 * handler sees it, and the preload exposes one small typed function per channel (no generic invoke).
 * Results are `{ ok: true, value } | { ok: false, error }` (shared/errors.ts `Result`).
 */

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes');
/** Bearer tokens as the server issues them (server/app.ts BEARER). */
const Token = z.string().regex(/^[A-Za-z0-9_-]{20,200}$/);
/**
 * A document the reader opens: only ids. The main process looks the document up in the meeting's
 * package manifest (fetched with its own session), so the page names neither the URL nor the hash.
 */
export const DocumentOpen = z.object({ meetingId: z.uuid(), documentId: z.uuid() });

/** The desktop session as the main process holds it (it signed in itself, shared/platform.ts). */
export const DesktopSessionInfo = z.object({ serverUrl: z.string(), token: Token, user: PublicUser });
export type DesktopSessionInfo = z.infer<typeof DesktopSessionInfo>;

export const RoomNotice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('vote-opened'), id: z.string().max(100), title: z.string().max(500) }),
  z.object({ kind: z.literal('floor-given'), id: z.string().max(100) }),
  z.object({ kind: z.literal('document-added'), id: z.string().max(100), name: z.string().max(500) }),
]);
export type RoomNotice = z.infer<typeof RoomNotice>;

export const SyncProgress = z.object({
  meetingId: z.uuid(),
  documentId: z.uuid().nullable(),
  phase: z.enum(['manifest', 'downloading', 'verified', 'skipped', 'failed', 'purged', 'done']),
  received: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Documents finished / documents in the manifest. */
  done: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
});
export type SyncProgress = z.infer<typeof SyncProgress>;

export const SyncSummary = z.object({
  downloaded: z.number().int(),
  skipped: z.number().int(),
  failed: z.array(z.object({ documentId: z.uuid(), code: z.string(), message: z.string() })),
  purged: z.number().int(),
});
export type SyncSummary = z.infer<typeof SyncSummary>;

export const CertificateInfo = z.object({
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  /** SHA-256 over the DER certificate, upper-case hex pairs joined by ':'. */
  fingerprint: z.string(),
});
export type CertificateInfo = z.infer<typeof CertificateInfo>;

/** Vault error codes (messages are human readable; codes are for the renderer's translations). */
export const VaultErrorCode = z.enum([
  'CERT_WRONG_PASSWORD',
  'CERT_INVALID_FILE',
  'CERT_NO_KEY',
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_NO_SIGNING_USAGE',
  'CERT_NOT_IMPORTED',
  'KEY_PROTECTION_UNAVAILABLE',
  'KEY_PROTECTION_WEAK',
  'KEY_STORE_LOCKED',
  // PKCS#11 (USB token) failures, server/signatures/pkcs11-token.ts.
  'TOKEN_MODULE',
  'TOKEN_NOT_PRESENT',
  'TOKEN_PIN_REQUIRED',
  'TOKEN_PIN_INCORRECT',
  'TOKEN_PIN_LOCKED',
  'TOKEN_NO_KEY',
  'TOKEN_ERROR',
]);
export type VaultErrorCode = z.infer<typeof VaultErrorCode>;

/**
 * The PKCS#11 module (the token driver the CA ships, e.g. /usr/lib/…/libxxx.so or C:\\…\\xxx.dll): an
 * absolute path to a shared library, nothing else. The main process loads it only to list
 * certificates and sign on the token.
 */
export const Pkcs11ModulePath = z
  .string()
  .trim()
  .max(1000)
  .refine((p) => /^(\/|[A-Za-z]:[\\/])/.test(p) && /\.(so(\.\d+)*|dll|dylib)$/i.test(p), {
    message: 'an absolute path to the token driver (.so, .dll or .dylib)',
  });

/** A token PIN: typed by the user for one signature, never stored. */
export const TokenPin = z.string().min(4).max(64);

/** A certificate found on a plugged-in token, for the user to pick (public data). */
export const TokenCertificateEntry = z.object({
  tokenLabel: z.string(),
  tokenSerial: z.string(),
  /** CKA_ID (hex) shared by the certificate and its key. */
  id: z.string(),
  label: z.string(),
  certificate: CertificateInfo,
});
export type TokenCertificateEntry = z.infer<typeof TokenCertificateEntry>;

/** Where the vault's signing key is: an imported PKCS#12, a PKCS#11 token (a PIN per signature), or none. */
export const VaultSource = z.enum(['pkcs12', 'pkcs11']).nullable();
export type VaultSource = z.infer<typeof VaultSource>;

/** A document's private page notes as the device keeps them (PlatformNotes). */
export const LocalNoteSchema = z.object({
  text: z.string().max(20_000),
  updatedAt: z.iso.datetime({ offset: true }),
  dirty: z.boolean(),
});
export const LocalNotesSchema = z
  .record(z.string().regex(/^[1-9]\d{0,5}$/), LocalNoteSchema)
  .refine((r) => Object.keys(r).length <= 5_000, 'too many notes');

/** Keys the renderer may keep in the desktop settings (PlatformSettings.get/set). */
export const UiSettingKey = z.string().regex(/^[a-zA-Z0-9._:-]{1,100}$/);

/**
 * How the device protects documents and keys: the OS key store, or a passphrase where the OS store
 * protects nothing (Linux without libsecret/KWallet). `new`/`locked`: the passphrase is still needed.
 */
export const KeyStoreStatus = z.object({
  protection: z.enum(['os', 'passphrase']),
  state: z.enum(['ready', 'new', 'locked']),
});
export type KeyStoreStatus = z.infer<typeof KeyStoreStatus>;

function channel<Req extends z.ZodType, Res extends z.ZodType>(name: string, request: Req, response: Res) {
  return { name: `ecab:${name}`, request, response } as const;
}

/** Renderer → main request channels (ipcRenderer.invoke / ipcMain.handle). */
export const ipc = {
  serverUrl: channel('app:server-url', z.undefined(), z.string().nullable()),
  /** The main process signs in itself: the user it keys notes and the cache by comes from the server. */
  sessionSignIn: channel(
    'session:sign-in',
    LoginRequest.extend({ serverUrl: z.string().max(2000) }),
    DesktopSessionInfo.extend({ expiresAt: z.string() }),
  ),
  keyStoreStatus: channel('keystore:status', z.undefined(), KeyStoreStatus),
  keyStoreUnlock: channel('keystore:unlock', z.object({ passphrase: z.string().min(1).max(1000) }), KeyStoreStatus),
  sessionCurrent: channel('session:current', z.undefined(), DesktopSessionInfo.nullable()),
  sessionSignOut: channel('session:sign-out', z.undefined(), z.undefined()),
  documentGet: channel('documents:get', DocumentOpen, Bytes),
  documentCached: channel(
    'documents:cached',
    z.object({ sha256s: z.array(Sha256).max(10_000) }),
    z.array(Sha256),
  ),
  packageSync: channel('packages:sync', z.object({ meetingId: z.uuid() }), SyncSummary),
  settingGet: channel('settings:get', z.object({ key: UiSettingKey }), z.string().nullable()),
  settingSet: channel(
    'settings:set',
    z.object({ key: UiSettingKey, value: z.string().max(100_000).nullable() }),
    z.undefined(),
  ),
  // Notes belong to the signed-in user of the main process (DesktopSession), never a user named here.
  notesList: channel('notes:list', z.object({ documentId: z.uuid() }), LocalNotesSchema),
  notesSave: channel('notes:save', z.object({ documentId: z.uuid(), notes: LocalNotesSchema }), z.undefined()),
  notify: channel(
    'notify:show',
    z.object({ title: z.string().min(1).max(200), body: z.string().max(1000) }),
    z.undefined(),
  ),
  notifyRoom: channel('notify:room', RoomNotice, z.undefined()),
  vaultImport: channel(
    'vault:import',
    z.object({ p12: Bytes.refine((b) => b.byteLength <= 1_000_000), password: z.string().max(1000) }),
    CertificateInfo,
  ),
  vaultInfo: channel('vault:info', z.undefined(), CertificateInfo.nullable()),
  vaultSource: channel('vault:source', z.undefined(), VaultSource),
  /** The certificates on the tokens the module sees (the user picks one to sign with). */
  vaultTokenCertificates: channel(
    'vault:token-certificates',
    z.object({ module: Pkcs11ModulePath }),
    z.array(TokenCertificateEntry).max(1000),
  ),
  /** Signs from now on with that token certificate (the vault keeps where the key is, never the PIN). */
  vaultUseToken: channel(
    'vault:use-token',
    z.object({ module: Pkcs11ModulePath, tokenSerial: z.string().max(64), id: z.string().regex(/^[0-9a-f]{0,128}$/) }),
    CertificateInfo,
  ),
  /** The vault's certificate and chain as PEM (public data: the server needs it to prepare a PDF signature). */
  vaultCertificate: channel(
    'vault:certificate',
    z.undefined(),
    z.object({ certificate: z.string(), chain: z.array(z.string()) }),
  ),
  /** Detached CMS over the UTF-8 bytes of RFC 8785 canonical JSON (signed ballots, docs/architecture.md). */
  vaultSignCanonical: channel(
    'vault:sign-canonical',
    z.object({ canonicalJson: z.string().min(2).max(100_000), pin: TokenPin.optional() }),
    z.object({ signature: z.string(), certificate: z.string() }),
  ),
  /** RSA PKCS#1 v1.5 over a SHA-256 digest computed elsewhere (PDF signatures). */
  vaultSignDigest: channel(
    'vault:sign-digest',
    z.object({
      digest: Bytes.refine((b) => b.byteLength === 32, 'SHA-256 digest is 32 bytes'),
      /** The document being signed: the main process reads its name from the server for the confirmation. */
      documentId: z.uuid(),
      /** The token PIN when the key is on a PKCS#11 token. */
      pin: TokenPin.optional(),
    }),
    Bytes,
  ),
} as const;

export type IpcChannels = typeof ipc;
export type IpcRequest<K extends keyof IpcChannels> = z.input<IpcChannels[K]['request']>;
export type IpcResponse<K extends keyof IpcChannels> = z.infer<IpcChannels[K]['response']>;

/** Main → renderer event channels (webContents.send / ipcRenderer.on). */
export const ipcEvents = {
  syncProgress: 'ecab:event:sync-progress',
} as const;
