import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server';
import { WEB_DIR, launch, newContext, screenshot, signIn, watchErrors } from './browser';

const QUESTION = 'Thông qua Nghị quyết về dự toán ngân sách xã năm 2027';

describe('live vote in Chromium: chair, three delegates and the hall display', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  async function open(username: string, viewport?: { width: number; height: number }): Promise<Page> {
    const ctx = await newContext(browser, viewport);
    contexts.push(ctx);
    const page = await ctx.newPage();
    watchErrors(page, errors);
    await signIn(page, server.url, username);
    return page;
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

  it('the chair opens a vote, three delegates vote (one changes), results reach everyone and the display', async () => {
    // Chair: console, start the session.
    const chair = await open('chair');
    await chair.getByRole('button', { name: 'Bàn điều hành' }).first().click();
    await chair.getByRole('heading', { name: 'Bàn điều hành của chủ tọa' }).waitFor();
    const meetingId = /\/meetings\/([0-9a-f-]{36})\/chair/.exec(chair.url())?.[1];
    expect(meetingId).toBeTruthy();
    await chair.getByRole('button', { name: 'Khai mạc' }).click();
    await chair.getByText('Đang họp').first().waitFor();
    await chair.getByRole('button', { name: 'Nội dung tiếp' }).click();
    await chair.locator('.console-agenda .agenda-current').waitFor();

    // Hall display (signed in as the secretary, no chrome).
    const displayCtx = await newContext(browser, { width: 1280, height: 720 });
    contexts.push(displayCtx);
    const display = await displayCtx.newPage();
    watchErrors(display, errors);
    await display.goto(`${server.url}/display/${meetingId}`);
    await display.getByLabel('Tên đăng nhập').fill('secretary');
    await display.getByLabel('Mật khẩu').fill('demo1234');
    await display.getByRole('button', { name: 'Đăng nhập' }).click();
    await display.getByText('Nội dung đang thảo luận').waitFor();
    await expect.poll(() => display.locator('.display-item-title').textContent()).toMatch(/Báo cáo tình hình kinh tế/);

    // Three delegates enter the room and check in.
    const delegates: Page[] = [];
    for (const name of ['delegate01', 'delegate02', 'delegate03']) {
      const p = await open(name);
      await p.getByRole('button', { name: 'Vào phòng họp' }).first().click();
      await p.getByRole('button', { name: 'Điểm danh có mặt' }).click();
      await p.getByText('Bạn đã điểm danh').waitFor();
      delegates.push(p);
    }
    const [d1, d2, d3] = delegates as [Page, Page, Page];
    // The agenda follows the chair's current item.
    await expect.poll(() => d1.locator('.agenda-sidebar [aria-current="step"]').textContent()).toMatch(/Báo cáo tình hình kinh tế/);

    // The chair opens a quick yes/no vote; without quorum, only with a recorded reason.
    await chair.getByLabel('Nội dung biểu quyết').fill(QUESTION);
    await chair.getByRole('button', { name: 'Mở biểu quyết' }).click();
    await chair.getByLabel('Lý do mở biểu quyết khi chưa đủ số lượng').fill('Kiểm thử: đại biểu khác dự họp trực tuyến');
    await chair.getByRole('button', { name: /Vẫn mở biểu quyết/ }).click();
    await chair.getByRole('button', { name: 'Kết thúc biểu quyết' }).waitFor();

    // Each delegate sees the panel, chooses, confirms and gets a receipt.
    const choices = ['Tán thành', 'Không tán thành', 'Không biểu quyết'];
    for (const [i, p] of delegates.entries()) {
      await p.getByText(QUESTION).waitFor();
      await p.getByRole('button', { name: choices[i], exact: true }).click();
      if (i === 0) {
        await screenshot(p, '10-vote-confirm');
      }
      await p.getByRole('button', { name: 'Xác nhận' }).click();
      await p.getByText('Phiếu của bạn đã được ghi nhận').waitFor();
    }
    await screenshot(d1, '11-vote-receipt');
    // A named vote may be changed until it closes.
    await d1.getByRole('button', { name: 'Thay đổi lựa chọn' }).click();
    await d1.getByRole('button', { name: 'Không tán thành', exact: true }).click();
    await d1.getByRole('button', { name: 'Xác nhận' }).click();
    await d1.getByText('Phiếu của bạn đã được ghi nhận').waitFor();
    await d1.getByText('Lựa chọn: Không tán thành').waitFor();

    await expect.poll(() => chair.locator('.big-progress').textContent()).toContain('3/');
    await expect.poll(() => display.locator('.display-progress').textContent()).toContain('3/');
    await screenshot(chair, '12-chair-console-voting');
    await screenshot(display, '13-display-voting');

    await chair.getByRole('button', { name: 'Kết thúc biểu quyết' }).click();

    // Results on every screen: 0 yes, 2 no, 1 abstain; not passed (needs more than half of all).
    const expectResult = async (p: Page) => {
      const fig = p.getByRole('figure', { name: `Kết quả: ${QUESTION}` });
      await fig.waitFor();
      await expect.poll(() => fig.locator('.bar-yes .bar-value').textContent()).toMatch(/^0\b/);
      await expect.poll(() => fig.locator('.bar-no .bar-value').textContent()).toMatch(/^2\b/);
      await expect.poll(() => fig.locator('.bar-abstain .bar-value').textContent()).toMatch(/^1\b/);
      await expect.poll(() => fig.locator('.verdict').textContent()).toBe('Không thông qua');
    };
    for (const p of [...delegates, chair, display]) {
      await expectResult(p);
    }
    await d2.getByText('Biểu quyết đã kết thúc; không nhận thêm phiếu.').waitFor();
    // The chair sees who did not vote: everyone eligible but the three delegates.
    await chair.getByText(/^Chưa biểu quyết \(\d+\)$/).waitFor();
    const notVoted = Number(/\((\d+)\)/.exec((await chair.getByText(/^Chưa biểu quyết \(\d+\)$/).textContent()) ?? '')?.[1]);
    const eligible = Number(/\/(\d+)/.exec((await chair.locator('.results-meta').first().textContent()) ?? '')?.[1]);
    expect(notVoted).toBe(eligible - 3);
    // Named vote: who voted what.
    await d3.getByText('Danh sách biểu quyết').click();
    await expect.poll(() => d3.locator('.named li').count()).toBe(3);
    await screenshot(d3, '14-delegate-result');
    await screenshot(display, '15-display-result');
    await screenshot(chair, '16-chair-console-result');

    // Tablet portrait: the room with the result.
    await d2.setViewportSize({ width: 768, height: 1024 });
    await screenshot(d2, '17-room-tablet-result');
    expect(errors).toEqual([]);
  });
});
