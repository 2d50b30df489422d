import { join } from 'node:path';
import { expect } from 'vitest';
import { Vault } from '../../electron/main/services/vault';
import type { RemoteSigningApi } from '../../renderer/src/minutes/sign-minutes';
import type { PlatformSigning } from '../../shared/platform';
import { ErrorResponse } from '../../shared/errors';
import { IssueCertificateResponse } from '../../shared/signatures/api';
import { PrepareSigningResponse } from '../../shared/signatures/minutes';
import type { Api } from './http';
import { ProcessSafeStorage } from './safe-storage';

/** A vault call as the preload hands it to the renderer: a result, never a throw. */
async function result<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (e: Error & { code?: string }) => ({ ok: false as const, error: { code: e.code ?? 'INTERNAL', message: e.message } }),
  );
}

/**
 * The desktop vault as `platform.signing`, mapped as electron/preload/index.ts maps it: certificate →
 * vault:certificate, signDigest → vault:sign-digest (with the token's PIN when the key is on one).
 * Only the document-signing calls: ballot signing (`sign`) is not used by these tests.
 */
export function vaultSigning(vault: Vault, pin?: string): PlatformSigning {
  return {
    available: async () => (await vault.info()) !== null,
    sign: async () => ({ ok: false, error: { code: 'NOT_USED', message: 'not used here' } }),
    certificate: () => result(vault.certificate()),
    signDigest: (digest) => result(vault.signDigest(digest, pin).then((b) => new Uint8Array(b))),
  };
}

/**
 * A member's desktop vault, exactly the code the Electron main process runs (safeStorage aside): the
 * server's CA issues the member a certificate (asked by `admin`) and the member imports the PKCS#12
 * into a vault kept in `dir`.
 */
export async function issuedVault(admin: Api, userId: string | undefined, dir: string, name: string): Promise<Vault> {
  const r = await admin.post('/api/signatures/certificates', { userId, password: 'p12-password' });
  const vault = new Vault({ file: join(dir, `${name}.json`), safeStorage: new ProcessSafeStorage() });
  await vault.import(Buffer.from(IssueCertificateResponse.parse(r.body).pkcs12Base64, 'base64'), 'p12-password');
  return vault;
}

/**
 * The remote-signing REST calls of renderer/src/signatures/api.ts, over real HTTP as `who`. A refused
 * preparation throws an error carrying the status, as the renderer's HTTP client does; completing
 * must answer 201.
 */
export function remoteSigningAs(who: Api): RemoteSigningApi {
  return {
    prepare: async (id, body) => {
      const r = await who.post(`/api/documents/${id}/signing`, body);
      if (r.status !== 201) {
        throw Object.assign(new Error(ErrorResponse.parse(r.body).error.message), { status: r.status });
      }
      return PrepareSigningResponse.parse(r.body);
    },
    complete: async (id, sessionId, signature) => {
      const r = await who.post(`/api/documents/${id}/signing/${sessionId}`, { signature });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    },
  };
}
