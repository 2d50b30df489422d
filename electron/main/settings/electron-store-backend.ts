import Store, { type Schema } from 'electron-store';
import { z } from 'zod';
import { Settings } from './schema';
import type { SettingsBackend } from './settings-service';

type Shape = { settings?: unknown };

/**
 * electron-store with a JSON schema derived from the zod schema, so the file is checked on write by
 * the store and on read by zod (repairSettings). A file that violates the schema (hand-edited) is
 * reset instead of preventing the app from starting.
 */
export function electronStoreBackend(): SettingsBackend {
  const schema = {
    settings: z.toJSONSchema(Settings, { io: 'input', unrepresentable: 'any' }),
  } as unknown as Schema<Shape>;
  let store: Store<Shape>;
  try {
    store = new Store<Shape>({ name: 'settings', schema, clearInvalidConfig: true });
  } catch {
    new Store<Shape>({ name: 'settings', clearInvalidConfig: true }).clear();
    store = new Store<Shape>({ name: 'settings', schema, clearInvalidConfig: true });
  }
  return {
    read: () => store.get('settings'),
    write: (value) => store.set('settings', value),
  };
}
