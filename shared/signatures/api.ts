import { z } from 'zod';
import { VerifyReport } from './report';

/** REST contracts of the signatures module (docs/signatures.md lists the routes). */
export const TrustRoot = z.object({ subject: z.string(), sha256: z.string(), notAfter: z.string(), pem: z.string() });
export const TrustResponse = z.object({
  roots: z.array(TrustRoot),
  organizationCa: z.string().nullable(),
  crl: z.object({ thisUpdate: z.string(), nextUpdate: z.string().nullable(), revoked: z.number().int() }).nullable(),
});
export type TrustResponse = z.infer<typeof TrustResponse>;

export const IssueCertificateRequest = z.strictObject({
  userId: z.uuid(),
  /** Protects the PKCS#12 on its way to the desktop vault. */
  password: z.string().min(8).max(200),
  days: z.number().int().min(1).max(3650).optional(),
});
export const IssueCertificateResponse = z.object({ serialHex: z.string(), certPem: z.string(), pkcs12Base64: z.string() });
export type IssueCertificateResponse = z.infer<typeof IssueCertificateResponse>;

export const RevokeRequest = z.strictObject({ reason: z.string().trim().min(1).max(100).optional() });
export const SerialParams = z.object({ serial: z.string().regex(/^[0-9a-fA-F]{1,64}$/) });

export const SignedRevision = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  sha256: z.string(),
  prevSha256: z.string(),
  size: z.number().int(),
  signerSubject: z.string(),
  fieldName: z.string(),
  uploadedBy: z.uuid().nullable(),
  createdAt: z.string(),
});
export type SignedRevision = z.infer<typeof SignedRevision>;
export const SignedRevisionResponse = z.object({ revision: SignedRevision, report: VerifyReport });
export const SignedRevisionList = z.object({ revisions: z.array(SignedRevision) });
