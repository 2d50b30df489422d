import type { KeyStoreStatus } from '../../../shared/ipc';
import { IpcError } from '../ipc/ipc-error';
import type { DocumentCache } from './document-cache';
import type { NotesStore } from './notes';
import type { PackageSync } from './package-sync';
import type { PassphraseKeyStore } from './passphrase-key-store';

/** What the device keeps encrypted: offline documents (and their sync) and private notes. */
export interface Device {
  readonly cache: DocumentCache;
  readonly packages: PackageSync;
  readonly notes: NotesStore;
}

export interface DeviceAccess {
  /** The opened device store, or KEY_STORE_LOCKED while the passphrase has not been given. */
  device(): Device;
  status(): KeyStoreStatus;
  unlock(passphrase: string): Promise<KeyStoreStatus>;
}

/**
 * Opens the device store with the OS key store right away, or — where that store protects nothing
 * (safe-storage.ts keyStoreWeakness) — once the user has given the passphrase that wraps the data key.
 */
export async function createDeviceAccess(o: {
  readonly passphrase: PassphraseKeyStore | null;
  /** Opens cache, sync and notes with the key store in use (OS or passphrase). */
  readonly open: () => Promise<Device>;
  readonly onOpened?: (d: Device) => void;
}): Promise<DeviceAccess> {
  let device: Device | null = null;
  const opened = async () => {
    device = await o.open();
    o.onOpened?.(device);
  };
  if (!o.passphrase) {
    await opened();
  }
  const status = (): KeyStoreStatus =>
    o.passphrase
      ? { protection: 'passphrase', state: device ? 'ready' : o.passphrase.state() === 'new' ? 'new' : 'locked' }
      : { protection: 'os', state: 'ready' };
  return {
    device() {
      if (!device) {
        throw new IpcError('KEY_STORE_LOCKED', 'Enter the passphrase that protects documents on this device');
      }
      return device;
    },
    status,
    async unlock(passphrase) {
      if (!o.passphrase) {
        throw new IpcError('VALIDATION_ERROR', 'This device uses the operating system key store');
      }
      if (!device) {
        await o.passphrase.unlock(passphrase);
        await opened();
      }
      return status();
    },
  };
}
