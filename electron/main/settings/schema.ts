import { z } from 'zod';
import { UiSettingKey } from '../../../shared/ipc';

/**
 * Desktop settings: the store file is outside input (a user may edit it), so it is parsed
 * with this schema on every load; a broken field falls back to its default instead of breaking start-up.
 */
/** Loopback hosts, where plain http never leaves the machine (the local demo server). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * The session server's address. The bearer token, ballots and confidential documents travel to it, so
 * anything beyond this machine must be https: plain http on a hall's Wi-Fi hands all of them to anyone
 * listening. http stays allowed only for loopback (the demo server on 127.0.0.1).
 */
export const ServerUrl = z
  .string()
  .max(2000)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'server address must be an http(s) URL without credentials')
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' || isLoopbackHost(u.hostname);
    } catch {
      return false;
    }
  }, 'server address must use https (http only for this computer)')
  .transform((s) => new URL(s).origin);

export const WindowBounds = z.object({
  x: z.number().int().min(-100_000).max(100_000).optional(),
  y: z.number().int().min(-100_000).max(100_000).optional(),
  width: z.number().int().min(800).max(20_000),
  height: z.number().int().min(600).max(20_000),
  maximized: z.boolean(),
});
export type WindowBounds = z.infer<typeof WindowBounds>;

export const CachePolicy = z.object({
  /** Days a closed meeting's documents stay on the device after the meeting closed. */
  retentionDays: z.number().int().min(0).max(3650),
});
export type CachePolicy = z.infer<typeof CachePolicy>;

export const Language = z.enum(['vi', 'en']);
export type Language = z.infer<typeof Language>;

export const DEFAULT_SETTINGS = {
  serverUrl: 'http://127.0.0.1:4100',
  language: 'vi',
  window: { width: 1280, height: 800, maximized: false },
  cache: { retentionDays: 30 },
  ui: {},
} as const satisfies Settings;

export const Settings = z.object({
  serverUrl: ServerUrl,
  language: Language,
  window: WindowBounds,
  cache: CachePolicy,
  /** Renderer preferences (PlatformSettings.get/set), bounded so a renderer cannot fill the disk. */
  ui: z
    .record(UiSettingKey, z.string().max(100_000))
    .refine((r) => Object.keys(r).length <= 200, 'too many entries'),
});
export type Settings = z.output<typeof Settings>;

/** Parses stored settings field by field: valid fields are kept, broken or missing ones get defaults. */
export function repairSettings(raw: unknown): Settings {
  const obj: Record<string, unknown> =
    typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const field = <T>(schema: z.ZodType<T>, value: unknown, fallback: T): T => {
    const r = schema.safeParse(value);
    return r.success ? r.data : fallback;
  };
  return {
    serverUrl: field(ServerUrl, obj.serverUrl, DEFAULT_SETTINGS.serverUrl),
    language: field(Language, obj.language, DEFAULT_SETTINGS.language),
    window: field(WindowBounds, obj.window, { ...DEFAULT_SETTINGS.window }),
    cache: field(CachePolicy, obj.cache, { ...DEFAULT_SETTINGS.cache }),
    ui: field(Settings.shape.ui, obj.ui, {}),
  };
}

/** Applies a change and validates the result as a whole; throws on an invalid change. */
export function updateSettings(current: Settings, patch: Partial<Settings>): Settings {
  return Settings.parse({ ...current, ...patch });
}
