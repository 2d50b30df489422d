import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Default import: pkcs11js is CommonJS with its constants set at run time, which Node's ESM named-export
// detection does not see (the CLI runs under tsx).
import pkcs11js from 'pkcs11js';
import { certInfo } from '../../server/signatures/cert-info';

/** Debian's SoftHSM2 (package softhsm2; .ci/run installs it): a real PKCS#11 token for tests. */
export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

/** Why token tests cannot run here, or null when they can (CI has SoftHSM2: they must run there). */
export function softHsmMissing(): string | null {
  if (!existsSync(SOFTHSM_MODULE)) {
    return `SoftHSM2 is not installed (${SOFTHSM_MODULE} missing; apt-get install softhsm2)`;
  }
  if (spawnSync('softhsm2-util', ['--version']).status !== 0) {
    return 'softhsm2-util is not on PATH (apt-get install softhsm2)';
  }
  return null;
}

export interface SoftToken {
  readonly module: string;
  readonly label: string;
  readonly pin: string;
  readonly serial: string;
  /** CKA_ID (hex) of the imported key and certificate. */
  readonly id: string;
  close(): void;
}

/**
 * A fresh token in its own token directory: a per-test SOFTHSM2_CONF (set in this process's
 * environment, which the module reads at C_Initialize) so tests never share token state. The key pair
 * is imported with softhsm2-util (private key not extractable afterwards), the certificate (issued by
 * our CA for that key) is written as a token object through PKCS#11.
 */
export function createSoftToken(o: { label: string; keyPem: string; certDer: Uint8Array; pin?: string }): SoftToken {
  const dir = mkdtempSync(join(tmpdir(), 'ecab-softhsm-'));
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  process.env.SOFTHSM2_CONF = conf;
  const pin = o.pin ?? '123456';
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', o.label, '--so-pin', '87654321', '--pin', pin], { env });
  const keyFile = join(dir, 'key.pem');
  writeFileSync(keyFile, o.keyPem, { mode: 0o600 });
  const id = '0a1b';
  execFileSync('softhsm2-util', ['--import', keyFile, '--token', o.label, '--label', 'signing key', '--id', id, '--pin', pin], { env });
  rmSync(keyFile);
  const p = new pkcs11js.PKCS11();
  p.load(SOFTHSM_MODULE);
  p.C_Initialize();
  try {
    const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trim() === o.label);
    if (!slot) {
      throw new Error('token not found after init');
    }
    const serial = p.C_GetTokenInfo(slot).serialNumber.trim();
    const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    p.C_Login(session, pkcs11js.CKU_USER, pin);
    const info = certInfo(o.certDer);
    p.C_CreateObject(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
      { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: false },
      { type: pkcs11js.CKA_ID, value: Buffer.from(id, 'hex') },
      { type: pkcs11js.CKA_LABEL, value: 'signing certificate' },
      { type: pkcs11js.CKA_SUBJECT, value: Buffer.from(info.subjectRaw) },
      { type: pkcs11js.CKA_VALUE, value: Buffer.from(o.certDer) },
    ]);
    p.C_Logout(session);
    p.C_CloseSession(session);
    return {
      module: SOFTHSM_MODULE,
      label: o.label,
      pin,
      serial,
      id,
      close: () => rmSync(dir, { recursive: true, force: true }),
    };
  } finally {
    p.C_Finalize();
    p.close();
  }
}
