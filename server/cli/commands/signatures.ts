import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { exportPkcs12, importCa, initCa, issueMemberCert, publishCrl, revokeCert } from '../../signatures/ca';
import { caExists } from '../../signatures/ca-store';
import { certInfo, pemToDer } from '../../signatures/cert-info';
import { stampFromCertificate } from '../../signatures/stamp';
import { signingCertificateProblem } from '../../signatures/signer-check';
import { signerFromPkcs12 } from '../../signatures/p12';
import { signPdf } from '../../signatures/pdf-sign';
import { httpTimestamper } from '../../signatures/timestamper';
import { digestCallbackSigner, type CmsSigner } from '../../signatures/cms-sign';
import { listTokenCertificates, signDigestOnToken, TokenError } from '../../signatures/pkcs11-token';
import { reportText, verifyPdf } from '../../signatures/pdf-verify';
import { crlFromFile, loadTrustStore } from '../../signatures/trust-store';
import { certSha256, verifySignedBallot } from '../../signatures/ballot-verify';
import { SignedBallot } from '../../../shared/signatures/ballot';
import { CliUsageError, parseOptions, type CliCommand } from '../registry';
import { signatureUsage } from './signatures-usage';
import { parseFlags } from './users';

const DATA = { data: { type: 'string' } } as const;
const dataDir = (d: string | undefined) => resolve(d ?? process.env.ECAB_DATA ?? './data');

const caInit: CliCommand = {
  ...signatureUsage.caInit,
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...DATA, name: { type: 'string' }, org: { type: 'string' }, years: { type: 'string' }, force: { type: 'boolean' } });
    const o = parseFlags(z.object({ name: z.string().min(1).max(200), org: z.string().min(1).max(200), years: z.coerce.number().int().min(1).max(30).default(10) }), values);
    const dir = dataDir(values.data);
    if (caExists(dir) && !values.force) {
      throw new CliUsageError(`A CA already exists in ${dir}/ca (use --force to replace it)`);
    }
    const ca = await initCa(dir, { name: o.name, organization: o.org, years: o.years });
    io.out(`Created CA "${o.name}" in ${ca.dir} (certificate: ${ca.dir}/ca-cert.pem)`);
    return 0;
  },
};

const caImport: CliCommand = {
  ...signatureUsage.caImport,
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...DATA, cert: { type: 'string' }, key: { type: 'string' }, chain: { type: 'string' } });
    const o = parseFlags(z.object({ cert: z.string(), key: z.string(), chain: z.string().optional() }), values);
    const ca = await importCa(dataDir(values.data), await readFile(o.cert, 'utf8'), await readFile(o.key, 'utf8'), o.chain ? await readFile(o.chain, 'utf8') : '');
    io.out(`Imported CA "${certInfo(ca.certDer).subjectCn}" into ${ca.dir}`);
    return 0;
  },
};

const certIssue: CliCommand = {
  ...signatureUsage.certIssue,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      ...DATA,
      name: { type: 'string' },
      out: { type: 'string' },
      password: { type: 'string' },
      title: { type: 'string' },
      org: { type: 'string' },
      username: { type: 'string' },
      days: { type: 'string' },
      'cert-out': { type: 'string' },
      'public-url': { type: 'string' },
    });
    const o = parseFlags(
      z.object({
        name: z.string().min(1).max(200),
        out: z.string(),
        password: z.string().min(4),
        title: z.string().max(200).optional(),
        org: z.string().max(200).optional(),
        username: z.string().max(100).optional(),
        days: z.coerce.number().int().min(1).max(3650).default(730),
        // The server's public base URL: the certificate then carries CRL Distribution Points and AIA.
        'public-url': z.url().optional(),
      }),
      { ...values, 'public-url': values['public-url'] ?? (process.env.ECAB_PUBLIC_URL || undefined) },
    );
    const c = await issueMemberCert(dataDir(values.data), { commonName: o.name, title: o.title, organization: o.org, username: o.username, days: o.days, publicUrl: o['public-url'] });
    await writeFile(o.out, exportPkcs12(c.keyPem, c.certDer, c.chainDer, o.password, o.name), { mode: 0o600 });
    if (values['cert-out']) {
      await writeFile(values['cert-out'], c.certPem);
    }
    io.out(`Issued certificate serial ${c.serialHex} for "${o.name}" → ${o.out}`);
    return 0;
  },
};

const certRevoke: CliCommand = {
  ...signatureUsage.certRevoke,
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...DATA, serial: { type: 'string' }, reason: { type: 'string' } });
    const o = parseFlags(z.object({ serial: z.string().regex(/^[0-9a-fA-F]+$/), reason: z.string().max(100).default('unspecified') }), values);
    const rec = await revokeCert(dataDir(values.data), o.serial, o.reason);
    io.out(`Revoked ${rec.serialHex} ("${rec.subjectCn}") at ${rec.revokedAt ?? '?'}`);
    return 0;
  },
};

const crlPublish: CliCommand = {
  ...signatureUsage.crlPublish,
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...DATA, days: { type: 'string' } });
    const o = parseFlags(z.object({ days: z.coerce.number().int().min(1).max(365).default(7) }), values);
    const r = await publishCrl(dataDir(values.data), o.days);
    io.out(`Published CRL with ${r.revoked} revoked certificate(s): ${r.path}`);
    return 0;
  },
};

const Rect = z
  .string()
  .regex(/^\d+(\.\d+)?(,\d+(\.\d+)?){3}$/, 'write it as x,y,width,height in points')
  .transform((s) => {
    const [x = 0, y = 0, width = 0, height = 0] = s.split(',').map(Number);
    return { x, y, width, height };
  });

const pdfSign: CliCommand = {
  ...signatureUsage.pdfSign,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, {
      ...DATA,
      out: { type: 'string' },
      p12: { type: 'string' },
      password: { type: 'string' },
      field: { type: 'string' },
      page: { type: 'string' },
      rect: { type: 'string' },
      name: { type: 'string' },
      title: { type: 'string' },
      org: { type: 'string' },
      reason: { type: 'string' },
      location: { type: 'string' },
      image: { type: 'string' },
      lang: { type: 'string' },
      tsa: { type: 'string' },
      pkcs11: { type: 'string' },
      slot: { type: 'string' },
      'pin-env': { type: 'string' },
      'key-id': { type: 'string' },
    });
    const o = parseFlags(
      z.object({
        out: z.string(),
        p12: z.string().optional(),
        password: z.string().optional(),
        pkcs11: z.string().optional(),
        slot: z.string().regex(/^\d+$/, 'a slot number').optional(),
        'pin-env': z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name').optional(),
        'key-id': z.string().regex(/^[0-9a-fA-F]+$/, 'hex').optional(),
        field: z.string().min(1).max(100),
        page: z.coerce.number().int().min(1),
        rect: Rect,
        lang: z.enum(['vi', 'en']).default('vi'),
        tsa: z.url().optional(),
      }),
      values,
    );
    const input = positionals[0];
    if (!input) {
      throw new CliUsageError('Give the PDF to sign');
    }
    const signer = o.pkcs11 ? tokenSigner(o.pkcs11, o.slot, o['pin-env'], o['key-id']) : o.p12 && o.password !== undefined ? signerFromPkcs12(await readFile(o.p12), o.password) : undefined;
    if (!signer) {
      throw new CliUsageError('Give the key: --p12 FILE --password P, or --pkcs11 MODULE --slot N --pin-env VAR');
    }
    const cert = certInfo(signer.certificates[0] ?? new Uint8Array());
    const cn = cert.subjectCn;
    const problem = signingCertificateProblem(cert);
    if (problem) {
      throw new CliUsageError(`${problem}: refusing to sign`);
    }
    const signed = await signPdf(await readFile(input), signer, {
      fieldName: o.field,
      page: o.page - 1,
      rect: o.rect,
      // The stamp says what the certificate says unless the operator overrides a line.
      stamp: stampFromCertificate(cert, { name: values.name, title: values.title, organization: values.org, lang: o.lang }),
      reason: values.reason,
      location: values.location,
      image: values.image ? await readFile(values.image) : undefined,
      // PAdES B-T through the organization's (or any RFC 3161) time-stamp authority.
      timestamp: o.tsa ? httpTimestamper(o.tsa) : undefined,
    });
    await writeFile(o.out, signed);
    io.out(`Signed by "${cn}" in field "${o.field}" → ${o.out}`);
    return 0;
  },
};

/**
 * A signer on a PKCS#11 token (a USB token of the government CA, or SoftHSM2): the certificate is read
 * from the token, the digest is signed on it; the PIN comes from an environment variable so it never
 * appears in the process list or the shell history.
 */
function tokenSigner(module: string, slot: string | undefined, pinEnv: string | undefined, keyId: string | undefined): CmsSigner {
  if (slot === undefined || !pinEnv) {
    throw new CliUsageError('--pkcs11 needs --slot N and --pin-env VAR (the variable holding the token PIN)');
  }
  const pin = process.env[pinEnv];
  if (!pin) {
    throw new CliUsageError(`The environment variable ${pinEnv} holds no PIN`);
  }
  let certs;
  try {
    certs = listTokenCertificates(module);
  } catch (e) {
    throw new CliUsageError(e instanceof Error ? e.message : String(e));
  }
  // --slot is the module's slot ID, or failing that the index among slots with a token.
  const slotIds = [...new Set(certs.map((c) => c.slotId))];
  const slotId = slotIds.includes(slot) ? slot : slotIds[Number(slot)];
  const onSlot = certs.filter((c) => c.slotId === slotId && (!keyId || c.id === keyId.toLowerCase()));
  const chosen = onSlot.find((c) => {
    const ku = certInfo(pemToDer(c.certificatePem)[0] ?? new Uint8Array()).keyUsage;
    return !ku || ku.has('digitalSignature') || ku.has('nonRepudiation');
  });
  if (!chosen) {
    throw new CliUsageError(`No signing certificate on slot ${slot}${keyId ? ` with id ${keyId}` : ''} (slots with certificates: ${slotIds.join(', ') || 'none'})`);
  }
  const ref = { module, tokenSerial: chosen.tokenSerial, id: chosen.id };
  return digestCallbackSigner(pemToDer(chosen.certificatePem), async (digest) => {
    try {
      return signDigestOnToken(ref, pin, digest);
    } catch (e) {
      throw new CliUsageError(e instanceof TokenError ? e.message : String(e));
    }
  });
}

async function trustFrom(data: string | undefined, roots: readonly string[] | undefined, crls: readonly string[] | undefined) {
  const store = await loadTrustStore(dataDir(data), roots ?? []);
  const extra = await Promise.all((crls ?? []).map(crlFromFile));
  return { roots: store.roots, crls: [...store.crls, ...extra] };
}

const pdfVerify: CliCommand = {
  ...signatureUsage.pdfVerify,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, {
      ...DATA,
      trust: { type: 'string', multiple: true },
      crl: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      'allow-unknown-revocation': { type: 'boolean' },
    });
    const file = positionals[0];
    if (!file) {
      throw new CliUsageError('Give the PDF to verify');
    }
    const report = await verifyPdf(await readFile(file), { trust: await trustFrom(values.data, values.trust, values.crl) });
    io.out(values.json ? JSON.stringify(report, null, 2) : reportText(report));
    if (report.valid) {
      return 0;
    }
    // "Valid, revocation unknown" is not "valid": a distinct, non-zero exit unless accepted explicitly.
    return report.revocationUnknown ? (values['allow-unknown-revocation'] ? 0 : 3) : 1;
  },
};

const ballotVerify: CliCommand = {
  ...signatureUsage.ballotVerify,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { ...DATA, trust: { type: 'string', multiple: true }, crl: { type: 'string', multiple: true }, cert: { type: 'string' }, json: { type: 'boolean' } });
    const file = positionals[0];
    if (!file) {
      throw new CliUsageError('Give the ballot file');
    }
    const parsed = SignedBallot.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (!parsed.success) {
      throw new CliUsageError(`Not a signed ballot file: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    const { payload, cms } = parsed.data;
    const voter = values.cert ? pemToDer(await readFile(values.cert, 'utf8')).map(certSha256) : undefined;
    // Offline: the ballot may be years old, so no freshness window; everything else is checked.
    const v = verifySignedBallot(payload, Buffer.from(cms, 'base64'), { meetingId: payload.meetingId, pollId: payload.pollId, voterCertSha256: voter }, { trust: await trustFrom(values.data, values.trust, values.crl), now: new Date(payload.castAt), maxAgeMs: 1 });
    const out = v.ok ? { valid: true, signer: v.signer.x509.subject.replace(/\n/g, ', '), payload } : { valid: false, reason: v.reason };
    io.out(values.json ? JSON.stringify(out, null, 2) : v.ok ? `VALID: signed by ${out.signer ?? ''}; choice ${JSON.stringify(payload.choice)} at ${payload.castAt}` : `INVALID: ${v.reason}`);
    return v.ok ? 0 : 1;
  },
};

export const signatureCommands: readonly CliCommand[] = [caInit, caImport, certIssue, certRevoke, crlPublish, pdfSign, pdfVerify, ballotVerify];
