import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian Chromium driven by playwright-core. */
export const WEB_DIR = resolve(import.meta.dirname, '../../dist/web');
export const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

export function chromiumPath(): string {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(p)) {
    throw new Error(`Chromium not found at ${p}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return p;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function newContext(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  return browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
}

/** Signs in through the real login form and waits for the meetings list. */
export async function signIn(page: Page, baseUrl: string, username: string, path = '/'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill('demo1234');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Đăng xuất' }).count().catch(() => 0), { timeout: 15_000 }).toBeGreaterThan(0);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: false });
}

/** Fails the test on any uncaught page error or CSP violation (a strict-CSP client must have none). */
export function watchErrors(page: Page, sink: string[]): void {
  page.on('pageerror', (e) => sink.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) {
      sink.push(`csp: ${m.text()}`);
    }
  });
}

export interface AxeFinding {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: string[];
}

/** The part of axe-core's API used here, as it exists inside the page once its source ran. */
interface AxeInPage {
  run(context: Document, options: { resultTypes: string[] }): Promise<{
    violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
  }>;
}

/**
 * Runs axe-core in the page and returns the serious and critical violations. axe's source is evaluated
 * through the DevTools protocol (not a <script> tag), so the client's strict CSP stays as it is.
 */
export async function axeSerious(page: Page): Promise<AxeFinding[]> {
  const { source } = (await import('axe-core')).default;
  await page.evaluate(source);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: AxeInPage }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}

/** The three sizes the polish is checked at: laptop, phone, full HD. */
export const SIZES = {
  laptop: { width: 1366, height: 768 },
  phone: { width: 390, height: 844 },
  hd: { width: 1920, height: 1080 },
} as const;

/** One screenshot per size, named `<name>-<size>`. */
export async function screenshotSizes(page: Page, name: string): Promise<void> {
  const was = page.viewportSize();
  for (const [size, vp] of Object.entries(SIZES)) {
    await page.setViewportSize(vp);
    await screenshot(page, `${name}-${size}`);
  }
  if (was) {
    await page.setViewportSize(was);
  }
}
