import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeetingList } from '../../shared/api/meetings';
import { Api } from '../helpers/http';
import { startServer, type TestServer } from '../helpers/server';

/**
 * The real desktop app, run only by `npm run test:electron` where the Electron binary
 * exists (tests/electron/run.ts sets ELECTRON_BINARY; elsewhere it prints SKIPPED).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('desktop app (real Electron)', () => {
  let srv: TestServer;
  let app: ElectronApplication;
  let page: Page;
  let userData: string;

  beforeAll(async () => {
    const bin = process.env.ELECTRON_BINARY;
    if (!bin) {
      throw new Error('ELECTRON_BINARY is not set: run this suite through `npm run test:electron`');
    }
    srv = await startServer({ seed: 'demo' });
    userData = mkdtempSync(join(tmpdir(), 'ecab-electron-'));
    app = await electron.launch({
      executablePath: bin,
      args: [join(root, 'out/main/index.js')],
      env: { ...process.env, ECAB_SERVER_URL: srv.url, ECAB_USER_DATA: userData },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });
  afterAll(async () => {
    await app?.close();
    await srv?.close();
    if (userData) {
      rmSync(userData, { recursive: true, force: true });
    }
  });

  it('serves the renderer from app:// with no Node in the page', async () => {
    expect(page.url()).toMatch(/^app:\/\/ecabinet\//);
    expect(await page.evaluate('typeof require')).toBe('undefined');
    expect(await page.evaluate('typeof process')).toBe('undefined');
    expect(await page.evaluate('window.ecab.kind')).toBe('electron');
    expect(await page.evaluate('Object.keys(window.ecab).sort().join(",")')).toBe(
      'documents,kind,notes,notifications,packages,serverUrl,session,settings,signing',
    );
  });

  it('enforces the CSP (no eval) and refuses navigation and new windows', async () => {
    expect(
      await page.evaluate('(() => { try { eval("1"); return "ran"; } catch { return "blocked"; } })()'),
    ).toBe('blocked');
    expect(await page.evaluate('window.open("https://example.com/") === null')).toBe(true);
    // Positive signal: a listener added now runs after the app's guard (added when the window was
    // made), so once it has seen the attempt the guard has already judged it.
    await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]?.webContents;
      (globalThis as { navSeen?: Promise<string> }).navSeen = new Promise((resolve) => contents?.once('will-navigate', (_e, url) => resolve(url)));
    });
    await page.evaluate('location.href = "https://example.com/"');
    expect(await app.evaluate(() => (globalThis as { navSeen?: Promise<string> }).navSeen)).toBe('https://example.com/');
    expect(await page.evaluate('location.protocol')).toBe('app:');
    expect(page.url()).toMatch(/^app:\/\/ecabinet\//);
    expect(app.windows()).toHaveLength(1);
  });

  it('syncs a meeting package over the preload API and reads it back', async () => {
    const delegate = await new Api(srv.url).login('delegate01');
    const meeting = MeetingList.parse((await delegate.get('/api/meetings')).body).meetings[0];
    expect(meeting).toBeDefined();
    expect(await page.evaluate('window.ecab.serverUrl()')).toBe(srv.url);
    // The main process signs in itself; the page then names only meetings and documents.
    const signedIn = (await page.evaluate(
      `window.ecab.session.signIn(${JSON.stringify(srv.url)}, 'delegate01', 'demo1234').then((r) => r.ok)`,
    )) as boolean;
    expect(signedIn).toBe(true);
    const summary = (await page.evaluate(`window.ecab.packages.sync(${JSON.stringify(meeting?.id)})`)) as {
      ok: boolean;
      value: { downloaded: number };
    };
    expect(summary.ok).toBe(true);
    expect(summary.value.downloaded).toBeGreaterThan(0);
    const manifest = (await delegate.get(`/api/meetings/${meeting?.id}/package`)).body as {
      documents: { id: string; sha256: string; size: number; url: string }[];
    };
    const doc = manifest.documents[0];
    const ref = JSON.stringify({ meetingId: meeting?.id, id: doc?.id, sha256: doc?.sha256, size: doc?.size, url: doc?.url });
    const head = await page.evaluate(
      `window.ecab.documents.get(${ref}).then((r) => r.ok ? String.fromCharCode(...r.value.slice(0, 4)) : r.error.code)`,
    );
    expect(head).toBe('%PDF');
  });
});
