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
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

export interface ProfileSummary {
  readonly file: string;
  readonly totalMs: number;
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

export function summarizeProfiles(dir: string, top = 15): ProfileSummary[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((file) => {
      const p = Profile.parse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      const byId = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
      const places = new Map<string, number>();
      const fns = new Map<string, number>();
      let total = 0;
      p.samples.forEach((id, i) => {
        const us = p.timeDeltas[i] ?? 0;
        const cf = byId.get(id);
        if (!cf) {
          return;
        }
        total += us;
        const pl = place(cf.url, cf.functionName);
        places.set(pl, (places.get(pl) ?? 0) + us);
        const fn = `${cf.functionName || '(anonymous)'} ${pl}:${cf.lineNumber + 1}`;
        fns.set(fn, (fns.get(fn) ?? 0) + us);
      });
      const ms = (m: Map<string, number>): [string, number][] =>
        [...m]
          .sort((a, b) => b[1] - a[1])
          .slice(0, top)
          .map(([k, v]) => [k, Math.round(v / 1000)]);
      return { file, totalMs: Math.round(total / 1000), byPlace: ms(places), byFunction: ms(fns) };
    });
}
