// bench:votes — owned by the benchmark helper
// `npm run bench:votes -- --delegates N [--meetings M] [--nodes K] [--rounds R] [--storage pglite|postgres]`
// Live-room voting load: spawns the server process(es), N real socket.io
// clients in worker processes, runs full vote rounds and prints ONE JSON line last on stdout.
// Progress goes to stderr. Results and analysis: docs/benchmarks.md "## Votes".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readArgs, USAGE } from './lib/args';
import { summarizeProfiles, type PhaseWindow } from './lib/cpu-profile';
import { Cleanup, runBench } from './lib/run';

async function main(): Promise<number> {
  const args = readArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  const cleanup = new Cleanup();
  const abort = (why: string, code: number): void => {
    process.stderr.write(`[bench:votes] ${why}; cleaning up\n`);
    void cleanup.run().finally(() => process.exit(code));
  };
  // Bounded in time: whatever hangs, the run ends and leaves no process, directory or database behind.
  const timer = setTimeout(() => abort(`timeout after ${args.timeoutS} s`, 2), args.timeoutS * 1000);
  process.once('SIGINT', () => abort('interrupted', 130));
  process.once('SIGTERM', () => abort('terminated', 143));
  try {
    const phases: PhaseWindow[] = [];
    const result = await runBench(args, cleanup, phases);
    // The servers write their CPU profiles when they exit, i.e. during cleanup.
    await cleanup.run();
    if (args.cpuProf) {
      // The windows too, for cutting the profiles with other tools (µs of the profiles' clock).
      writeFileSync(join(args.cpuProf, 'phases.json'), JSON.stringify(phases));
      for (const s of summarizeProfiles(args.cpuProf, phases)) {
        process.stderr.write(`[bench:votes] cpu profile ${s.file}, ${s.phase} (busy ${s.busyMs} of ${s.totalMs} ms)\n${JSON.stringify(s.byPlace)}\n${JSON.stringify(s.byFunction)}\n`);
      }
    }
    console.log(JSON.stringify(result));
    return 0;
  } finally {
    clearTimeout(timer);
    await cleanup.run();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
