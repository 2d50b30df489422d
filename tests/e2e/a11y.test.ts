import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server';
import { SIZES, WEB_DIR, axeSerious, launch, newContext, screenshot, screenshotSizes, signIn, watchErrors, type AxeFinding } from './browser';

const QUESTION = 'Thông qua Nghị quyết về kế hoạch đầu tư công năm 2027';

/**
 * Accessibility (axe-core: no serious or critical violation) on every main screen, keyboard focus in the
 * vote panel, and screenshots of each screen at 1366×768, 390×844 and 1920×1080 for the visual check.
 */
describe('accessibility and layout of the main screens in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const found: Record<string, AxeFinding[]> = {};

  async function open(username: string | null, viewport: { width: number; height: number } = SIZES.laptop): Promise<Page> {
    const ctx = await newContext(browser, viewport);
    contexts.push(ctx);
    const page = await ctx.newPage();
    watchErrors(page, errors);
    if (username) {
      await signIn(page, server.url, username);
    }
    return page;
  }

  async function check(page: Page, screen: string): Promise<void> {
    found[screen] = await axeSerious(page);
  }

  beforeAll(async () => {
    server = await startServer({ seed: 'demo', config: { webDir: WEB_DIR } });
    browser = await launch();
  });
  afterAll(async () => {
    for (const c of contexts) {
      await c.close().catch(() => undefined);
    }
    await browser?.close();
    await server?.close();
  });

  it('sign-in, meeting room, vote panel, chair console, secretariat and hall display: 0 serious/critical axe violations', async () => {
    // Sign-in.
    const login = await open(null);
    await login.goto(server.url);
    await login.getByLabel('Tên đăng nhập').waitFor();
    await check(login, 'sign-in');
    await screenshotSizes(login, '40-login');

    // Chair: console, session started, on the first item.
    const chair = await open('chair');
    await chair.getByRole('button', { name: 'Bàn điều hành' }).first().click();
    await chair.getByRole('heading', { name: 'Bàn điều hành của chủ tọa' }).waitFor();
    const meetingId = /\/meetings\/([0-9a-f-]{36})\/chair/.exec(chair.url())?.[1] ?? '';
    await chair.getByRole('button', { name: 'Khai mạc' }).click();
    await chair.getByText('Đang họp').first().waitFor();
    await chair.getByRole('button', { name: 'Nội dung tiếp' }).click();
    await chair.locator('.console-agenda .agenda-current').waitFor();
    await check(chair, 'chair console');
    await screenshotSizes(chair, '41-chair-console');

    // Delegate: the meeting room.
    const delegate = await open('delegate01');
    await delegate.getByRole('button', { name: 'Vào phòng họp' }).first().click();
    await delegate.getByRole('button', { name: 'Điểm danh có mặt' }).click();
    await delegate.getByText('Bạn đã điểm danh').waitFor();
    await check(delegate, 'meeting room');
    await screenshotSizes(delegate, '42-room');

    // Secretariat: the list with the new-meeting form, then the demo meeting's workspace.
    const sec = await open('secretary');
    await sec.getByRole('link', { name: 'Văn phòng – Thư ký' }).click();
    await sec.getByRole('heading', { name: 'Tạo cuộc họp mới' }).waitFor();
    await check(sec, 'secretariat list');
    await screenshotSizes(sec, '43-secretariat-list');
    await sec.getByRole('link', { name: /Kỳ họp thứ 12/ }).click();
    await sec.getByRole('heading', { name: /Thành phần tham dự/ }).waitFor();
    await check(sec, 'secretariat meeting');
    await screenshotSizes(sec, '44-secretariat-meeting');

    // Hall display.
    const display = await open('observer01', SIZES.hd);
    await display.goto(`${server.url}/display/${meetingId}`);
    await display.getByText('Nội dung đang thảo luận').waitFor();
    await check(display, 'hall display');

    // The chair opens a vote without quorum (with a reason): the hall sees that it was.
    await chair.getByLabel('Nội dung biểu quyết').fill(QUESTION);
    await chair.getByRole('button', { name: 'Mở biểu quyết' }).click();
    await chair.getByLabel('Lý do mở biểu quyết khi chưa đủ số lượng').fill('Kiểm thử khả năng tiếp cận');
    // One no-quorum warning on the console, not two.
    expect(await chair.getByText('Chưa đủ số đại biểu có mặt để biểu quyết.').count()).toBe(1);
    await chair.getByRole('button', { name: /Vẫn mở biểu quyết/ }).click();
    await chair.getByRole('button', { name: 'Kết thúc biểu quyết' }).waitFor();
    await check(chair, 'chair console, vote open');
    await display.getByText('Biểu quyết đang mở khi chưa đủ số lượng đại biểu có mặt', { exact: false }).waitFor();
    await check(display, 'hall display, vote open');
    await screenshotSizes(display, '45-display-voting');

    // Vote panel: choosing an option moves the focus into the confirmation.
    await delegate.getByText(QUESTION).first().waitFor();
    await check(delegate, 'vote panel');
    await screenshotSizes(delegate, '46-vote-panel');
    await delegate.getByRole('button', { name: 'Tán thành', exact: true }).focus();
    await delegate.keyboard.press('Enter');
    await delegate.getByRole('alertdialog').waitFor();
    await expect
      .poll(() => delegate.evaluate(() => Boolean(document.activeElement?.closest('[role="alertdialog"]'))))
      .toBe(true);
    await check(delegate, 'vote confirm');
    // The keyboard user confirms right where the focus landed.
    await delegate.keyboard.press('Enter');
    await delegate.getByText('Phiếu của bạn đã được ghi nhận').waitFor();
    await expect
      .poll(() => delegate.evaluate(() => Boolean(document.activeElement?.closest('.vote-panel'))))
      .toBe(true);

    // Reader at 1366×768 with thumbnails and notes open: the page area keeps most of the main column;
    // focus mode gives it the whole window and Escape gives it back.
    await delegate.setViewportSize(SIZES.laptop);
    await delegate.locator('.doc-card').first().click();
    await delegate.locator('.pdf-page[data-page="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    await delegate.getByRole('button', { name: 'Ghi chú' }).click();
    await delegate.locator('.notes').waitFor();
    const widths = await delegate.evaluate(() => ({
      scroll: document.querySelector('.reader-scroll')?.clientWidth ?? 0,
      main: document.querySelector('.room-main')?.clientWidth ?? 1,
    }));
    expect(widths.scroll / widths.main).toBeGreaterThan(0.62);
    await screenshotSizes(delegate, '47-reader-notes');
    await delegate.getByRole('button', { name: 'Toàn màn hình' }).click();
    await expect.poll(async () => Math.round((await delegate.locator('.reader').boundingBox())?.width ?? 0)).toBe(SIZES.laptop.width);
    await screenshot(delegate, '48-reader-focus-laptop');
    await delegate.keyboard.press('Escape');
    await expect.poll(async () => Math.round((await delegate.locator('.reader').boundingBox())?.width ?? 0)).toBeLessThan(SIZES.laptop.width - 100);

    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    expect(errors).toEqual([]);
    // A long walk through six screens at three sizes on a shared two-core machine.
  }, 400_000);
});
