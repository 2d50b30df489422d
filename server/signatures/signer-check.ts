import type { CertInfo } from './cert-info';

/**
 * Why a certificate must not be used to make a new signature now, or null when it may: outside its
 * validity period, or without a signing key usage (digitalSignature / nonRepudiation). The verifier
 * would report such a signature as untrusted anyway; refusing up front keeps an official from
 * producing a document that every relying party rejects (the desktop vault applies the same rule,
 * electron/main/services/vault-cert.ts).
 */
export function signingCertificateProblem(cert: CertInfo, now: Date = new Date()): string | null {
  if (now < cert.notBefore) {
    return `The certificate "${cert.subjectCn}" is not valid before ${cert.notBefore.toISOString()}`;
  }
  if (now > cert.notAfter) {
    return `The certificate "${cert.subjectCn}" expired on ${cert.notAfter.toISOString()}`;
  }
  if (!cert.keyUsage || !(cert.keyUsage.has('digitalSignature') || cert.keyUsage.has('nonRepudiation'))) {
    return `The certificate "${cert.subjectCn}" is not meant for signing (no digitalSignature / nonRepudiation key usage)`;
  }
  return null;
}
