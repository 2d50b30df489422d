import { serve } from '../server/serve';
import { seedDemoIfEmpty } from '../seeds/demo';

// `npm run server -- [--host H] [--port N] [--data DIR] [--seed demo]` (docs/architecture.md "Commands"):
// the server with the demo council on offer; the dependency points from here to server/ and seeds/.
serve(process.argv.slice(2), { demo: seedDemoIfEmpty }).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
