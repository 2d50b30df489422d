import { serve } from './serve';

// The server alone, without seeds (tests and benchmarks spawn this). `npm run server` is
// scripts/server.ts, which adds `--seed demo` (docs/architecture.md "Commands").
serve(process.argv.slice(2), {}).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
