import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server';
import { Api } from '../helpers/http';
import { RoomClient } from '../../shared/room/client';
import { WEB_DIR, launch, newContext, screenshot, signIn, watchErrors } from './browser';

const ELECTION = 'Bầu Trưởng Ban Kinh tế – Xã hội (phiếu giấy)';

describe('paper ballots and exports in Chromium: the chair enters the counting committee figures, the secretary exports', () => {
  let server: TestServer;
  let browser: Browser;
  let room: RoomClient | null = null;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  async function open(username: string): Promise<Page> {
    const ctx = await newContext(browser);
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
    room?.close();
    for (const c of contexts) {
      await c.close().catch(() => undefined);
    }
    await browser?.close();
    await server?.close();
  });

  it('enters a paper count with a clear error first, shows it as entered by hand, and exports it as CSV with a BOM', async () => {
    const chair = await open('chair');
    await chair.getByRole('button', { name: 'Bàn điều hành' }).first().click();
    await chair.getByRole('heading', { name: 'Bàn điều hành của chủ tọa' }).waitFor();
    const meetingId = /\/meetings\/([0-9a-f-]{36})\/chair/.exec(chair.url())?.[1] ?? '';
    await chair.getByRole('button', { name: 'Khai mạc' }).click();
    await chair.getByRole('button', { name: 'Nội dung tiếp' }).click();
    await chair.locator('.console-agenda .agenda-current').waitFor();

    // The secretariat prepared a secret election for the current item.
    const secretary = await new Api(server.url).login('secretary');
    room = new RoomClient({ url: server.url, token: secretary.token ?? '', ackTimeoutMs: 15_000 });
    await room.connect();
    await room.join(meetingId);
    const created = await room.request('poll:create', { meetingId, title: ELECTION, kind: 'election', candidates: ['Lò Văn Pọm', 'Thào Thị Dợ'], maxChoices: 1, secret: true });
    expect(created.ok).toBe(true);

    await chair.getByRole('button', { name: `Nhập kết quả phiếu giấy: ${ELECTION}` }).click();
    const form = chair.locator('form.paper-form');
    await form.getByLabel('Số phiếu phát ra').fill('20');
    await form.getByLabel('Số phiếu thu về').fill('21');
    await form.getByLabel('Số phiếu không hợp lệ').fill('1');
    await form.getByRole('button', { name: 'Lưu kết quả' }).click();
    await form.getByRole('alert').filter({ hasText: 'Số phiếu thu về không được lớn hơn số phiếu phát ra.' }).waitFor();
    await form.getByLabel('Số phiếu thu về').fill('20');
    await form.getByLabel('Lò Văn Pọm').fill('15');
    await form.getByLabel('Thào Thị Dợ').fill('4');
    await form.getByLabel(/Biên bản kiểm phiếu/).fill('Biên bản kiểm phiếu số 02');
    await form.getByRole('button', { name: 'Lưu kết quả' }).click();
    const results = chair.getByRole('figure', { name: new RegExp(ELECTION.replace(/[()]/g, '.')) });
    await results.getByText(/Kiểm phiếu bằng phiếu giấy, .* nhập tay lúc .*: phát ra 20, thu về 20, không hợp lệ 1\./).waitFor();
    // 15 of 30-odd members is not more than half of all members: shown like any result, not elected.
    await expect.poll(() => results.locator('.bar-row').first().textContent()).toMatch(/Lò Văn Pọm\s*15/);
    await expect.poll(() => results.locator('.verdict').textContent()).toBe('Không ai trúng cử');
    await results.scrollIntoViewIfNeeded();
    await screenshot(chair, 'paper-result-chair');

    // The secretary downloads the vote results.
    const sec = await open('secretary');
    await sec.getByRole('link', { name: 'Văn phòng – Thư ký' }).click();
    await sec.getByRole('link', { name: /Kỳ họp thứ 12/ }).click();
    await sec.getByRole('heading', { name: 'Xuất dữ liệu cuộc họp' }).waitFor();
    const [download] = await Promise.all([sec.waitForEvent('download'), sec.getByRole('button', { name: 'Kết quả biểu quyết (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('votes.csv');
    const bytes = readFileSync((await download.path()) ?? '');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).toContain(ELECTION);
    expect(text).toContain('Phiếu giấy (nhập tay)');
    expect(text).toMatch(/Lò Văn Pọm,15,[\d.]+,Không trúng cử/);
    expect(errors).toEqual([]);
  });
});
