import type { CliCommand } from '../registry';
import { auditCommands } from './audit';

// Every CLI command, grouped by domain; `npm run cli -- --help` lists them in this order.
export const commands: readonly CliCommand[] = [...auditCommands];
