import { isNavigationAllowed } from './url-guards';

/** The parts of electron's WebContents the hardening uses (injected: testable without Electron). */
export interface PreventableEvent {
  preventDefault(): void;
}
export interface ContentsLike {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate',
    listener: (event: PreventableEvent, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Applied to every webContents the app creates (app 'web-contents-created'):
 * Checklist 13 — navigation away from app:// is blocked (also via redirects and subframes);
 * Checklist 14 — window.open / target=_blank never creates a window; an allow-listed https link is
 * handed to the safe openExternal wrapper instead; <webview> can never be attached.
 */
export function hardenWebContents(
  contents: ContentsLike,
  openExternal: (url: string) => Promise<boolean>,
  onBlocked?: (what: string, url: string) => void,
): void {
  const guard = (what: string) => (event: PreventableEvent, url: string) => {
    if (!isNavigationAllowed(url)) {
      event.preventDefault();
      onBlocked?.(what, url);
    }
  };
  contents.on('will-navigate', guard('navigation'));
  contents.on('will-frame-navigate', guard('frame navigation'));
  contents.on('will-redirect', guard('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onBlocked?.('webview', '');
  });
  contents.setWindowOpenHandler(({ url }) => {
    // Fire and forget: the wrapper itself refuses anything not allow-listed.
    openExternal(url).then(
      (opened) => {
        if (!opened) {
          onBlocked?.('window.open', url);
        }
      },
      () => onBlocked?.('window.open', url),
    );
    return { action: 'deny' };
  });
}
