import { createCipheriv, createDecipheriv, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { IpcError } from '../ipc/ipc-error';
import type { SafeStorageLike } from './safe-storage';

/** scrypt cost (RFC 7914): N = 2^17, r = 8 → 128 MiB and about half a second per unlock on a laptop. */
export const SCRYPT_DEFAULT = { N: 2 ** 17, r: 8, p: 1 } as const;
export const PASSPHRASE_MIN = 12;

const KeyFile = z.object({
  version: z.literal(1),
  kdf: z.literal('scrypt'),
  salt: z.base64(),
  N: z.number().int().min(2 ** 10).max(2 ** 22),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  /** HMAC-free check: AES-GCM of a constant under the derived key (a wrong passphrase fails the tag). */
  check: z.base64(),
});
type KeyFile = z.infer<typeof KeyFile>;

const CHECK = 'e-cabinet passphrase check';

function derive(passphrase: string, salt: Buffer, c: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, 32, { ...c, maxmem: 256 * c.N * c.r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

function seal(key: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}

function open(key: Buffer, sealed: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  d.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
}

export type PassphraseState = 'new' | 'locked' | 'unlocked';

/**
 * A key store for machines whose OS store protects nothing (Linux without libsecret/KWallet, where
 * Electron's safeStorage falls back to a fixed password): a 256-bit key derived from the user's
 * passphrase with scrypt wraps the data key and the signing key instead. Only the salt, the cost and a
 * check value are stored; the derived key lives in memory while the app runs. Same interface as
 * safeStorage, so the cache and the vault use it unchanged.
 */
export class PassphraseKeyStore implements SafeStorageLike {
  private key: Buffer | null = null;

  private constructor(
    private readonly file: string,
    private stored: KeyFile | null,
    private readonly cost: { N: number; r: number; p: number },
  ) {}

  static async open(file: string, cost: { N: number; r: number; p: number } = SCRYPT_DEFAULT): Promise<PassphraseKeyStore> {
    let stored: KeyFile | null = null;
    try {
      const parsed = KeyFile.safeParse(JSON.parse(await readFile(file, 'utf8')));
      if (!parsed.success) {
        // A damaged file must not silently become "new": that would orphan everything wrapped before.
        throw new IpcError('KEY_STORE_DAMAGED', 'The passphrase key file is damaged');
      }
      stored = parsed.data;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw err;
      }
    }
    return new PassphraseKeyStore(file, stored, cost);
  }

  state(): PassphraseState {
    return this.key ? 'unlocked' : this.stored ? 'locked' : 'new';
  }

  /** Sets the passphrase (first use) or checks it (later runs); the key stays in memory only. */
  async unlock(passphrase: string): Promise<void> {
    if (this.stored) {
      const s = this.stored;
      const key = await derive(passphrase, Buffer.from(s.salt, 'base64'), s);
      let ok: boolean;
      try {
        ok = timingSafeEqual(open(key, Buffer.from(s.check, 'base64')), Buffer.from(CHECK));
      } catch {
        ok = false;
      }
      if (!ok) {
        throw new IpcError('PASSPHRASE_WRONG', 'Wrong passphrase');
      }
      this.key = key;
      return;
    }
    if ([...passphrase].length < PASSPHRASE_MIN) {
      throw new IpcError('PASSPHRASE_TOO_SHORT', `The passphrase needs at least ${PASSPHRASE_MIN} characters`);
    }
    const salt = randomBytes(16);
    const key = await derive(passphrase, salt, this.cost);
    const stored: KeyFile = {
      version: 1,
      kdf: 'scrypt',
      salt: salt.toString('base64'),
      ...this.cost,
      check: seal(key, Buffer.from(CHECK)).toString('base64'),
    };
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(stored), { mode: 0o600 });
    await rename(tmp, this.file);
    this.stored = stored;
    this.key = key;
  }

  isEncryptionAvailable(): boolean {
    return this.key !== null;
  }

  private requireKey(): Buffer {
    if (!this.key) {
      throw new IpcError('KEY_STORE_LOCKED', 'Enter the passphrase first');
    }
    return this.key;
  }

  encryptString(plainText: string): Buffer {
    return seal(this.requireKey(), Buffer.from(plainText, 'utf8'));
  }

  decryptString(encrypted: Buffer): string {
    return open(this.requireKey(), encrypted).toString('utf8');
  }

  getSelectedStorageBackend(): string {
    return 'passphrase';
  }
}
