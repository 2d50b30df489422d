import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import forge from 'node-forge';
import { publicationUrls } from './ca';
import { caDir, loadCa, registerIssued } from './ca-store';
import { certInfo, pemToDer, type CertInfo } from './cert-info';
import { buildCertificate, reusableName, subjectKeyIdHex, utf8Name } from './issue';
import { generateRsaKey, nodeRsaSigner } from './keys';
import { OID } from './oids';

const DAY = 86_400_000;

export interface TsaIdentity {
  readonly keyPem: string;
  readonly cert: CertInfo;
  /** TSA certificate, then the CA above it (DER), for the token's certificates. */
  readonly chainDer: readonly Uint8Array[];
}

const files = (dataDir: string) => ({ cert: join(caDir(dataDir), 'tsa-cert.pem'), key: join(caDir(dataDir), 'tsa-key.pem') });
// One identity per data directory; concurrent first uses share one load (or creation) through
// lru-cache `fetch`, and a failed load is not kept.
const loaded = new LRUCache<string, TsaIdentity, { publicUrl: string | undefined }>({
  max: 16,
  fetchMethod: (dataDir, _stale, { context }) => loadOrCreate(dataDir, context.publicUrl),
});

/**
 * The organization's RFC 3161 time-stamp authority: closed hall networks reach no public TSA, so the
 * session server time-stamps with a key whose certificate the organization CA issues (extended key
 * usage timeStamping only, critical, as RFC 3161 2.3 requires). Created on first use next to the CA
 * (`<data>/ca/tsa-cert.pem`, `tsa-key.pem` 0600) and listed in the CA registry, so it can be revoked
 * like any certificate. A TSA certificate that expires within 30 days is replaced.
 */
export async function tsaIdentity(dataDir: string, publicUrl?: string): Promise<TsaIdentity> {
  const id = (await loaded.fetch(dataDir, { context: { publicUrl } })) ?? (await loadOrCreate(dataDir, publicUrl));
  if (id.cert.notAfter.getTime() - Date.now() < 30 * DAY) {
    loaded.delete(dataDir);
  }
  return id;
}

async function loadOrCreate(dataDir: string, publicUrl: string | undefined): Promise<TsaIdentity> {
  const ca = await loadCa(dataDir);
  const f = files(dataDir);
  if (existsSync(f.cert) && existsSync(f.key)) {
    const [der] = pemToDer(await readFile(f.cert, 'utf8'));
    if (der) {
      const cert = certInfo(der);
      const fresh = cert.notAfter.getTime() - Date.now() > 30 * DAY;
      if (fresh && cert.x509.checkIssued(certInfo(ca.certDer).x509)) {
        return { keyPem: await readFile(f.key, 'utf8'), cert, chainDer: [der, ca.certDer, ...ca.chainDer] };
      }
    }
  }
  const { publicKey, privateKeyPem } = generateRsaKey(2048);
  const org = (ca.cert.subject.getField('O') as { value?: string } | null)?.value;
  const now = Date.now();
  const { cert, der } = buildCertificate({
    subject: utf8Name({ cn: `TSA ${certInfo(ca.certDer).subjectCn}`, o: org ? forge.util.decodeUtf8(org) : undefined, c: 'VN' }),
    issuer: reusableName(ca.cert.subject.attributes),
    publicKey,
    signingKey: nodeRsaSigner(ca.keyPem),
    notBefore: new Date(now - 60_000),
    notAfter: new Date(Math.min(now + 5 * 365 * DAY, certInfo(ca.certDer).notAfter.getTime())),
    ca: false,
    authorityKeyIdHex: subjectKeyIdHex(ca.cert),
    keyUsage: { digitalSignature: true, nonRepudiation: true },
    extKeyUsage: [OID.ekuTimeStamping],
    extKeyUsageCritical: true,
    ...publicationUrls(publicUrl),
  });
  const certPem = forge.pki.certificateToPem(cert);
  const info = certInfo(der);
  await registerIssued(ca.dir, {
    serialHex: info.serialHex,
    subjectCn: info.subjectCn,
    username: null,
    title: 'time-stamp authority',
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    certPem,
  });
  await writeFile(f.key, privateKeyPem, { mode: 0o600 });
  await writeFile(f.cert, certPem);
  return { keyPem: privateKeyPem, cert: info, chainDer: [der, ca.certDer, ...ca.chainDer] };
}
