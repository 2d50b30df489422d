import { z } from 'zod';

/**
 * Verification report of one PDF signature: the server and the CLI produce
 * it, the renderer shows it as a badge with details. Every check says ok / failed / unknown and why.
 */
export const CheckStatus = z.enum(['ok', 'failed', 'unknown']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const CheckName = z.enum([
  'byteRange',
  'digest',
  'signature',
  'certificateBinding',
  'chain',
  'validity',
  'keyUsage',
  'revocation',
  'timestamp',
  'modifications',
]);
export type CheckName = z.infer<typeof CheckName>;

export const SignatureCheck = z.object({ name: CheckName, status: CheckStatus, detail: z.string() });
export type SignatureCheck = z.infer<typeof SignatureCheck>;

export const SignatureReport = z.object({
  index: z.number().int().nonnegative(),
  fieldName: z.string(),
  signerName: z.string().nullable(),
  signerSubject: z.string().nullable(),
  issuerSubject: z.string().nullable(),
  serialNumber: z.string().nullable(),
  subFilter: z.string().nullable(),
  signingTime: z.string().nullable(),
  coversWholeDocument: z.boolean(),
  /** Length of the revision this signature covers (end of its byte range); null when unreadable. */
  signedLength: z.number().int().nullable(),
  /** Changes found in later revisions that are not later signatures (empty when none). */
  modifications: z.array(z.string()),
  checks: z.array(SignatureCheck),
  /** Cryptographically intact and not modified afterwards. */
  intact: z.boolean(),
  /**
   * intact, and the signer's certificate chains to the trust store, was valid, and the issuer's CRL
   * says it is not revoked. Without a CRL of the issuer a signature is never `trusted`: see
   * `revocationUnknown`.
   */
  trusted: z.boolean(),
  /**
   * Everything but revocation passes and no CRL of the issuer is available: a valid signature whose
   * revocation status is unknown (a distinct result, never reported as VALID).
   */
  revocationUnknown: z.boolean().default(false),
  /**
   * DocMDP permission level (1–3) when this is the document's certification signature (2 = only form
   * filling and signing allowed afterwards); null for an approval signature.
   */
  certification: z.number().int().min(1).max(3).nullable().default(null),
  /** Time from a verified RFC 3161 signature time-stamp (PAdES B-T), ISO 8601; null without one. */
  timestampTime: z.string().nullable().default(null),
});
export type SignatureReport = z.infer<typeof SignatureReport>;

export const VerifyReport = z.object({
  signatures: z.array(SignatureReport),
  /** True when there is at least one signature and every signature is trusted. */
  valid: z.boolean(),
  /** No signature failed, and at least one is valid only up to an unknown revocation status. */
  revocationUnknown: z.boolean().default(false),
});
export type VerifyReport = z.infer<typeof VerifyReport>;
