import { z } from 'zod';

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
const HttpUrl = z
  .string()
  .max(2000)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

export const DocumentRefSchema = z.object({
  id: z.uuid(),
  sha256: Sha256,
  size: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 40),
  url: HttpUrl,
});

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
]);
export type VaultErrorCode = z.infer<typeof VaultErrorCode>;

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

function channel<Req extends z.ZodType, Res extends z.ZodType>(name: string, request: Req, response: Res) {
  return { name: `ecab:${name}`, request, response } as const;
}

/** Renderer → main request channels (ipcRenderer.invoke / ipcMain.handle). */
export const ipc = {
  serverUrl: channel('app:server-url', z.undefined(), z.string().nullable()),
  openExternal: channel('shell:open-external', z.object({ url: z.string().max(2000) }), z.boolean()),
  documentGet: channel('documents:get', z.object({ ref: DocumentRefSchema, token: Token }), Bytes),
  documentSync: channel(
    'documents:sync',
    z.object({ ref: DocumentRefSchema, token: Token, progressId: z.uuid().optional() }),
    z.object({ sha256: Sha256, size: z.number().int() }),
  ),
  documentCached: channel(
    'documents:cached',
    z.object({ sha256s: z.array(Sha256).max(10_000) }),
    z.array(Sha256),
  ),
  documentPurge: channel(
    'documents:purge',
    z.object({ sha256s: z.array(Sha256).max(10_000) }),
    z.undefined(),
  ),
  packageSync: channel('packages:sync', z.object({ meetingId: z.uuid(), token: Token }), SyncSummary),
  packageRead: channel('packages:read', z.object({ documentId: z.uuid() }), Bytes),
  settingGet: channel('settings:get', z.object({ key: UiSettingKey }), z.string().nullable()),
  settingSet: channel(
    'settings:set',
    z.object({ key: UiSettingKey, value: z.string().max(100_000).nullable() }),
    z.undefined(),
  ),
  notesList: channel('notes:list', z.object({ userId: z.uuid(), documentId: z.uuid() }), LocalNotesSchema),
  notesSave: channel('notes:save', z.object({ userId: z.uuid(), documentId: z.uuid(), notes: LocalNotesSchema }), z.undefined()),
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
  vaultRemove: channel('vault:remove', z.undefined(), z.undefined()),
  /** The vault's certificate and chain as PEM (public data: the server needs it to prepare a PDF signature). */
  vaultCertificate: channel(
    'vault:certificate',
    z.undefined(),
    z.object({ certificate: z.string(), chain: z.array(z.string()) }),
  ),
  /** Detached CMS over the UTF-8 bytes of RFC 8785 canonical JSON (signed ballots, docs/architecture.md). */
  vaultSignCanonical: channel(
    'vault:sign-canonical',
    z.object({ canonicalJson: z.string().min(2).max(100_000) }),
    z.object({ signature: z.string(), certificate: z.string() }),
  ),
  /** RSA PKCS#1 v1.5 over a SHA-256 digest computed elsewhere (PDF signatures). */
  vaultSignDigest: channel(
    'vault:sign-digest',
    z.object({ digest: Bytes.refine((b) => b.byteLength === 32, 'SHA-256 digest is 32 bytes') }),
    Bytes,
  ),
} as const;

export type IpcChannels = typeof ipc;
export type IpcRequest<K extends keyof IpcChannels> = z.input<IpcChannels[K]['request']>;
export type IpcResponse<K extends keyof IpcChannels> = z.infer<IpcChannels[K]['response']>;

/** Main → renderer event channels (webContents.send / ipcRenderer.on). */
export const ipcEvents = {
  syncProgress: 'ecab:event:sync-progress',
  documentProgress: 'ecab:event:document-progress',
} as const;

export const DocumentProgress = z.object({ progressId: z.uuid(), received: z.number().int().nonnegative() });
export type DocumentProgress = z.infer<typeof DocumentProgress>;
