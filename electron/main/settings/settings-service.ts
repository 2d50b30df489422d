import { repairSettings, updateSettings, type Settings } from './schema';

/** Where settings are persisted (electron-store in the app; anything with get/set in tests). */
export interface SettingsBackend {
  read(): unknown;
  write(value: Settings): void;
}

export interface SettingsService {
  get(): Settings;
  update(patch: Partial<Settings>): Settings;
}

/** Settings are repaired on load and validated as a whole on every change (settings/schema.ts). */
export function createSettingsService(backend: SettingsBackend): SettingsService {
  let current = repairSettings(backend.read());
  return {
    get: () => current,
    update(patch) {
      current = updateSettings(current, patch);
      backend.write(current);
      return current;
    },
  };
}
