import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, repairSettings, updateSettings } from '../../../electron/main/settings/schema';
import { createSettingsService } from '../../../electron/main/settings/settings-service';
import { boundsToSave, restoreBounds } from '../../../electron/main/window/window-state';
import { createNotifier, noticeText } from '../../../electron/main/services/notifications';

describe('settings schema', () => {
  it('gives defaults for an empty or garbage store', () => {
    expect(repairSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(repairSettings('garbage')).toEqual(DEFAULT_SETTINGS);
  });
  it('keeps valid fields and repairs broken ones individually', () => {
    const s = repairSettings({
      serverUrl: 'https://hdnd.example.vn:8443/some/path',
      language: 'fr',
      window: { width: 100, height: 100, maximized: false },
      cache: { retentionDays: 7 },
      ui: { theme: 'dark' },
    });
    expect(s.serverUrl).toBe('https://hdnd.example.vn:8443');
    expect(s.language).toBe('vi');
    expect(s.window).toEqual(DEFAULT_SETTINGS.window);
    expect(s.cache).toEqual({ retentionDays: 7 });
    expect(s.ui).toEqual({ theme: 'dark' });
  });
  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'http://user:pw@host/', 'nope'])(
    'refuses server address %j',
    (serverUrl) => {
      expect(repairSettings({ serverUrl }).serverUrl).toBe(DEFAULT_SETTINGS.serverUrl);
      expect(() => updateSettings(repairSettings({}), { serverUrl })).toThrow();
    },
  );
  it.each(['http://192.168.1.10:4100', 'http://hdnd.example.vn', 'http://127.0.0.1.attacker.com', 'http://[::2]:4100'])(
    'refuses plain http to a host that is not this computer: %j',
    (serverUrl) => {
      expect(repairSettings({ serverUrl }).serverUrl).toBe(DEFAULT_SETTINGS.serverUrl);
      expect(() => updateSettings(repairSettings({}), { serverUrl })).toThrow(/https/);
    },
  );
  it.each(['http://127.0.0.1:4100', 'http://localhost:4100', 'http://[::1]:4100', 'https://192.168.1.10:4100'])(
    'accepts https anywhere and http on loopback: %j',
    (serverUrl) => {
      expect(updateSettings(repairSettings({}), { serverUrl }).serverUrl).toBe(new URL(serverUrl).origin);
    },
  );
  it('a run-time server override (ECAB_SERVER_URL) never rewrites the saved server', () => {
    let stored: unknown = { serverUrl: 'https://hdnd.example.vn' };
    const backend = { read: () => stored, write: (v: unknown) => void (stored = v) };
    const svc = createSettingsService(backend, { serverUrlOverride: 'http://127.0.0.1:5555' });
    expect(svc.get().serverUrl).toBe('http://127.0.0.1:5555');
    svc.update({ language: 'en' });
    expect(stored).toMatchObject({ serverUrl: 'https://hdnd.example.vn', language: 'en' });
    expect(createSettingsService(backend).get().serverUrl).toBe('https://hdnd.example.vn');
    // The user choosing a server ends the override and is saved.
    expect(svc.update({ serverUrl: 'https://ubnd.example.vn' }).serverUrl).toBe('https://ubnd.example.vn');
    expect(stored).toMatchObject({ serverUrl: 'https://ubnd.example.vn' });
    // A hostile override (plain http to another host) is refused like a saved one.
    expect(() => createSettingsService(backend, { serverUrlOverride: 'http://10.0.0.9:4100' })).toThrow(/https/);
  });
  it('refuses out-of-range cache policy and oversized ui values', () => {
    const s = repairSettings({});
    expect(() => updateSettings(s, { cache: { retentionDays: -1 } })).toThrow();
    expect(() => updateSettings(s, { ui: { k: 'x'.repeat(100_001) } })).toThrow();
    expect(() => updateSettings(s, { ui: { 'bad key!': 'x' } })).toThrow();
    expect(updateSettings(s, { language: 'en' }).language).toBe('en');
  });
  it('the service writes validated settings to its backend and reloads them', () => {
    let stored: unknown = undefined;
    const backend = { read: () => stored, write: (v: unknown) => void (stored = v) };
    const svc = createSettingsService(backend);
    svc.update({ language: 'en' });
    expect(() => svc.update({ serverUrl: 'ftp://x' })).toThrow();
    expect(createSettingsService(backend).get().language).toBe('en');
    expect(createSettingsService(backend).get().serverUrl).toBe(DEFAULT_SETTINGS.serverUrl);
  });
});

describe('window state', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  it('restores a position that is still on a display', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1200, height: 800, maximized: false }, screen)).toEqual({
      x: 100,
      y: 50,
      width: 1200,
      height: 800,
    });
  });
  it('drops a position on a display that is gone (projector unplugged) and fits the size', () => {
    expect(restoreBounds({ x: 2500, y: 100, width: 2400, height: 800, maximized: false }, screen)).toEqual({
      width: 1920,
      height: 800,
    });
  });
  it('saves rounded normal bounds and the maximized flag', () => {
    expect(boundsToSave({ x: 10.4, y: 20.6, width: 500, height: 900 }, true)).toEqual({
      x: 10,
      y: 21,
      width: 800,
      height: 900,
      maximized: true,
    });
  });
});

describe('notifications', () => {
  it('texts in Vietnamese and English', () => {
    expect(noticeText({ kind: 'vote-opened', id: 'p1', title: 'Nghị quyết số 5' }, 'vi')).toEqual({
      title: 'Đã mở biểu quyết',
      body: 'Nghị quyết số 5',
    });
    expect(noticeText({ kind: 'floor-given', id: 's1' }, 'en').title).toBe('You have the floor');
    expect(noticeText({ kind: 'document-added', id: 'd1', name: 'Tờ trình.pdf' }, 'en')).toEqual({
      title: 'New document',
      body: 'Tờ trình.pdf',
    });
  });
  it('shows each event once and not while the window has focus', () => {
    const shown: string[] = [];
    let focused = false;
    const n = createNotifier({
      show: (t) => shown.push(t.title),
      language: () => 'en',
      windowFocused: () => focused,
    });
    expect(n.room({ kind: 'vote-opened', id: 'p1', title: 'A' })).toBe(true);
    expect(n.room({ kind: 'vote-opened', id: 'p1', title: 'A' })).toBe(false);
    focused = true;
    expect(n.room({ kind: 'document-added', id: 'd1', name: 'x' })).toBe(false);
    focused = false;
    expect(n.room({ kind: 'floor-given', id: 's1' })).toBe(true);
    expect(shown).toEqual(['Vote opened', 'You have the floor']);
  });
});
