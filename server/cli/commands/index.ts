import { lazyCommands, type CliCommand } from '../registry';
import { auditCommands } from './audit';
import { councilCommands } from './councils';
import { memberCommands } from './members';
import { signatureUsage } from './signatures-usage';
import { userCommands } from './users';

// Every CLI command, grouped by domain; `npm run cli -- --help` lists them in this order.
export const commands: readonly CliCommand[] = [
  ...userCommands,
  ...councilCommands,
  ...memberCommands,
  ...auditCommands,
  // Loaded on first use: the signing libraries are the heaviest part of the CLI's start.
  ...lazyCommands(
    Object.values(signatureUsage),
    async () => (await import('./signatures')).signatureCommands,
  ),
];
