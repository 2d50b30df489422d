import { createServer, type RunningServer } from '../server/app';
import type { ServerConfigInput } from '../server/config';
import { seedDemoIfEmpty } from './demo';

/** The seeds a test or benchmark may ask for by name. */
export const SEEDERS = { demo: seedDemoIfEmpty } as const;

/**
 * createServer with a named seed (`seed: 'demo'` fills an empty database with the demo council), for
 * tests and benchmarks. seeds/ wires itself into the server from outside: server/ never imports seeds/.
 */
export function createSeededServer(input: ServerConfigInput & { seed?: keyof typeof SEEDERS | undefined }): Promise<RunningServer> {
  const { seed, ...config } = input;
  return createServer(config, { seed: seed ? SEEDERS[seed] : undefined });
}
