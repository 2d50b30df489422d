import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { assertProtectingKeyStore, type SafeStorageLike } from './safe-storage';

/**
 * The 256-bit data key that encrypts cached documents, notes and the cache index. It is stored only
 * wrapped by safeStorage (the OS key store), so copying the cache folder to another machine or user
 * account yields nothing readable.
 */
export async function loadOrCreateDataKey(file: string, safe: SafeStorageLike): Promise<Buffer> {
  assertProtectingKeyStore(safe, 'offline documents');
  let wrapped: Buffer | undefined;
  try {
    wrapped = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw err;
    }
  }
  if (wrapped) {
    const key = Buffer.from(safe.decryptString(wrapped), 'base64');
    if (key.length !== 32) {
      throw new Error('stored data key is malformed');
    }
    return key;
  }
  const key = randomBytes(32);
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  await writeFile(tmp, safe.encryptString(key.toString('base64')), { mode: 0o600 });
  await rename(tmp, file);
  return key;
}
