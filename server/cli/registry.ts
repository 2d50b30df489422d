import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { openDatabase, type Database } from '../db/client';

/** One CLI command (`npm run cli -- <name…> [options]`). Each domain adds its own in commands/. */
export interface CliCommand {
  /** Space-separated words, e.g. "user add", "audit verify". */
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** What `--help` shows of a command, without its code. */
export type CommandInfo = Pick<CliCommand, 'name' | 'usage' | 'summary'>;

/** Commands whose code is imported on first use (`load`), so listing them stays cheap. */
export function lazyCommands(
  infos: readonly CommandInfo[],
  load: () => Promise<readonly CliCommand[]>,
): CliCommand[] {
  return infos.map((info) => ({
    ...info,
    async run(argv, io) {
      const command = (await load()).find((c) => c.name === info.name);
      if (!command) {
        throw new Error(`The command "${info.name}" is listed but not implemented`);
      }
      return command.run(argv, io);
    },
  }));
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Options every command that touches the database understands. */
export const DB_OPTIONS = {
  data: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** Same storage selection as the server: DATABASE_URL, else PGlite in --data (default ./data). */
export async function openCliDatabase(dataDir: string | undefined): Promise<Database> {
  const dir = resolve(dataDir ?? process.env.ECAB_DATA ?? './data');
  return openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, pgliteDir: resolve(dir, 'db') });
}

/** Strict option parsing: unknown flags are an error with the command's usage. */
export function parseOptions<O extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: O) {
  return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
}

export class CliUsageError extends Error {}
