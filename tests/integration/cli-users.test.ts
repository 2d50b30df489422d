import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { z } from 'zod';
import { Api } from '../helpers/http';
import { freshPostgresDatabase, startServer, storages, type TestServer } from '../helpers/server';
import { PublicUser } from '../../shared/api/auth';

interface Run {
  code: number;
  out: string;
  err: string;
}

// Every test here starts several CLI processes (each loads tsx, the database driver and, on PGlite, the
// WASM engine): on a loaded 2-core machine that is tens of seconds per test, so the bound is wider.
vi.setConfig({ testTimeout: 180_000 });

const UserList = z.array(z.object({ username: z.string(), displayName: z.string(), role: z.string(), title: z.string().nullable() }));
const CouncilList = z.array(z.object({ id: z.uuid(), name: z.string(), quorumNum: z.number(), quorumDen: z.number(), members: z.number() }));

describe.each(storages())('cli users, councils and members on %s', (storage) => {
  let dataDir: string;
  let databaseUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  let councilId: string;

  /**
   * The real CLI in its own process, as `npm run cli -- …` runs it (`tsx server/cli/main.ts`);
   * `node --import tsx` is the same loader without the npx and tsx wrapper processes (≈ 1.5 s each).
   */
  function cli(...args: string[]): Promise<Run> {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    if (databaseUrl) {
      env.DATABASE_URL = databaseUrl;
    }
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', ...args, '--data', dataDir], { env, timeout: 150_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, out: stdout, err: stderr });
      });
    });
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ecab-cli-'));
    if (storage === 'postgres') {
      const fresh = await freshPostgresDatabase();
      databaseUrl = fresh.url;
      drop = fresh.drop;
    } else {
      cpSync(inject('pgliteTemplateEmpty'), dataDir, { recursive: true });
    }
  });
  afterAll(async () => {
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Checks that never reach the database run once, not per storage (each CLI process costs seconds).
  const once = storage === 'pglite';

  it.runIf(once)('lists its commands and refuses bad flags with usage, before touching storage', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const c of ['user add', 'user list', 'user reset-password', 'members import', 'council create', 'council list']) {
      expect(help.out).toContain(c);
    }
    const bad = await cli('user', 'list', '--frobnicate');
    expect(bad.code).toBe(2);
    const quorum = await cli('council', 'create', '--name', 'X', '--quorum', '5/4');
    expect(quorum.code).toBe(2);
    expect(quorum.err).toContain('--quorum');
    expect((await cli('council', 'create')).code).toBe(2);
    const role = await cli('user', 'add', '--username', 'x1', '--name', 'X', '--role', 'king', '--password', 'secret-123');
    expect(role.code).toBe(2);
    expect(role.err).toContain('--role');
    const short = await cli('user', 'add', '--username', 'x2', '--name', 'X', '--role', 'delegate', '--password', 'short');
    expect(short.code).toBe(2);
    expect(short.err).toContain('--password');
  });

  it('creates and lists councils', async () => {
    const made = await cli('council', 'create', '--name', 'Hội đồng nhân dân xã Bản Công', '--quorum', '3/4');
    expect(made.code, made.err).toBe(0);
    councilId = made.out.trim().split('\n').pop() ?? '';
    expect(z.uuid().safeParse(councilId).success).toBe(true);
    const list = CouncilList.parse(JSON.parse((await cli('council', 'list', '--json')).out));
    expect(list).toEqual([expect.objectContaining({ id: councilId, name: 'Hội đồng nhân dân xã Bản Công', quorumNum: 3, quorumDen: 4, members: 0 })]);
  });

  it('adds users (generating a password when none is given) and refuses duplicates', async () => {
    const ok = await cli('user', 'add', '--username', 'thuky', '--name', 'Lê Thị Thu Hằng', '--role', 'secretary', '--password', 'secret-123', '--title', 'Thư ký');
    expect(ok.code, ok.err).toBe(0);
    const gen = await cli('user', 'add', '--username', 'quantri', '--name', 'Quản trị', '--role', 'admin');
    expect(gen.code).toBe(0);
    expect(gen.out).toMatch(/Password: [A-Za-z0-9_-]{16}/);
    const dup = await cli('user', 'add', '--username', 'thuky', '--name', 'Ai đó', '--role', 'delegate', '--password', 'secret-123');
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('taken');
  });

  it('imports members from a UTF-8 CSV (BOM, CRLF, quotes) in one go', async () => {
    const csv = join(dataDir, 'members.csv');
    writeFileSync(
      csv,
      '\uFEFFusername,displayName,role,title,password\r\n' +
        'dbnguyen,Nguyễn Thị Bích,delegate,"Đại biểu HĐND xã, Tổ trưởng tổ 3",mat-khau-123\r\n' +
        'dbtran,Trần Văn Đức,delegate,,\r\n' +
        'thuky,Lê Thị Thu Hằng,secretary,Thư ký,\r\n',
    );
    const r = await cli('members', 'import', '--csv', csv, '--council', councilId);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('2 new account(s), 1 existing');
    expect(r.out).toMatch(/dbtran [A-Za-z0-9_-]{16}/);
    const users = UserList.parse(JSON.parse((await cli('user', 'list', '--json')).out));
    expect(users.find((u) => u.username === 'dbnguyen')).toMatchObject({ displayName: 'Nguyễn Thị Bích', title: 'Đại biểu HĐND xã, Tổ trưởng tổ 3', role: 'delegate' });
    const councils = CouncilList.parse(JSON.parse((await cli('council', 'list', '--json')).out));
    expect(councils[0]?.members).toBe(3);
  });

  it.runIf(once)('reports every bad line and imports nothing from a file with errors', async () => {
    const csv = join(dataDir, 'bad.csv');
    writeFileSync(
      csv,
      'username,displayName,role,title\n' +
        'hople,Hồ Văn Lợi,delegate,\n' +
        'Bad Name,Phạm Văn A,delegate,\n' +
        'nodisplay,,delegate,\n' +
        'badrole,Vũ Thị B,king,\n' +
        'hople,Trùng Tên,delegate,\n',
    );
    const r = await cli('members', 'import', '--csv', csv, '--council', councilId);
    expect(r.code).toBe(1);
    expect(r.err).toContain('nothing was imported');
    for (const line of ['line 3: username', 'line 4: displayName', 'line 5: role', 'line 6: username hople already appears on line 2']) {
      expect(r.err).toContain(line);
    }
    const users = UserList.parse(JSON.parse((await cli('user', 'list', '--json')).out));
    expect(users.map((u) => u.username)).not.toContain('hople');
    const noCouncil = await cli('members', 'import', '--csv', csv, '--council', '00000000-0000-4000-8000-000000000000');
    expect(noCouncil.code).toBe(1);
  });

  it('resets a password; the imported and reset accounts sign in on the real server', async () => {
    const r = await cli('user', 'reset-password', '--username', 'dbtran');
    expect(r.code, r.err).toBe(0);
    const password = /Password: (\S+)/.exec(r.out)?.[1] ?? '';
    expect((await cli('user', 'reset-password', '--username', 'ghost')).code).toBe(1);

    let srv: TestServer | undefined;
    try {
      srv = await startServer({ storage, dataDir, databaseUrl });
      const api = new Api(srv.url);
      const tran = await api.login('dbtran', password);
      expect(PublicUser.parse((await tran.get('/api/me')).body).displayName).toBe('Trần Văn Đức');
      await api.login('dbnguyen', 'mat-khau-123');
      await api.login('thuky', 'secret-123');
    } finally {
      await srv?.close();
    }
  });
});
