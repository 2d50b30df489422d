import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Summarizes V8 .cpuprofile files (written by the server with --cpu-prof) into self time per
 * package / source file and per function, so "where does the time go" has a measured answer.
 */
const Profile = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
    }),
  ),
  startTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

/** A stretch of the run, in microseconds of the monotonic clock V8's profiles are stamped with. */
export interface PhaseWindow {
  readonly phase: string;
  readonly fromUs: number;
  readonly toUs: number;
}

/** The monotonic clock V8 stamps profile samples with (CLOCK_MONOTONIC, as process.hrtime), in µs. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export interface ProfileSummary {
  readonly file: string;
  /** The whole profile, or the phase of the run its samples were cut to. */
  readonly phase: string;
  readonly totalMs: number;
  /** totalMs less the samples V8 took while the thread waited for work (`(idle)`). */
  readonly busyMs: number;
  readonly byPlace: [string, number][];
  readonly byFunction: [string, number][];
}

function place(url: string, fn: string): string {
  if (url === '') {
    return fn.startsWith('(') ? fn : '(native)';
  }
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm?.[1]) {
    return nm[1];
  }
  if (url.startsWith('node:')) {
    return url;
  }
  const own = /\/(server|shared|bench)\/(.*)$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

/**
 * One summary per profile in `dir` (and its subdirectories: the reference writes to DIR/reference),
 * and with `phases`, one more per phase where the thread did any work: only the samples taken inside
 * that window (a thread idle through a phase, e.g. the tsx loader's, is left out of it).
 */
export function summarizeProfiles(dir: string, phases: readonly PhaseWindow[] = [], top = 15): ProfileSummary[] {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.cpuprofile'));
  return files.flatMap((file) => {
    const p = Profile.parse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    // What each sample's node is counted as, worked out once per node, not per sample and window.
    const byId = new Map(
      p.nodes.map(({ id, callFrame: cf }) => {
        const pl = place(cf.url, cf.functionName);
        return [id, { place: pl, fn: `${cf.functionName || '(anonymous)'} ${pl}:${cf.lineNumber + 1}`, idle: cf.functionName === '(idle)' }];
      }),
    );
    const at: number[] = [];
    let t = p.startTime;
    for (const d of p.timeDeltas) {
      t += d;
      at.push(t);
    }
    const windows: PhaseWindow[] = [{ phase: 'all', fromUs: -Infinity, toUs: Infinity }, ...phases];
    return windows
      .map((w) => {
        const places = new Map<string, number>();
        const fns = new Map<string, number>();
        let total = 0;
        let idle = 0;
        p.samples.forEach((id, i) => {
          const ts = at[i] ?? 0;
          const us = p.timeDeltas[i] ?? 0;
          const node = byId.get(id);
          if (!node || ts < w.fromUs || ts > w.toUs) {
            return;
          }
          total += us;
          if (node.idle) {
            idle += us;
          }
          places.set(node.place, (places.get(node.place) ?? 0) + us);
          fns.set(node.fn, (fns.get(node.fn) ?? 0) + us);
        });
        const ms = (m: Map<string, number>): [string, number][] =>
          [...m]
            .sort((a, b) => b[1] - a[1])
            .slice(0, top)
            .map(([k, v]) => [k, Math.round(v / 1000)]);
        return {
          file,
          phase: w.phase,
          totalMs: Math.round(total / 1000),
          busyMs: Math.round((total - idle) / 1000),
          byPlace: ms(places),
          byFunction: ms(fns),
        };
      })
      .filter((s) => s.phase === 'all' || s.busyMs > 0);
  });
}
