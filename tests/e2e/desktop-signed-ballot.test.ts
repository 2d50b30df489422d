import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meetings, namedBallots } from '../../server/db/schema';
import { initCa } from '../../server/signatures/ca';
import { signerFromPkcs12 } from '../../server/signatures/p12';
import { IssueCertificateResponse } from '../../shared/signatures/api';
import { startDesktopMain, type DesktopMain } from '../helpers/desktop-main';
import { Api } from '../helpers/http';
import { startServer, type TestServer } from '../helpers/server';
import { createSoftToken, softHsmMissing, type SoftToken } from '../helpers/softhsm';
import { connectAs, ok, roomFixture, type RoomFixture } from '../integration/room-helpers';
import { WEB_DIR, launch, newContext, screenshot, watchErrors } from './browser';
import { asDesktop } from './desktop-host';

const missing = softHsmMissing();
if (missing) {
  console.warn(`SKIPPED desktop signed-ballot e2e: ${missing}`);
}

/**
 * A delegate of a meeting that requires signed ballots votes from the desktop client: the real
 * renderer and preload in Chromium, the real main-process vault in this process, the key on a real
 * PKCS#11 token (SoftHSM2), the real server verifying the CMS before it counts the ballot.
 */
describe.skipIf(missing !== null)('signed ballot through the desktop renderer with a USB token', () => {
  let server: TestServer;
  let browser: Browser;
  let main: DesktopMain;
  let token: SoftToken;
  let f: RoomFixture;
  let pollId: string;
  const dir = mkdtempSync(join(tmpdir(), 'ecab-desktop-e2e-'));

  beforeAll(async () => {
    server = await startServer({ seed: 'demo', config: { webDir: WEB_DIR } });
    const db = server.server.ctx.db;
    f = await roomFixture(db, { delegates: 2 });
    await db.update(meetings).set({ requireSignedBallots: true }).where(eq(meetings.id, f.meetingId));
    await initCa(server.dataDir, { name: 'CA HĐND Demo', organization: 'HĐND xã Tà Xùa', keyBits: 2048 });
    const admin = await new Api(server.url).login('admin');
    const issued = await admin.post('/api/signatures/certificates', { userId: f.userIds.get('delegate01'), password: 'p12-password' });
    const key = signerFromPkcs12(Buffer.from(IssueCertificateResponse.parse(issued.body).pkcs12Base64, 'base64'), 'p12-password');
    // The CA delivers the delegate's key on a token; the desktop vault only learns where it is.
    token = createSoftToken({ label: 'Dai bieu 01', keyPem: key.keyPem, certDer: key.certificates[0] ?? new Uint8Array(), pin: '246810' });
    main = await startDesktopMain({ dir, serverUrl: server.url });
    main.answer = true;
    browser = await launch();

    const chair = await connectAs(server.url, f, 'chair');
    const secretary = await connectAs(server.url, f, 'secretary');
    for (const c of [chair, secretary]) {
      await c.join(f.meetingId);
    }
    ok(await chair.request('meeting:start', { meetingId: f.meetingId }));
    ok(await chair.request('agenda:setCurrent', { meetingId: f.meetingId, itemId: f.itemId }));
    ok(await chair.request('attendance:checkIn', { meetingId: f.meetingId }));
    pollId = ok(await secretary.request('poll:create', { meetingId: f.meetingId, title: 'Thông qua dự toán (ký số)', kind: 'yes_no_abstain' })).poll.pollId;
    ok(await chair.request('poll:open', { meetingId: f.meetingId, pollId, overrideQuorumReason: 'Kiểm thử ký số trên ứng dụng' }));
    chair.close();
    secretary.close();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    token?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets up the token, refuses a wrong PIN, signs with the right one; the server counts the verified ballot', async () => {
    const errors: string[] = [];
    const ctx = await newContext(browser);
    await asDesktop(ctx, main);
    const page = await ctx.newPage();
    watchErrors(page, errors);
    await page.goto(server.url);
    // The desktop sign-in: the main process signs in itself (its server URL comes from its settings).
    await page.getByLabel('Tên đăng nhập').fill('delegate01');
    await page.getByLabel('Mật khẩu').fill('demo1234');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
    await page.goto(`${server.url}/meetings/${f.meetingId}`);

    await page.getByText('Kỳ họp này yêu cầu ký số phiếu biểu quyết').waitFor();
    await page.getByText('Thiết lập chữ ký số trên máy này').click();
    await page.getByLabel(/Trình điều khiển token/).fill('relative/libnot-a-path.so');
    await page.getByRole('button', { name: 'Tìm chứng thư trên token' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/đường dẫn đầy đủ/);
    await page.getByLabel(/Trình điều khiển token/).fill(token.module);
    await page.getByRole('button', { name: 'Tìm chứng thư trên token' }).click();
    await page.getByRole('radio').first().waitFor();
    await screenshot(page, '40-desktop-token-select');
    await page.getByRole('button', { name: 'Dùng chứng thư này' }).click();

    await page.getByRole('button', { name: 'Tán thành', exact: true }).click();
    const pin = page.getByLabel('Mã PIN của USB ký số');
    await expect.poll(() => pin.evaluate((el) => el === document.activeElement)).toBe(true);
    const send = page.getByRole('button', { name: 'Ký số và gửi phiếu' });
    expect(await send.isDisabled()).toBe(true);
    await pin.fill('135790');
    await send.click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Sai mã PIN/);
    expect(await server.server.ctx.db.select().from(namedBallots).where(eq(namedBallots.pollId, pollId))).toEqual([]);

    await pin.fill(token.pin);
    await screenshot(page, '41-desktop-signed-ballot-pin');
    await send.click();
    await page.getByText('Phiếu của bạn đã được ghi nhận').waitFor();

    // The main process asked the person at the screen before the token signed (native dialog there).
    const asked = main.confirmations.filter((c) => c.kind === 'ballot');
    expect(asked.at(-1)?.what).toContain(`choice yes · poll ${pollId}`);
    const rows = await server.server.ctx.db.select().from(namedBallots).where(eq(namedBallots.pollId, pollId));
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]?.choice ?? 'null')).toEqual(['yes']);
    expect(rows[0]?.signature?.length ?? 0).toBeGreaterThan(100);
    await ctx.close();
    expect(errors).toEqual([]);
  });
});
