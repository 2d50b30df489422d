import { commands } from './commands';
import { CliUsageError, type CliIo } from './registry';

// `npm run cli -- <command> [options]` — admin and signing tool (docs/architecture.md "Commands").
const io: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

function help(): void {
  io.out('Usage: npm run cli -- <command> [options]\n\nCommands:');
  const width = Math.max(...commands.map((c) => c.usage.length), 10);
  for (const c of commands) {
    io.out(`  ${c.usage.padEnd(width)}  ${c.summary}`);
  }
  io.out('\nStorage: DATABASE_URL=postgres://… for PostgreSQL, else PGlite in --data DIR (default ./data).');
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    help();
    return argv.length === 0 ? 2 : 0;
  }
  // Longest matching command name wins ("cert issue" before "cert").
  const sorted = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const c of sorted) {
    const words = c.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) {
      const rest = argv.slice(words.length);
      if (rest.includes('--help') || rest.includes('-h')) {
        io.out(`Usage: npm run cli -- ${c.usage}\n${c.summary}`);
        return 0;
      }
      try {
        return await c.run(rest, io);
      } catch (err) {
        if (err instanceof CliUsageError || (err instanceof TypeError && 'code' in err)) {
          io.err(`${err.message}\nUsage: npm run cli -- ${c.usage}`);
          return 2;
        }
        throw err;
      }
    }
  }
  io.err(`Unknown command: ${argv.join(' ')}\nRun \`npm run cli -- --help\` for the list.`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    io.err(`Error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
