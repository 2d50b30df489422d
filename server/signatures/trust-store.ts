import { readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { certInfo, pemToDer, type CertInfo } from './cert-info';
import { caDir, caExists, loadCrlDer } from './ca-store';
import { parseCrl, type ParsedCrl } from './crl';

/**
 * Trust anchors: the organization CA plus configurable roots (e.g. the national root CA and the
 * government CA) as PEM files: every `*.pem` in `<data>/trust/`, and the files listed in
 * ECAB_TRUST_ROOTS (path-list separated by ':'). CRLs: the org CA's published CRL plus `*.crl`
 * files in `<data>/trust/`.
 */
export interface TrustStore {
  readonly roots: readonly CertInfo[];
  readonly crls: readonly ParsedCrl[];
}

const TrustEnv = z.string().optional();

async function pemFiles(dir: string, ext: string): Promise<string[]> {
  if (!existsSync(dir)) {
    return [];
  }
  return (await readdir(dir)).filter((f) => f.endsWith(ext)).map((f) => join(dir, f));
}

export async function certsFromFile(path: string): Promise<CertInfo[]> {
  const buf = await readFile(path);
  const text = buf.toString('latin1');
  const ders = text.includes('-----BEGIN CERTIFICATE-----') ? pemToDer(text) : [new Uint8Array(buf)];
  return ders.map(certInfo);
}

export async function crlFromFile(path: string): Promise<ParsedCrl> {
  const buf = await readFile(path);
  const text = buf.toString('latin1');
  const m = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(text);
  return parseCrl(m ? Buffer.from(m[1] ?? '', 'base64') : new Uint8Array(buf));
}

export async function loadTrustStore(dataDir: string, extraRootFiles: readonly string[] = []): Promise<TrustStore> {
  const roots: CertInfo[] = [];
  const crls: ParsedCrl[] = [];
  if (caExists(dataDir)) {
    roots.push(...(await certsFromFile(join(caDir(dataDir), 'ca-cert.pem'))));
    const chain = join(caDir(dataDir), 'chain.pem');
    if (existsSync(chain)) {
      roots.push(...(await readFile(chain, 'utf8').then((t) => pemToDer(t).map(certInfo))));
    }
    const crl = await loadCrlDer(dataDir);
    if (crl) {
      crls.push(parseCrl(crl));
    }
  }
  const env = TrustEnv.parse(process.env.ECAB_TRUST_ROOTS);
  const files = [...(await pemFiles(join(dataDir, 'trust'), '.pem')), ...(env ? env.split(':').filter(Boolean) : []), ...extraRootFiles];
  for (const f of files) {
    roots.push(...(await certsFromFile(f)));
  }
  for (const f of await pemFiles(join(dataDir, 'trust'), '.crl')) {
    crls.push(await crlFromFile(f));
  }
  return dedupe({ roots, crls });
}

export function dedupe(store: TrustStore): TrustStore {
  const seen = new Set<string>();
  return { roots: store.roots.filter((r) => !seen.has(r.sha256) && seen.add(r.sha256)), crls: store.crls };
}
