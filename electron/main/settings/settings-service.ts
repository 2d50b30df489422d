import { repairSettings, ServerUrl, updateSettings, type Settings } from './schema';

/** Where settings are persisted (electron-store in the app; anything with get/set in tests). */
export interface SettingsBackend {
  read(): unknown;
  write(value: Settings): void;
}

export interface SettingsService {
  get(): Settings;
  update(patch: Partial<Settings>): Settings;
}

export interface SettingsOptions {
  /**
   * A server address for this run only (ECAB_SERVER_URL: tests, side-by-side installs). It is never
   * written to the store, so a launcher or shortcut cannot silently repoint the user's saved server;
   * it is validated like a saved one (https unless loopback) and ends when the user picks a server.
   */
  readonly serverUrlOverride?: string;
}

/** Settings are repaired on load and validated as a whole on every change (settings/schema.ts). */
export function createSettingsService(backend: SettingsBackend, o: SettingsOptions = {}): SettingsService {
  let current = repairSettings(backend.read());
  let override = o.serverUrlOverride ? ServerUrl.parse(o.serverUrlOverride) : null;
  return {
    get: () => (override ? { ...current, serverUrl: override } : current),
    update(patch) {
      current = updateSettings(current, patch);
      if (patch.serverUrl !== undefined) {
        override = null;
      }
      backend.write(current);
      return this.get();
    },
  };
}
