import type { PlatformAdapter } from '../../../shared/platform';
import { webPlatform } from './web';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    ecab?: PlatformAdapter;
  }
}

/** The host's adapter: the Electron preload's when present, else the web one. */
export const platform: PlatformAdapter = typeof window !== 'undefined' && window.ecab ? window.ecab : webPlatform;
