/**
 * What the Electron preload imports from 'electron', for the desktop client run in Chromium
 * (desktop-host.ts): contextBridge puts the API on window as Electron's isolated world would, and
 * ipcRenderer.invoke goes to the test's Node process, where the real main-process handlers answer.
 * Payloads cross as ipc-wire.ts encodes them.
 */
import { fromWire, toWire, type Wire } from './ipc-wire';

declare global {
  interface Window {
    __ecabInvoke(channel: string, payload: Wire | undefined): Promise<Wire>;
  }
}

export const contextBridge = {
  exposeInMainWorld(name: string, api: unknown): void {
    Object.defineProperty(window, name, { value: Object.freeze(api), enumerable: false });
  },
};

export const ipcRenderer = {
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    return fromWire(await window.__ecabInvoke(channel, args.length === 0 ? undefined : toWire(args[0])));
  },
  // Main → page events (package sync progress) are not needed by these tests.
  on(): void {},
  removeListener(): void {},
};
