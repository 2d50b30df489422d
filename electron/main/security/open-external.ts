import { isExternalUrlAllowed } from './url-guards';

export type OpenExternal = (url: string) => Promise<void>;

/**
 * The one and only way the app opens a link in the system browser (Bitwarden style wrapper,
 * Checklist 15). `open` is electron's shell.openExternal, injected so this stays testable.
 */
export function createSafeOpenExternal(open: OpenExternal, hosts?: readonly string[]) {
  return async (url: string): Promise<boolean> => {
    if (!isExternalUrlAllowed(url, hosts)) {
      return false;
    }
    // Re-serialise: the browser gets the normalised URL we checked, not the raw string.
    await open(new URL(url).toString());
    return true;
  };
}
