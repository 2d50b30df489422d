import { z } from 'zod';

/** REST contracts for documents and the meeting package (docs/api.md). */

export const Confidentiality = z.enum(['public', 'internal', 'confidential']);
export type Confidentiality = z.infer<typeof Confidentiality>;

/**
 * C0/C1 control characters (CR/LF split headers and log lines), line/paragraph separators and the
 * bidirectional controls (U+202E turns "gpj.pdf" into "fdp.jpg" on screen): never part of a name.
 */
// eslint-disable-next-line no-control-regex
export const UNSAFE_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/** A document's display name: NFC, trimmed, 1–300 characters, no control or bidi characters. */
export const DocumentName = z
  .string()
  .normalize('NFC')
  .trim()
  .min(1)
  .max(300)
  .refine((s) => !UNSAFE_NAME_CHARS.test(s), 'must not contain control characters (such as line breaks) or text-direction characters');

export const DocumentMeta = z.object({
  id: z.uuid(),
  meetingId: z.uuid(),
  agendaItemId: z.uuid().nullable(),
  name: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  pages: z.number().int().positive(),
  confidentiality: Confidentiality,
  createdAt: z.string(),
});
export type DocumentMeta = z.infer<typeof DocumentMeta>;

/**
 * GET /api/meetings/:id/package — everything a client needs to sync a meeting for offline reading.
 * Clients compare sha256 with what they hold and download only what changed; ids in `revoked` must
 * be purged from local caches.
 */
export const PackageManifest = z.object({
  meetingId: z.uuid(),
  generatedAt: z.string(),
  documents: z.array(
    DocumentMeta.extend({
      /** Relative URL of the content: GET with ETag / Range / If-None-Match. */
      url: z.string(),
    }),
  ),
  revoked: z.array(z.uuid()),
});
export type PackageManifest = z.infer<typeof PackageManifest>;

/** Multipart fields accompanying the `file` part of POST /api/meetings/:id/documents. */
export const UploadFields = z.object({
  agendaItemId: z.uuid().optional(),
  confidentiality: Confidentiality.default('internal'),
  name: DocumentName.optional(),
});

export const UpdateDocumentRequest = z.object({
  name: DocumentName.optional(),
  confidentiality: Confidentiality.optional(),
  agendaItemId: z.uuid().nullable().optional(),
});
