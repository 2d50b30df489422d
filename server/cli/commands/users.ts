import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit, appendAuditAlone } from '../../audit/log';
import { hashPassword } from '../../auth/passwords';
import { deleteUserSessions } from '../../auth/sessions';
import { clearLoginThrottle } from '../../auth/throttle';
import { users } from '../../db/schema';
import { CliUsageError, DB_OPTIONS, parseOptions, type CliCommand } from '../registry';
import { generatePassword, withDatabase } from './users-common';
import { Password, Username } from '../../../shared/api/auth';
import { UserRole } from '../../../shared/roles';

const AddUser = z.object({
  username: Username,
  name: z.string().trim().min(1).max(200),
  role: UserRole,
  title: z.string().trim().max(200).optional(),
  password: Password.optional(),
});

/** Flags are outside input too: zod issues become a usage error naming the flag. */
export function parseFlags<S extends z.ZodType>(schema: S, values: unknown): z.infer<S> {
  const r = schema.safeParse(values);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new CliUsageError(`Invalid --${issue?.path.join('.') ?? 'option'}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}

const userAdd: CliCommand = {
  name: 'user add',
  usage: 'user add --username U --name N --role R [--title T] [--password P]',
  summary: 'Create an account; R: admin|secretary|chair|delegate|observer; no --password: one is generated and printed',
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      ...DB_OPTIONS,
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      title: { type: 'string' },
      password: { type: 'string' },
    });
    const input = parseFlags(AddUser, values);
    const password = input.password ?? generatePassword();
    const passwordHash = await hashPassword(password);
    return withDatabase(values.data, async ({ db }) => {
      const created = await db.transaction(async (tx) => {
        const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username)).limit(1);
        if (taken) {
          return undefined;
        }
        const [u] = await tx
          .insert(users)
          .values({ username: input.username, displayName: input.name, role: input.role, title: input.title ?? null, passwordHash })
          .returning();
        if (!u) {
          throw new Error('insert returned nothing');
        }
        await appendAudit(tx, { actorId: null, meetingId: null, action: 'user.created', data: { userId: u.id, role: u.role, via: 'cli' } });
        return u;
      });
      if (!created) {
        io.err(`Username ${input.username} is taken`);
        return 1;
      }
      io.out(`Created ${created.role} ${created.username} (${created.displayName}) id ${created.id}`);
      if (!input.password) {
        io.out(`Password: ${password}`);
      }
      return 0;
    });
  },
};

const userList: CliCommand = {
  name: 'user list',
  usage: 'user list [--json]',
  summary: 'List accounts',
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...DB_OPTIONS, json: { type: 'boolean' } });
    return withDatabase(values.data, async ({ db }) => {
      const rows = await db
        .select({ id: users.id, username: users.username, displayName: users.displayName, role: users.role, title: users.title, disabled: users.disabled })
        .from(users)
        .orderBy(asc(users.username));
      if (values.json) {
        io.out(JSON.stringify(rows));
        return 0;
      }
      for (const u of rows) {
        io.out(`${u.username.padEnd(16)} ${u.role.padEnd(10)} ${u.displayName}${u.title ? ` — ${u.title}` : ''}${u.disabled ? ' (disabled)' : ''}`);
      }
      io.out(`${rows.length} account(s)`);
      return 0;
    });
  },
};

const ResetPassword = z.object({ username: Username, password: Password.optional() });

const userResetPassword: CliCommand = {
  name: 'user reset-password',
  usage: 'user reset-password --username U [--password P]',
  summary: 'Set a new password, unlock the account and end its sessions',
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...DB_OPTIONS, username: { type: 'string' }, password: { type: 'string' } });
    const input = parseFlags(ResetPassword, values);
    const password = input.password ?? generatePassword();
    const passwordHash = await hashPassword(password);
    return withDatabase(values.data, async ({ db }) => {
      const [u] = await db
        .update(users)
        .set({ passwordHash, failedLogins: 0, lockedUntil: null })
        .where(eq(users.username, input.username))
        .returning({ id: users.id });
      if (!u) {
        io.err(`No account named ${input.username}`);
        return 1;
      }
      // A reset usually follows a lost or leaked password: every open session ends.
      await deleteUserSessions(db, u.id);
      await clearLoginThrottle(db, input.username);
      await appendAuditAlone(db, { actorId: null, meetingId: null, action: 'user.password_reset', data: { userId: u.id, via: 'cli' } });
      io.out(`Password of ${input.username} reset; the account is unlocked and its sessions ended.`);
      if (!input.password) {
        io.out(`Password: ${password}`);
      }
      return 0;
    });
  },
};

export const userCommands: readonly CliCommand[] = [userAdd, userList, userResetPassword];
