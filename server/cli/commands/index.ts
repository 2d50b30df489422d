import type { CliCommand } from '../registry';
import { auditCommands } from './audit';
import { councilCommands } from './councils';
import { memberCommands } from './members';
import { signatureCommands } from './signatures';
import { userCommands } from './users';

// Every CLI command, grouped by domain; `npm run cli -- --help` lists them in this order.
export const commands: readonly CliCommand[] = [...userCommands, ...councilCommands, ...memberCommands, ...auditCommands, ...signatureCommands];
