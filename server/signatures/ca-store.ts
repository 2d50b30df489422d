import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { z } from 'zod';
import { derToPem, pemToDer } from './cert-info';

/**
 * The organization CA lives in files under `<data>/ca/` rather than database tables: operators back
 * it up, move it to an offline machine or replace it with an imported sub-CA as plain PEM files, and
 * the CLI works on it without a running server. The private key file is written 0600.
 */
export const IssuedRecord = z.object({
  serialHex: z.string().regex(/^[0-9a-f]+$/),
  subjectCn: z.string(),
  username: z.string().nullable(),
  title: z.string().nullable(),
  notBefore: z.string(),
  notAfter: z.string(),
  certPem: z.string(),
  issuedAt: z.string(),
  revokedAt: z.string().nullable(),
  revocationReason: z.string().nullable(),
});
export type IssuedRecord = z.infer<typeof IssuedRecord>;

const Registry = z.object({ crlNumber: z.number().int().nonnegative(), issued: z.array(IssuedRecord) });
type Registry = z.infer<typeof Registry>;

export interface LoadedCa {
  readonly dir: string;
  readonly cert: forge.pki.Certificate;
  readonly certDer: Uint8Array;
  readonly key: forge.pki.rsa.PrivateKey;
  /** PKCS#8 PEM of the same key (node:crypto signs with it). */
  readonly keyPem: string;
  /** Certificates above the CA (for an imported sub-CA), nearest first. */
  readonly chainDer: readonly Uint8Array[];
}

export const caDir = (dataDir: string) => join(dataDir, 'ca');
const file = (dir: string, name: string) => join(dir, name);

export function caExists(dataDir: string): boolean {
  return existsSync(file(caDir(dataDir), 'ca-cert.pem'));
}

async function writeAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, data, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

export async function saveCa(dataDir: string, certPem: string, keyPem: string, chainPem: string): Promise<void> {
  const dir = caDir(dataDir);
  await mkdir(dir, { recursive: true });
  await writeAtomic(file(dir, 'ca-key.pem'), keyPem, 0o600);
  await writeAtomic(file(dir, 'ca-cert.pem'), certPem);
  await writeAtomic(file(dir, 'chain.pem'), chainPem);
  if (!existsSync(file(dir, 'registry.json'))) {
    await saveRegistry(dir, { crlNumber: 0, issued: [] });
  }
}

export async function loadCa(dataDir: string): Promise<LoadedCa> {
  const dir = caDir(dataDir);
  if (!caExists(dataDir)) {
    throw new Error(`No organization CA in ${dir}: run \`npm run cli -- ca init\` or \`ca import\` first`);
  }
  const certPem = await readFile(file(dir, 'ca-cert.pem'), 'utf8');
  const keyPem = await readFile(file(dir, 'ca-key.pem'), 'utf8');
  const chainPem = existsSync(file(dir, 'chain.pem')) ? await readFile(file(dir, 'chain.pem'), 'utf8') : '';
  const cert = forge.pki.certificateFromPem(certPem);
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const [certDer] = pemToDer(certPem);
  if (!certDer) {
    throw new Error('ca-cert.pem holds no certificate');
  }
  return { dir, cert, certDer, key, keyPem, chainDer: pemToDer(chainPem) };
}

export async function loadRegistry(dir: string): Promise<Registry> {
  const path = file(dir, 'registry.json');
  if (!existsSync(path)) {
    return { crlNumber: 0, issued: [] };
  }
  return Registry.parse(JSON.parse(await readFile(path, 'utf8')));
}

export async function saveRegistry(dir: string, reg: Registry): Promise<void> {
  await writeAtomic(file(dir, 'registry.json'), JSON.stringify(reg, null, 2));
}

/** A certificate the CA has just issued, as its registry keeps it. */
export interface NewlyIssued {
  readonly serialHex: string;
  readonly subjectCn: string;
  readonly username: string | null;
  readonly title: string | null;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly certPem: string;
}

/** Adds a certificate the CA has just issued (not revoked) to its registry, which `ca list` and the CRL read. */
export async function registerIssued(dir: string, c: Readonly<NewlyIssued>): Promise<void> {
  const reg = await loadRegistry(dir);
  reg.issued.push({
    serialHex: c.serialHex,
    subjectCn: c.subjectCn,
    username: c.username,
    title: c.title,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    certPem: c.certPem,
    issuedAt: new Date().toISOString(),
    revokedAt: null,
    revocationReason: null,
  });
  await saveRegistry(dir, reg);
}

export async function saveCrl(dir: string, der: Uint8Array): Promise<string> {
  const path = file(dir, 'crl.der');
  await writeAtomic(path, der);
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  await writeAtomic(file(dir, 'crl.pem'), `-----BEGIN X509 CRL-----\n${b64.trim()}\n-----END X509 CRL-----\n`);
  return path;
}

export async function loadCrlDer(dataDir: string): Promise<Uint8Array | undefined> {
  const path = file(caDir(dataDir), 'crl.der');
  return existsSync(path) ? new Uint8Array(await readFile(path)) : undefined;
}

export const certPemOf = derToPem;
