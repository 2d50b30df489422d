/**
 * The parts of Electron's `safeStorage` the services use (OS keychain / DPAPI / libsecret). Injected
 * so the services run in plain Node for tests; index.ts passes electron's real safeStorage.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}
