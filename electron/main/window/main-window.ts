import { app, BrowserWindow, screen } from 'electron';
import { APP_START_URL } from '../app-origin';
import { devToolsAllowed, secureWebPreferences } from '../security/web-preferences';
import type { SettingsService } from '../settings/settings-service';
import { boundsToSave, restoreBounds } from './window-state';

/** The one window factory: every window gets secureWebPreferences and loads only app:// (Checklist 18). */
export function createMainWindow(o: Readonly<{ preload: string; settings: SettingsService }>): BrowserWindow {
  const saved = o.settings.get().window;
  const bounds = restoreBounds(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...bounds,
    minWidth: 800,
    minHeight: 600,
    show: false,
    title: 'E-Cabinet',
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(o.preload, { devTools: devToolsAllowed(app.isPackaged, process.env) }),
  });
  if (saved.maximized) {
    win.maximize();
  }
  win.once('ready-to-show', () => win.show());
  // Window state remembered: saved when the window closes, not on every pixel of a drag.
  win.on('close', () => {
    try {
      o.settings.update({ window: boundsToSave(win.getNormalBounds(), win.isMaximized()) });
    } catch {
      // Out-of-range bounds (exotic display setups) are not worth blocking the close: keep the old ones.
    }
  });
  void win.loadURL(APP_START_URL);
  return win;
}
