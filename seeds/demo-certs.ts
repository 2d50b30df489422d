import { generateKeyPair } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportPkcs12, initCa, issueMemberCert, publishCrl } from '../server/signatures/ca';
import { caExists } from '../server/signatures/ca-store';
import { certInfo } from '../server/signatures/cert-info';

/** Where the seed writes each member's PKCS#12 (password = the demo password). */
export const demoCertDir = (dataDir: string) => join(dataDir, 'demo-certs');

export interface DemoSigner {
  readonly username: string;
  readonly displayName: string;
  readonly title: string;
}

export interface DemoCertificate {
  readonly username: string;
  readonly serialHex: string;
  readonly certSha256: string;
  readonly certPem: string;
  readonly notAfter: Date;
}

function rsaKeyPem(bits: number): Promise<string> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      { modulusLength: bits, publicExponent: 0x10001, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } },
      (err, _pub, priv) => (err ? reject(err) : resolve(priv)),
    );
  });
}

/**
 * Demo keys are generated once per process in node's thread pool, all at once: forge's pure-JS key
 * generation would take seconds per key, and test workers that seed several databases reuse the keys
 * (each seed still gets its own CA certificate and member certificates).
 */
let keys: Promise<{ ca: string; members: string[] }> | undefined;
export function demoKeys(memberCount: number): Promise<{ ca: string; members: string[] }> {
  const cached = keys;
  if (cached) {
    return cached.then((k) => (k.members.length >= memberCount ? k : Promise.reject(new Error('demo key cache too small'))));
  }
  const fresh = Promise.all([rsaKeyPem(3072), Promise.all(Array.from({ length: memberCount }, () => rsaKeyPem(2048)))]).then(([ca, members]) => ({ ca, members }));
  keys = fresh;
  fresh.catch(() => {
    keys = undefined;
  });
  return fresh;
}

/**
 * Trust store: the demo council gets an organization CA under `<data>/ca` (the place the
 * CLI and the server's trust store read) — an existing CA there is kept — and each signer a signing
 * certificate, plus `<data>/demo-certs/<username>.p12` to import into the desktop vault, and a CRL
 * is published. The caller
 * registers the returned certificates in user_certificates.
 */
export async function issueDemoCertificates(
  dataDir: string,
  council: string,
  signers: readonly DemoSigner[],
  password: string,
): Promise<DemoCertificate[]> {
  const k = await demoKeys(signers.length);
  if (!caExists(dataDir)) {
    await initCa(dataDir, { name: `CA ${council} (demo)`, organization: council, keyPem: k.ca });
  }
  const outDir = demoCertDir(dataDir);
  await mkdir(outDir, { recursive: true });
  const out: DemoCertificate[] = [];
  // Sequential on purpose: issueMemberCert appends to the CA's registry.json.
  for (const [i, s] of signers.entries()) {
    const issued = await issueMemberCert(dataDir, {
      commonName: s.displayName,
      title: s.title,
      organization: council,
      username: s.username,
      keyPem: k.members[i],
    });
    const p12 = exportPkcs12(issued.keyPem, issued.certDer, issued.chainDer, password, s.displayName);
    await writeFile(join(outDir, `${s.username}.p12`), p12, { mode: 0o600 });
    const info = certInfo(issued.certDer);
    out.push({ username: s.username, serialHex: issued.serialHex, certSha256: info.sha256, certPem: issued.certPem, notAfter: info.notAfter });
  }
  // An (empty) CRL lets verifiers report revocation "good" instead of "unknown" from the start.
  await publishCrl(dataDir);
  return out;
}
