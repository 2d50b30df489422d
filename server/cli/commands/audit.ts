import { verifyAudit } from '../../audit/log';
import { DB_OPTIONS, openCliDatabase, parseOptions, type CliCommand } from '../registry';

/** `audit verify`: recomputes the hash chain of the audit log; exit 0 intact, 1 broken. */
const auditVerify: CliCommand = {
  name: 'audit verify',
  usage: 'audit verify [--data DIR] [--json]',
  summary: 'Check the hash-chained audit log; exit code 1 and the first bad entry when it was altered',
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...DB_OPTIONS, json: { type: 'boolean' } });
    const database = await openCliDatabase(values.data);
    try {
      const r = await verifyAudit(database.db);
      if (values.json) {
        io.out(JSON.stringify(r));
      } else if (r.ok) {
        io.out(`Audit log intact: ${r.entries} entries, hash chain verified.`);
      } else {
        io.err(`Audit log BROKEN at seq ${r.firstBadSeq ?? '?'}: ${r.reason ?? 'unknown'} (${r.entries} entries)`);
      }
      return r.ok ? 0 : 1;
    } finally {
      await database.close();
    }
  },
};

export const auditCommands: readonly CliCommand[] = [auditVerify];
