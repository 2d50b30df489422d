import { readFile } from 'node:fs/promises';
import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit } from '../../audit/log';
import { hashPassword } from '../../auth/passwords';
import { councilMembers, councils, users } from '../../db/schema';
import { DB_OPTIONS, parseOptions, type CliCommand } from '../registry';
import { parseMembersCsv } from './members-csv';
import { parseFlags } from './users';
import { generatePassword, withDatabase } from './users-common';

const ImportFlags = z.object({ csv: z.string().min(1), council: z.uuid() });

/**
 * `members import`: all-or-nothing. Every row is validated first and every problem reported with
 * its line; only a clean file is written, in one transaction. Existing accounts are added to the
 * council as they are; new ones are created (passwords generated and printed when the CSV has none).
 */
const membersImport: CliCommand = {
  name: 'members import',
  usage: 'members import --csv FILE --council ID',
  summary: 'Import council members from UTF-8 CSV (username,displayName,role,title[,password]); all rows or none',
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...DB_OPTIONS, csv: { type: 'string' }, council: { type: 'string' } });
    const flags = parseFlags(ImportFlags, values);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(flags.csv));
    } catch (err) {
      io.err(`Cannot read ${flags.csv} as UTF-8: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
    const parsed = parseMembersCsv(text);
    if (parsed.errors.length > 0) {
      io.err(`${flags.csv}: ${parsed.errors.length} problem(s); nothing was imported:`);
      for (const e of parsed.errors) {
        io.err(`  ${e}`);
      }
      return 1;
    }
    return withDatabase(values.data, async ({ db }) => {
      const [council] = await db.select().from(councils).where(eq(councils.id, flags.council)).limit(1);
      if (!council) {
        io.err(`No council with id ${flags.council} (see \`council list\`); nothing was imported`);
        return 1;
      }
      const names = parsed.rows.map((r) => r.row.username);
      const existing = new Map(
        (await db.select({ id: users.id, username: users.username }).from(users).where(inArray(users.username, names))).map((u) => [u.username, u.id]),
      );
      const generated: [string, string][] = [];
      const fresh: (typeof users.$inferInsert)[] = [];
      for (const { row } of parsed.rows) {
        if (existing.has(row.username)) {
          continue;
        }
        const password = row.password ?? generatePassword();
        if (!row.password) {
          generated.push([row.username, password]);
        }
        fresh.push({ username: row.username, displayName: row.displayName, role: row.role, title: row.title ?? null, passwordHash: await hashPassword(password) });
      }
      await db.transaction(async (tx) => {
        const created = fresh.length > 0 ? await tx.insert(users).values(fresh).returning({ id: users.id, username: users.username }) : [];
        const ids = [...existing.values(), ...created.map((u) => u.id)];
        await tx
          .insert(councilMembers)
          .values(ids.map((userId) => ({ councilId: council.id, userId })))
          .onConflictDoNothing();
        await appendAudit(tx, {
          actorId: null,
          meetingId: null,
          action: 'council.members_imported',
          data: { councilId: council.id, created: created.length, linked: existing.size, via: 'cli' },
        });
      });
      io.out(`Imported ${parsed.rows.length} member(s) into "${council.name}": ${fresh.length} new account(s), ${existing.size} existing.`);
      if (generated.length > 0) {
        io.out('Generated passwords (hand them over privately):');
        for (const [u, p] of generated) {
          io.out(`  ${u} ${p}`);
        }
      }
      return 0;
    });
  },
};

export const memberCommands: readonly CliCommand[] = [membersImport];
