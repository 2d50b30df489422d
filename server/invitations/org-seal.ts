import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';
import { z } from 'zod';
import { issueMemberCert } from '../signatures/ca';
import { caExists, loadCa } from '../signatures/ca-store';
import { certInfo, derToPem, pemToDer } from '../signatures/cert-info';
import { pemKeySigner, type CmsSigner } from '../signatures/cms-sign';
import { signPdf } from '../signatures/pdf-sign';

/**
 * The organisation's own signature (con dấu điện tử of the office) for documents the server issues by
 * itself — invitations and consultation reports — where waiting for a person's token would hold up the
 * mail. A certificate issued once by the organisation CA (docs/signatures.md) for the organisation, its
 * key kept beside the CA under `<data>/seal/` (0600). So the same verifier (`pdf verify`, the badge)
 * reports these PDFs as trusted. No CA = no seal: the document goes out unsigned with a warning.
 */
const SealFile = z.object({ keyPem: z.string(), certPem: z.string(), chainPem: z.array(z.string()), name: z.string() });
type SealFile = z.infer<typeof SealFile>;

export interface OrgSeal {
  readonly name: string;
  readonly signer: CmsSigner;
}

const cache = new Map<string, Promise<OrgSeal | null>>();
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

function caOrganization(cert: forge.pki.Certificate): string {
  const o = cert.subject.getField('O') as { value?: string } | null;
  const cn = cert.subject.getField('CN') as { value?: string } | null;
  return forge.util.decodeUtf8(o?.value ?? cn?.value ?? 'E-Cabinet');
}

async function loadOrIssue(dataDir: string): Promise<OrgSeal | null> {
  if (!caExists(dataDir)) {
    return null;
  }
  const dir = join(dataDir, 'seal');
  const path = join(dir, 'org-seal.json');
  let seal: SealFile | null = null;
  if (existsSync(path)) {
    seal = SealFile.parse(JSON.parse(await readFile(path, 'utf8')));
    const [der] = pemToDer(seal.certPem);
    if (!der || certInfo(der).notAfter.getTime() - Date.now() < RENEW_BEFORE_MS) {
      seal = null;
    }
  }
  if (!seal) {
    const ca = await loadCa(dataDir);
    const name = caOrganization(ca.cert);
    const issued = await issueMemberCert(dataDir, { commonName: name, organization: name, title: 'Văn phòng', days: 730 });
    seal = { keyPem: issued.keyPem, certPem: issued.certPem, chainPem: issued.chainDer.map((d) => derToPem(d)), name };
    await mkdir(dir, { recursive: true });
    await writeFile(`${path}.tmp`, JSON.stringify(seal), { mode: 0o600 });
    await chmod(`${path}.tmp`, 0o600);
    await rename(`${path}.tmp`, path);
  }
  const certs = [seal.certPem, ...seal.chainPem].flatMap((p) => pemToDer(p));
  return { name: seal.name, signer: pemKeySigner(seal.keyPem, certs) };
}

export function orgSeal(dataDir: string): Promise<OrgSeal | null> {
  let p = cache.get(dataDir);
  if (!p) {
    p = loadOrIssue(dataDir);
    cache.set(dataDir, p);
    p.catch(() => cache.delete(dataDir));
  }
  return p;
}

/** Signs `pdf` with the organisation seal in the box given; returns null when there is no CA. */
export async function sealPdf(
  dataDir: string,
  pdf: Uint8Array,
  box: { page: number; rect: { x: number; y: number; width: number; height: number } },
  lang: 'vi' | 'en',
  reason: string,
): Promise<Uint8Array | null> {
  const seal = await orgSeal(dataDir);
  if (!seal) {
    return null;
  }
  return signPdf(pdf, seal.signer, { fieldName: 'CoQuan', page: box.page, rect: box.rect, stamp: { name: seal.name, organization: seal.name, lang }, reason });
}
