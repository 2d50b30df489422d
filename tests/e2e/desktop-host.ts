import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { build } from 'vite';
import { ipc } from '../../shared/ipc';
import type { DesktopMain } from '../helpers/desktop-main';
import { fromWire, toWire, type Wire } from './ipc-wire';

/**
 * The desktop client without the Electron binary (it cannot be downloaded on the build machines): the
 * real preload (electron/preload/index.ts, bundled with 'electron' replaced by electron-shim.ts) runs
 * in Chromium before the renderer, so the renderer takes its Electron code paths; each IPC call
 * reaches the real main-process handlers and services (tests/helpers/desktop-main.ts: vault,
 * session, cache) in the test's Node process. Only the Electron shell itself is left out.
 */
let preloadSource: Promise<string> | null = null;

async function bundlePreload(): Promise<string> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const out = await build({
    configFile: false,
    root,
    logLevel: 'warn',
    resolve: { alias: { electron: fileURLToPath(new URL('./electron-shim.ts', import.meta.url)) } },
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      lib: { entry: `${root}electron/preload/index.ts`, formats: ['iife'], name: 'ecabPreload' },
    },
  });
  const first = (Array.isArray(out) ? out[0] : out) as { output: { type: string; code?: string }[] } | undefined;
  const chunk = first?.output.find((o) => o.type === 'chunk');
  if (!chunk?.code) {
    throw new Error('preload bundle produced no code');
  }
  return chunk.code;
}

const keyByChannel = new Map<string, keyof typeof ipc>(Object.entries(ipc).map(([key, c]): [string, keyof typeof ipc] => [c.name, key as keyof typeof ipc]));

/** Makes every page of `context` a desktop client wired to `main`. */
export async function asDesktop(context: BrowserContext, main: DesktopMain): Promise<void> {
  preloadSource ??= bundlePreload();
  await context.exposeFunction('__ecabInvoke', async (channel: string, payload: Wire | null) => {
    const key = keyByChannel.get(channel);
    if (!key) {
      return toWire({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: channel } });
    }
    return toWire(await main.invoke(key, payload === null ? undefined : fromWire(payload)));
  });
  await context.addInitScript({ content: await preloadSource });
}
