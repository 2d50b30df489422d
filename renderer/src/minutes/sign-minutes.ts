import type { Result } from '../../../shared/errors';
import type { PlatformSigning } from '../../../shared/platform';
import type { PrepareSigningRequest, PrepareSigningResponse } from '../../../shared/signatures/minutes';

/** The two REST calls of remote signing (renderer/src/signatures/api.ts in the app). */
export interface RemoteSigningApi {
  prepare(documentId: string, body: PrepareSigningRequest): Promise<PrepareSigningResponse>;
  complete(documentId: string, sessionId: string, signature: string): Promise<unknown>;
}

function toBase64(b: Uint8Array): string {
  let s = '';
  for (const x of b) {
    s += String.fromCharCode(x);
  }
  return btoa(s);
}

function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

/**
 * Signs one box of a server-held document with the host's key: the server prepares the
 * revision and returns the CAdES signed attributes; we hash them here and ask the host (desktop vault)
 * to sign only that digest — the key never crosses IPC; only the signature comes back and goes to the
 * server, which embeds it and records the signed revision.
 */
export async function signDocumentBox(
  signing: PlatformSigning,
  api: RemoteSigningApi,
  documentId: string,
  fieldName: string,
  lang: 'vi' | 'en',
  /** The USB token's PIN when the key is on a PKCS#11 token. */
  pin?: string,
): Promise<Result<void>> {
  const cert = await signing.certificate();
  if (!cert.ok) {
    return cert;
  }
  const prepared = await api.prepare(documentId, { fieldName, certificate: [cert.value.certificate, ...cert.value.chain].join('\n'), lang });
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', fromBase64(prepared.signedAttributes)));
  if (toBase64(digest) !== prepared.digest) {
    return { ok: false, error: { code: 'INVALID_SIGNATURE', message: 'The prepared signature data is inconsistent' } };
  }
  const signature = await signing.signDigest(digest, documentId, pin);
  if (!signature.ok) {
    return signature;
  }
  await api.complete(documentId, prepared.sessionId, toBase64(signature.value));
  return { ok: true, value: undefined };
}
