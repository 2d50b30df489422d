import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signBallot } from '../../server/signatures/ballot-sign';
import { signerFromPkcs12 } from '../../server/signatures/p12';
import { VerifyReport } from '../../shared/signatures/report';
import { samplePdf } from '../unit/signatures-fixtures';
import { signatureCommands } from '../../server/cli/commands/signatures';
import { CliUsageError } from '../../server/cli/registry';

const dir = mkdtempSync(join(tmpdir(), 'ecab-sigcli-'));
const data = join(dir, 'data');

/**
 * Runs a CLI command in-process, through the same command objects `npm run cli` dispatches to
 * (a child process per call costs seconds of tsx start-up on a loaded 2-core CI machine); one test
 * below goes through the real entry point as a child process.
 */
async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const words = args.slice(0, 2).join(' ');
  const cmd = signatureCommands.find((c) => c.name === words);
  if (!cmd) {
    throw new Error(`no command ${words}`);
  }
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
  try {
    const code = await cmd.run(['--data', data, ...args.slice(2)], io);
    return { code, out: lines.join('\n') };
  } catch (e) {
    return { code: e instanceof CliUsageError ? 2 : 1, out: `${lines.join('\n')}${(e as Error).message}` };
  }
}

describe('signature CLI', () => {
  it('ca init → cert issue → pdf sign ×2 → pdf verify → revoke + crl → verify fails; ballot verify', async () => {
    expect((await cli('ca', 'init', '--name', 'CA HĐND tỉnh Demo', '--org', 'HĐND tỉnh Demo')).code).toBe(0);
    expect((await cli('ca', 'init', '--name', 'again', '--org', 'x')).code).toBe(2);
    const chairP12 = join(dir, 'chair.p12');
    const issued = await cli('cert', 'issue', '--name', 'Nguyễn Văn Chủ Tọa', '--title', 'Chủ tịch HĐND', '--out', chairP12, '--password', 'secret-1');
    expect(issued.code).toBe(0);
    const serial = /serial ([0-9a-f]+)/.exec(issued.out)?.[1] ?? '';
    expect((await cli('cert', 'issue', '--name', 'Trần Thị Thư Ký', '--out', join(dir, 'sec.p12'), '--password', 'secret-2')).code).toBe(0);

    const input = join(dir, 'in.pdf');
    const pdf = await samplePdf(2, true);
    {
      writeFileSync(input, pdf);
      const one = join(dir, 'one.pdf');
      const two = join(dir, 'two.pdf');
      const s1 = await cli('pdf', 'sign', input, '--out', one, '--p12', chairP12, '--password', 'secret-1', '--field', 'ChuToa', '--page', '2', '--rect', '300,60,230,70');
      expect(s1.out).toContain('Nguyễn Văn Chủ Tọa');
      expect(s1.code).toBe(0);
      expect((await cli('pdf', 'sign', one, '--out', two, '--p12', join(dir, 'sec.p12'), '--password', 'wrong', '--field', 'X', '--page', '2', '--rect', '60,60,200,70')).code).not.toBe(0);
      expect((await cli('pdf', 'sign', one, '--out', two, '--p12', join(dir, 'sec.p12'), '--password', 'secret-2', '--field', 'ThuKy', '--page', '2', '--rect', '60,60,200,70', '--lang', 'en')).code).toBe(0);

      const text = await cli('pdf', 'verify', two);
      expect(text.code).toBe(0);
      expect(text.out).toContain('Result: all signatures valid and trusted.');
      const json = await cli('pdf', 'verify', two, '--json');
      const report = VerifyReport.parse(JSON.parse(json.out));
      expect(report.signatures.map((s) => s.fieldName)).toEqual(['ChuToa', 'ThuKy']);

      // A verifier without our data dir trusts nothing (in-process; the last --data wins), unless given
      // the root and its CRL explicitly (through the real entry point, as an operator would run it;
      // without the CRL the result would be "revocation unknown", exit 3).
      expect((await cli('pdf', 'verify', two, '--data', join(dir, 'empty'))).code).toBe(1);
      const withRoot = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', 'pdf', 'verify', two, '--data', join(dir, 'empty'), '--trust', join(data, 'ca', 'ca-cert.pem'), '--crl', join(data, 'ca', 'crl.pem')], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(withRoot.stdout).toContain('Result: all signatures valid and trusted.');
      expect(withRoot.status).toBe(0);

      const signer = signerFromPkcs12(readFileSync(chairP12), 'secret-1');
      const ballot = await signBallot({ meetingId: randomUUID(), pollId: randomUUID(), choice: ['yes'], ballotId: randomUUID(), castAt: new Date().toISOString() }, signer);
      const bfile = join(dir, 'ballot.json');
      writeFileSync(bfile, JSON.stringify(ballot));
      const bv = await cli('ballot', 'verify', bfile);
      expect(bv.out).toContain('VALID: signed by');
      expect(bv.code).toBe(0);
      writeFileSync(bfile, JSON.stringify({ ...ballot, payload: { ...ballot.payload, choice: ['no'] } }));
      const forged = await cli('ballot', 'verify', bfile);
      expect(forged.code).toBe(1);
      expect(forged.out).toMatch(/INVALID: .*forged/);

      expect((await cli('cert', 'revoke', '--serial', serial, '--reason', 'keyCompromise')).code).toBe(0);
      expect((await cli('crl', 'publish')).code).toBe(0);
      const after = await cli('pdf', 'verify', two);
      expect(after.code).toBe(1);
      expect(after.out).toMatch(/FAIL\] revocation: certificate revoked/);
    }
  }, 180_000);
});
