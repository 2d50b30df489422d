import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { NoteList } from '../../shared/api/notes';
import { startServer, type TestServer } from '../helpers/server';
import { WEB_DIR, launch, newContext, screenshot, signIn, watchErrors } from './browser';

const REPORT = 'Báo cáo tình hình kinh tế - xã hội năm 2026.pdf';
const SECRET = 'Danh sách nhân sự đề nghị bầu bổ sung (MẬT).pdf';

/** Dark pixels on a page's canvas: a blank (or never drawn) canvas has none. */
async function inkOnPage(page: Page, n: number): Promise<number> {
  return page.evaluate((pageNo) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`.pdf-page[data-page="${pageNo}"] canvas`);
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || canvas.width === 0) {
      return -1;
    }
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let dark = 0;
    for (let i = 0; i < data.length; i += 4 * 7) {
      if ((data[i] ?? 255) < 160 && (data[i + 1] ?? 255) < 160 && (data[i + 2] ?? 255) < 160) {
        dark++;
      }
    }
    return dark;
  }, n);
}

async function waitRendered(page: Page, n: number): Promise<void> {
  await page.locator(`.pdf-page[data-page="${n}"][data-rendered="true"]`).waitFor({ timeout: 30_000 });
}

describe('document reader in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startServer({ seed: 'demo', config: { webDir: WEB_DIR, loginBaseDelaySeconds: 60 } });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a delegate opens the 110-page report, reads page 1, jumps to page 50, searches and pages by keyboard', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    watchErrors(page, errors);
    await page.goto(server.url);
    await page.getByRole('heading', { name: /E-Cabinet/ }).waitFor();
    await screenshot(page, '01-login');
    await signIn(page, server.url, 'delegate01');
    await page.getByRole('heading', { name: 'Cuộc họp của tôi' }).waitFor();
    await page.getByText('Kỳ họp thứ', { exact: false }).first().waitFor();
    await screenshot(page, '02-meetings');
    // Package sync: every paper of the meeting onto this device (IndexedDB), with progress.
    await page.getByRole('button', { name: 'Tải tài liệu' }).click();
    await page.getByText('Đã tải đủ tài liệu').waitFor({ timeout: 30_000 });
    expect(Number(await page.getByRole('progressbar', { name: 'Tiến độ tải tài liệu' }).getAttribute('value'))).toBe(1);
    // Writes to IndexedDB are off the reader's critical path, so they may land a moment later.
    const cachedInIndexedDb = () =>
      page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const req = indexedDB.open('ecab');
            req.onsuccess = () => {
              const keys = req.result.transaction('documents').objectStore('documents').getAllKeys();
              keys.onsuccess = () => resolve(keys.result.length);
            };
          }),
      );
    await expect.poll(cachedInIndexedDb).toBeGreaterThanOrEqual(5);

    await page.getByRole('button', { name: 'Vào phòng họp' }).first().click();
    await page.getByRole('navigation', { name: 'Chương trình' }).waitFor();
    await page.getByRole('button', { name: `Mở tài liệu ${REPORT}` }).waitFor();
    await screenshot(page, '03-room');

    await page.getByRole('button', { name: `Mở tài liệu ${REPORT}` }).click();
    await waitRendered(page, 1);
    expect(await inkOnPage(page, 1)).toBeGreaterThan(200);
    await expect.poll(() => page.locator('.reader').getAttribute('data-first-page-ms')).not.toBeNull();
    await expect.poll(() => page.getByText('/ 110').count()).toBe(1);

    await page.getByLabel('Số trang').fill('50');
    await page.getByRole('button', { name: 'Đến', exact: true }).click();
    await waitRendered(page, 50);
    expect(await inkOnPage(page, 50)).toBeGreaterThan(200);
    await expect.poll(() => page.getByLabel('Số trang').inputValue()).toBe('50');
    // Only pages near the viewport hold a canvas (render only visible pages).
    const canvases = await page.locator('.pdf-page canvas').count();
    expect(canvases).toBeLessThan(10);
    await screenshot(page, '04-reader-page-50');

    // Keyboard paging from the page area.
    await page.getByLabel('Các trang tài liệu').focus();
    await page.keyboard.press('PageDown');
    await expect.poll(() => page.getByLabel('Số trang').inputValue()).toBe('51');

    // Zoom and fit width.
    const before = await page.locator('.pdf-page[data-page="51"]').boundingBox();
    await page.getByRole('button', { name: 'Phóng to' }).click();
    await expect.poll(async () => (await page.locator('.pdf-page[data-page="51"]').boundingBox())?.width ?? 0).toBeGreaterThan((before?.width ?? 0) + 10);
    await page.getByRole('button', { name: 'Vừa chiều rộng' }).click();
    await expect.poll(async () => Math.round((await page.locator('.pdf-page[data-page="51"]').boundingBox())?.width ?? 0)).toBe(Math.round(before?.width ?? 0));

    // Search with highlights (diacritics-insensitive).
    await page.getByLabel('Tìm trong tài liệu').fill('ngân sách');
    await page.getByText(/kết quả trên \d+ trang/).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('mark.hit').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await screenshot(page, '05-reader-search');

    // Private note on a page survives closing and reopening the document.
    await page.getByRole('button', { name: 'Ghi chú' }).click();
    const note = page.getByLabel(/Ghi chú riêng – trang/);
    await note.fill('Hỏi lại số liệu thu ngân sách');
    await page.getByRole('button', { name: 'Lưu ghi chú' }).click();
    await page.getByText('Đã lưu').waitFor();
    await page.getByRole('button', { name: 'Đóng' }).click();
    await page.getByRole('button', { name: `Mở tài liệu ${REPORT}` }).click();
    await waitRendered(page, 1);
    await page.getByRole('button', { name: 'Ghi chú' }).click();
    await page.getByText(/Có ghi chú ở trang/).waitFor();
    await page.getByRole('button', { name: 'Đóng' }).click();

    // A confidential paper carries the reader's name as a watermark.
    await page.getByRole('button', { name: /Bầu bổ sung Ủy viên/ }).click();
    await page.getByRole('button', { name: `Mở tài liệu ${SECRET}` }).click();
    await waitRendered(page, 1);
    const who = (await page.locator('.who strong').textContent()) ?? '';
    expect(who.length).toBeGreaterThan(3);
    await expect.poll(() => page.locator('.pdf-page[data-page="1"] .watermark').first().textContent()).toContain(who);
    await screenshot(page, '06-reader-confidential');

    // The connection state is always visible: offline, then back online without a reload.
    await ctx.setOffline(true);
    await expect.poll(() => page.locator('.app-header [role="status"]').textContent()).toContain('Mất kết nối');
    await ctx.setOffline(false);
    await expect.poll(() => page.locator('.app-header [role="status"]').textContent(), { timeout: 20_000 }).toContain('Trực tuyến');

    // Tablet portrait.
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.getByRole('button', { name: 'Đóng' }).click();
    await screenshot(page, '07-room-tablet');
    await ctx.close();
    expect(errors).toEqual([]);
  });

  it('syncs private notes: written in one browser, shown to the same user in another, never to others; offline edits pushed on reconnect', async () => {
    const openNotes = async (username: string) => {
      const ctx = await newContext(browser);
      const page = await ctx.newPage();
      watchErrors(page, errors);
      await signIn(page, server.url, username);
      await page.getByRole('button', { name: 'Vào phòng họp' }).first().click();
      await page.getByRole('button', { name: `Mở tài liệu ${REPORT}` }).click();
      await waitRendered(page, 1);
      // The panel's first sync with the server: what this user's notes are, as the server says.
      const synced = page.waitForResponse((r) => r.request().method() === 'GET' && /\/api\/documents\/[^/]+\/notes$/.test(new URL(r.url()).pathname));
      await page.getByRole('button', { name: 'Ghi chú' }).click();
      return { ctx, page, note: page.getByLabel('Ghi chú riêng – trang 1'), synced };
    };
    const state = (page: Page) => page.locator('[data-note-state]').getAttribute('data-note-state');

    const a = await openNotes('delegate05');
    await a.note.fill('Đề nghị làm rõ chỉ tiêu giảm nghèo');
    await a.note.blur();
    await expect.poll(() => state(a.page), { timeout: 15_000 }).toBe('synced');

    // The same user in another browser (another device): the note is there.
    const b = await openNotes('delegate05');
    await expect.poll(() => b.note.inputValue(), { timeout: 15_000 }).toBe('Đề nghị làm rõ chỉ tiêu giảm nghèo');
    // Another delegate sees nothing of it.
    const c = await openNotes('delegate06');
    // Positive signal: the panel has had the server's answer, and it holds none of delegate05's notes.
    const theirs = NoteList.parse(await (await c.synced).json());
    expect(theirs.notes).toEqual([]);
    expect(await c.note.inputValue()).toBe('');
    await c.ctx.close();

    // Edited offline: kept on the device, marked pending, pushed when the connection is back.
    await a.ctx.setOffline(true);
    await a.note.fill('Sửa khi mất mạng');
    await a.note.blur();
    await expect.poll(() => state(a.page)).toBe('pending');
    await a.ctx.setOffline(false);
    await expect.poll(() => state(a.page), { timeout: 30_000 }).toBe('synced');
    await b.page.getByRole('button', { name: 'Đóng' }).click();
    await b.page.getByRole('button', { name: `Mở tài liệu ${REPORT}` }).click();
    await waitRendered(b.page, 1);
    await b.page.getByRole('button', { name: 'Ghi chú' }).click();
    await expect.poll(() => b.note.inputValue(), { timeout: 15_000 }).toBe('Sửa khi mất mạng');
    await screenshot(b.page, '09-reader-notes-synced');
    await a.ctx.close();
    await b.ctx.close();
    expect(errors).toEqual([]);
  });

  it('shows clear sign-in errors: wrong password (401), then the source is slowed down (429), even for the right password', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(server.url);
    // Six wrong passwords: the first five are free, the sixth sets this source's delay for the account
    // (loginBaseDelaySeconds, 60 s here so the next attempt surely falls inside it).
    for (let i = 0; i < 6; i++) {
      await page.getByLabel('Tên đăng nhập').fill('delegate30');
      await page.getByLabel('Mật khẩu').fill(`wrong-password-${i}`);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.getByRole('alert').waitFor();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Sai tên đăng nhập/);
      // The alert is re-rendered per attempt; wait until the form is free again before the next one.
      await page.getByRole('button', { name: 'Đăng nhập' }).and(page.locator(':enabled')).waitFor();
    }
    await page.getByLabel('Mật khẩu').fill('demo1234');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Quá nhiều lần thử/);
    await screenshot(page, '08-login-throttled');
    await ctx.close();
  });
});
