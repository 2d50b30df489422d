import { z } from 'zod';
import { DocumentMeta } from '../api/documents';

/**
 * Minutes of a closed meeting and their signatures. The server writes the PDF
 * with two signature boxes; the chair signs first (ChuToa), then the secretary applies the
 * organization's signature (ThuKy) — Decree 30/2020/NĐ-CP: the competent person signs, then the
 * clerk signs for the organization, which issues the document. Members see the minutes in the
 * meeting's documents; once both signatures are on it, the minutes are complete.
 */
export const MinutesField = z.enum(['ChuToa', 'ThuKy']);
export type MinutesField = z.infer<typeof MinutesField>;

/** Signing order and who signs each box (meeting role). */
export const MINUTES_SIGNERS: readonly { readonly field: MinutesField; readonly role: 'chair' | 'secretary' }[] = [
  { field: 'ChuToa', role: 'chair' },
  { field: 'ThuKy', role: 'secretary' },
];

export const Rect = z.object({ x: z.number(), y: z.number(), width: z.number().positive(), height: z.number().positive() });

export const SignatureSlot = z.object({
  fieldName: z.string().min(1).max(100),
  /** 0-based page index. */
  page: z.number().int().nonnegative(),
  rect: Rect,
});
export type SignatureSlot = z.infer<typeof SignatureSlot>;

export const GenerateMinutesRequest = z.strictObject({ lang: z.enum(['vi', 'en']).default('vi') });

export const MinutesSlotState = SignatureSlot.extend({
  role: z.enum(['chair', 'secretary']),
  /** Subject of the certificate that signed this box; null while unsigned. */
  signedBy: z.string().nullable(),
  signedAt: z.string().nullable(),
});
export type MinutesSlotState = z.infer<typeof MinutesSlotState>;

export const MinutesEntry = z.object({
  document: DocumentMeta,
  lang: z.enum(['vi', 'en']),
  /** 1, 2, …: generating again after the chair signed makes the next version (a new document). */
  version: z.number().int().positive(),
  /** Not signed by the chair yet: seen by the chair, the secretary and admins only, and replaceable. */
  draft: z.boolean(),
  generatedAt: z.string(),
  slots: z.array(MinutesSlotState),
  /** The box to sign next (signing order), null when complete. */
  next: MinutesField.nullable(),
  complete: z.boolean(),
});
export type MinutesEntry = z.infer<typeof MinutesEntry>;

export const MinutesList = z.object({ minutes: z.array(MinutesEntry) });
export const GenerateMinutesResponse = z.object({
  document: DocumentMeta,
  slots: z.array(SignatureSlot),
  version: z.number().int().positive(),
  /** The draft this one replaced (revoked), if any. */
  replaced: z.uuid().nullable(),
});

/**
 * Who may sign which box now. Pure so that the server (both signing routes) and the renderer (which
 * button to show) apply the same rule. Returns null when allowed, else the reason.
 */
export function minutesSignRefusal(
  field: string,
  role: string | null,
  signedFields: readonly string[],
): { code: 'UNKNOWN_FIELD' | 'ALREADY_SIGNED' | 'WRONG_SIGNER' | 'OUT_OF_ORDER'; message: string } | null {
  const index = MINUTES_SIGNERS.findIndex((s) => s.field === field);
  const slot = MINUTES_SIGNERS[index];
  if (!slot) {
    return { code: 'UNKNOWN_FIELD', message: `The minutes have no signature box "${field}"` };
  }
  if (signedFields.includes(field)) {
    return { code: 'ALREADY_SIGNED', message: `The box "${field}" is already signed` };
  }
  if (role !== slot.role) {
    return { code: 'WRONG_SIGNER', message: `Only the meeting's ${slot.role} signs the box "${field}"` };
  }
  const missing = MINUTES_SIGNERS.slice(0, index).find((s) => !signedFields.includes(s.field));
  if (missing) {
    return { code: 'OUT_OF_ORDER', message: `The ${missing.role} signs first (box "${missing.field}")` };
  }
  return null;
}

/** Remote signing (server prepares, the key holder signs the attributes, the server embeds). */
export const PrepareSigningRequest = z.strictObject({
  fieldName: z.string().trim().min(1).max(100),
  /** PEM: the signer certificate first, then any intermediate CA certificates. */
  certificate: z.string().min(100).max(64 * 1024),
  /** Required for documents without predefined signature boxes (minutes have them). */
  page: z.number().int().nonnegative().optional(),
  rect: Rect.optional(),
  lang: z.enum(['vi', 'en']).default('vi'),
  reason: z.string().trim().max(200).optional(),
});
export type PrepareSigningRequest = z.input<typeof PrepareSigningRequest>;

export const PrepareSigningResponse = z.object({
  sessionId: z.uuid(),
  fieldName: z.string(),
  /** DER of the CAdES signed attributes (base64): what the key signs, RSA PKCS#1 v1.5 with SHA-256. */
  signedAttributes: z.base64(),
  /** SHA-256 of signedAttributes (base64), for keys that sign a precomputed digest (vault, smart card). */
  digest: z.base64(),
  expiresAt: z.string(),
});
export type PrepareSigningResponse = z.infer<typeof PrepareSigningResponse>;

export const CompleteSigningRequest = z.strictObject({ signature: z.base64().max(4096) });
