import { X509Certificate } from 'node:crypto';
// Default import: pkcs11js is CommonJS with its constants set at run time, which Node's ESM named-export
// detection does not see (the CLI runs under tsx).
import pkcs11js from 'pkcs11js';

/**
 * A token failure with a stable code (the desktop vault passes it on as its IPC error code, the CLI
 * prints the message): TOKEN_MODULE, TOKEN_NOT_PRESENT, TOKEN_PIN_INCORRECT, TOKEN_PIN_LOCKED,
 * TOKEN_NO_KEY, TOKEN_ERROR, VALIDATION_ERROR.
 */
export class TokenError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

/** DER prefix of DigestInfo { sha256, NULL } (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** A certificate found on a token: enough to pick it, to show it, and to find its key again. */
export interface TokenCertificate {
  /** The slot ID (as the module numbers it; SoftHSM2 numbers are large and change on re-init). */
  readonly slotId: string;
  readonly tokenLabel: string;
  readonly tokenSerial: string;
  /** CKA_ID (hex): the certificate and its private key share it (PKCS#11 convention). */
  readonly id: string;
  readonly label: string;
  readonly certificatePem: string;
}

/** Which key on which token signs: stored in the vault file (public data only, never the PIN). */
export interface TokenRef {
  readonly module: string;
  readonly tokenSerial: string;
  readonly id: string;
}

const text = (b: Buffer | string | undefined) => (typeof b === 'string' ? b : (b?.toString('utf8') ?? '')).replace(/\0+$/, '').trim();
const slotNumber = (h: Buffer) => (h.length >= 8 ? h.readBigUInt64LE(0) : BigInt(h.readUInt32LE(0))).toString();

function tokenError(e: unknown): TokenError {
  const code = e instanceof Error ? e.message : '';
  if (code === 'CKR_PIN_INCORRECT') {
    return new TokenError('TOKEN_PIN_INCORRECT', 'The token PIN is wrong (the token locks itself after a few wrong tries)');
  }
  if (code === 'CKR_PIN_LOCKED') {
    return new TokenError('TOKEN_PIN_LOCKED', 'The token PIN is locked: unblock it with the token tools (SO PIN)');
  }
  if (code === 'CKR_PIN_LEN_RANGE' || code === 'CKR_ARGUMENTS_BAD') {
    return new TokenError('TOKEN_PIN_INCORRECT', 'The token PIN has the wrong length');
  }
  return new TokenError('TOKEN_ERROR', `The token reported an error: ${code || 'unknown'}`);
}

/**
 * One PKCS#11 session with the module (the token driver the CA ships, e.g. a `.so` / `.dll`): load,
 * C_Initialize, work, C_Finalize, unload. Nothing stays open between operations: the token may be
 * unplugged at any time, and a logged-in session must not outlive the one signature it was opened for.
 */
function withModule<T>(module: string, work: (p: pkcs11js.PKCS11) => T): T {
  const p = new pkcs11js.PKCS11();
  try {
    p.load(module);
  } catch (e) {
    throw new TokenError('TOKEN_MODULE', `The PKCS#11 module cannot be loaded from ${module}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    p.C_Initialize();
  } catch (e) {
    p.close();
    throw tokenError(e);
  }
  try {
    return work(p);
  } finally {
    try {
      p.C_Finalize();
    } finally {
      p.close();
    }
  }
}

function findObjects(p: pkcs11js.PKCS11, session: Buffer, template: pkcs11js.Template): Buffer[] {
  p.C_FindObjectsInit(session, template);
  try {
    return p.C_FindObjects(session, 100);
  } finally {
    p.C_FindObjectsFinal(session);
  }
}

/** Every X.509 certificate on every present token of `module` (public objects: no PIN needed). */
export function listTokenCertificates(module: string): TokenCertificate[] {
  return withModule(module, (p) => {
    const out: TokenCertificate[] = [];
    for (const slot of p.C_GetSlotList(true)) {
      const info = p.C_GetTokenInfo(slot);
      if (!(info.flags & pkcs11js.CKF_TOKEN_INITIALIZED)) {
        continue; // an empty (uninitialised) token, e.g. SoftHSM2's spare slot
      }
      const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
      try {
        for (const h of findObjects(p, session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
          { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
        ])) {
          const attrs = p.C_GetAttributeValue(session, h, [{ type: pkcs11js.CKA_VALUE }, { type: pkcs11js.CKA_ID }, { type: pkcs11js.CKA_LABEL }]);
          const value = attrs[0]?.value;
          if (!Buffer.isBuffer(value)) {
            continue;
          }
          let pem: string;
          try {
            pem = new X509Certificate(value).toString();
          } catch {
            continue; // not a readable certificate: skip it rather than hide the others
          }
          const id = attrs[1]?.value;
          out.push({
            slotId: slotNumber(slot),
            tokenLabel: text(info.label),
            tokenSerial: text(info.serialNumber),
            id: Buffer.isBuffer(id) ? id.toString('hex') : '',
            label: text(attrs[2]?.value as Buffer | undefined),
            certificatePem: pem,
          });
        }
      } finally {
        p.C_CloseSession(session);
      }
    }
    return out;
  });
}

/**
 * Signs a SHA-256 digest on the token: RSA PKCS#1 v1.5 (CKM_RSA_PKCS over DigestInfo), inside the token,
 * with the private key that has the certificate's CKA_ID. The key never leaves the token; the PIN is
 * used for this one login and not kept.
 */
export function signDigestOnToken(ref: TokenRef, pin: string, digest: Uint8Array): Buffer {
  if (digest.byteLength !== 32) {
    throw new TokenError('VALIDATION_ERROR', 'a SHA-256 digest is 32 bytes');
  }
  return withModule(ref.module, (p) => {
    const slot = p.C_GetSlotList(true).find((s) => {
      const info = p.C_GetTokenInfo(s);
      return (info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0 && text(info.serialNumber) === ref.tokenSerial;
    });
    if (!slot) {
      throw new TokenError('TOKEN_NOT_PRESENT', 'The token that holds this certificate is not plugged in');
    }
    const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    try {
      try {
        p.C_Login(session, pkcs11js.CKU_USER, pin);
      } catch (e) {
        throw tokenError(e);
      }
      try {
        const [key] = findObjects(p, session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
          { type: pkcs11js.CKA_ID, value: Buffer.from(ref.id, 'hex') },
        ]);
        if (!key) {
          throw new TokenError('TOKEN_NO_KEY', 'The token holds no private key for this certificate');
        }
        p.C_SignInit(session, { mechanism: pkcs11js.CKM_RSA_PKCS }, key);
        return Buffer.from(p.C_Sign(session, Buffer.concat([SHA256_DIGEST_INFO, digest]), Buffer.alloc(1024)));
      } catch (e) {
        throw e instanceof TokenError ? e : tokenError(e);
      } finally {
        p.C_Logout(session);
      }
    } finally {
      p.C_CloseSession(session);
    }
  });
}
