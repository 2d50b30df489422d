/**
 * What the Electron preload imports from 'electron', for the desktop client run in Chromium
 * (desktop-host.ts): contextBridge puts the API on window as Electron's isolated world would, and
 * ipcRenderer.invoke goes to the test's Node process, where the real main-process handlers answer.
 * Bytes cross as { $bytes: base64 } because the page ↔ Node bridge carries JSON.
 */
type Wire = null | boolean | number | string | Wire[] | { [k: string]: Wire };

declare global {
  interface Window {
    __ecabInvoke(channel: string, payload: Wire | undefined): Promise<Wire>;
  }
}

function toWire(v: unknown): Wire {
  if (v instanceof Uint8Array) {
    let s = '';
    for (const b of v) {
      s += String.fromCharCode(b);
    }
    return { $bytes: btoa(s) };
  }
  if (Array.isArray(v)) {
    return v.map(toWire);
  }
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(x)]));
  }
  return v === undefined ? null : (v as Wire);
}

function fromWire(v: Wire): unknown {
  if (Array.isArray(v)) {
    return v.map(fromWire);
  }
  if (v && typeof v === 'object') {
    const bytes = v.$bytes;
    if (typeof bytes === 'string' && Object.keys(v).length === 1) {
      return Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0));
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromWire(x)]));
  }
  return v;
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
