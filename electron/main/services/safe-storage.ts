import { IpcError } from '../ipc/ipc-error';

/**
 * The parts of Electron's `safeStorage` the services use (OS keychain / DPAPI / libsecret). Injected
 * so the services run in plain Node for tests; index.ts passes electron's real safeStorage, or the
 * passphrase key store (services/passphrase-key-store.ts) where the OS offers no real protection.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron: which secret store safeStorage uses ('basic_text' = none, see below). */
  getSelectedStorageBackend?(): string;
}

/**
 * Electron's Linux backends that do not protect anything: 'basic_text' encrypts with a fixed password
 * compiled into Chromium (anyone who copies the file can decrypt it), 'unknown' means no store was
 * chosen. Confidential documents and signing keys are never wrapped with these.
 */
const WEAK_BACKENDS = new Set(['basic_text', 'unknown']);

/** Why a key store cannot be used for documents and keys, or null when it can. */
export function keyStoreWeakness(safe: SafeStorageLike): 'unavailable' | 'weak' | null {
  if (!safe.isEncryptionAvailable()) {
    return 'unavailable';
  }
  const backend = safe.getSelectedStorageBackend?.();
  return backend !== undefined && WEAK_BACKENDS.has(backend) ? 'weak' : null;
}

/**
 * Refuses to wrap documents or keys with a key store that protects nothing. The message says what to do:
 * install a secret service, or use a passphrase (the app offers one where the OS store is weak).
 */
export function assertProtectingKeyStore(safe: SafeStorageLike, what: string): void {
  const weakness = keyStoreWeakness(safe);
  if (weakness === 'unavailable') {
    throw new IpcError('KEY_PROTECTION_UNAVAILABLE', `The key store is not available; ${what} cannot be kept safely`);
  }
  if (weakness === 'weak') {
    throw new IpcError(
      'KEY_PROTECTION_WEAK',
      `The operating system key store only obfuscates data (no libsecret or KWallet); ${what} would be readable by anyone who copies the files. Set a passphrase instead.`,
    );
  }
}
