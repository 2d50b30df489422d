import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../../electron/main/services/safe-storage';

/**
 * Electron's safeStorage for plain Node: the real one wraps secrets with the OS key store (which the
 * Electron binary brings); this one wraps with a process-local AES-256-GCM key. The services only need
 * an opaque, keyed wrapper, and this is the one piece of Electron our build machines cannot run.
 */
export class ProcessSafeStorage implements SafeStorageLike {
  private readonly key = randomBytes(32);
  isEncryptionAvailable(): boolean {
    return true;
  }
  encryptString(plain: string): Buffer {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }
  decryptString(b: Buffer): string {
    const d = createDecipheriv('aes-256-gcm', this.key, b.subarray(0, 12));
    d.setAuthTag(b.subarray(12, 28));
    return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
  }
}
