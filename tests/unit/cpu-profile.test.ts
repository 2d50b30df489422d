import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { summarizeProfiles } from '../../bench/lib/cpu-profile';

/**
 * The bench's profile summaries (bench/lib/cpu-profile.ts) on a made-up V8 profile: samples are
 * stamped from `startTime` by the cumulative `timeDeltas`, and a phase keeps only its own.
 */
describe('CPU profile summaries cut to the phases of a bench run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecab-prof-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
  // Node 1 idles, node 2 is our handler, node 3 socket.io. Ten samples 1 ms apart from t = 1,000 µs:
  // the first five (t = 2,000 … 6,000) in the handler, the next five (7,000 … 11,000) idle but one.
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(idle)', '') },
      { id: 2, callFrame: frame('join', 'file:///app/server/room/meeting-handlers.ts') },
      { id: 3, callFrame: frame('emit', 'file:///app/node_modules/socket.io/dist/socket.js') },
    ],
    startTime: 1_000,
    samples: [2, 2, 2, 2, 2, 1, 1, 3, 1, 1],
    timeDeltas: Array.from({ length: 10 }, () => 1_000),
  };
  mkdirSync(join(dir, 'reference'));
  writeFileSync(join(dir, 'CPU.1.cpuprofile'), JSON.stringify(profile));
  writeFileSync(join(dir, 'reference', 'CPU.2.cpuprofile'), JSON.stringify({ ...profile, samples: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3] }));

  it('summarizes each profile whole and within each window, the reference’s subdirectory too', () => {
    const out = summarizeProfiles(dir, [
      { phase: 'ours connect', fromUs: 2_000, toUs: 6_000 },
      { phase: 'ours rounds', fromUs: 7_000, toUs: 11_000 },
      { phase: 'ours reconnect', fromUs: 50_000, toUs: 60_000 },
    ]);
    const ours = out.filter((s) => s.file === 'CPU.1.cpuprofile');
    expect(ours.map((s) => [s.phase, s.totalMs, s.busyMs])).toEqual([
      ['all', 10, 6],
      ['ours connect', 5, 5],
      ['ours rounds', 5, 1],
    ]);
    expect(ours[1]?.byPlace).toEqual([['server/room/meeting-handlers.ts', 5]]);
    expect(ours[2]?.byPlace).toEqual([
      ['(idle)', 4],
      ['socket.io', 1],
    ]);
    const reference = out.filter((s) => s.file === join('reference', 'CPU.2.cpuprofile'));
    expect(reference.map((s) => [s.phase, s.busyMs])).toEqual([
      ['all', 10],
      ['ours connect', 5],
      ['ours rounds', 5],
    ]);
  });
});
