import { asc, count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit } from '../../audit/log';
import { councilMembers, councils } from '../../db/schema';
import { DB_OPTIONS, parseOptions, type CliCommand } from '../registry';
import { parseFlags } from './users';
import { withDatabase } from './users-common';

/** "2/3" → { num: 2, den: 3 }; the council's quorum rule (docs/architecture.md "Guarantees of a vote"). */
const Quorum = z
  .string()
  .regex(/^\d{1,3}\/\d{1,3}$/, 'write it as a fraction, e.g. 2/3')
  .transform((s) => {
    const [num = 0, den = 0] = s.split('/').map(Number);
    return { num, den };
  })
  .refine((q) => q.num >= 1 && q.den >= 1 && q.num <= q.den, 'must be a fraction between 0 and 1, e.g. 2/3');

const CreateCouncil = z.object({
  name: z.string().trim().min(1).max(300),
  kind: z.enum(['peoples_council', 'peoples_committee']).default('peoples_council'),
  quorum: Quorum.default({ num: 2, den: 3 }),
});

const councilCreate: CliCommand = {
  name: 'council create',
  usage: 'council create --name N [--kind K] [--quorum 2/3]',
  summary: 'Create a council; K: peoples_council (HĐND, default) | peoples_committee (UBND); prints its id',
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...DB_OPTIONS, name: { type: 'string' }, kind: { type: 'string' }, quorum: { type: 'string' } });
    const input = parseFlags(CreateCouncil, values);
    return withDatabase(values.data, async ({ db }) => {
      const council = await db.transaction(async (tx) => {
        const [c] = await tx
          .insert(councils)
          .values({ name: input.name, kind: input.kind, quorumNum: input.quorum.num, quorumDen: input.quorum.den })
          .returning();
        if (!c) {
          throw new Error('insert returned nothing');
        }
        await appendAudit(tx, { actorId: null, meetingId: null, action: 'council.created', data: { councilId: c.id, name: c.name, via: 'cli' } });
        return c;
      });
      io.out(`Created council ${council.id} "${council.name}" (quorum ${council.quorumNum}/${council.quorumDen})`);
      io.out(council.id);
      return 0;
    });
  },
};

const councilList: CliCommand = {
  name: 'council list',
  usage: 'council list [--json]',
  summary: 'List councils with their member counts',
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...DB_OPTIONS, json: { type: 'boolean' } });
    return withDatabase(values.data, async ({ db }) => {
      const rows = await db
        .select({ id: councils.id, name: councils.name, kind: councils.kind, quorumNum: councils.quorumNum, quorumDen: councils.quorumDen, members: count(councilMembers.userId) })
        .from(councils)
        .leftJoin(councilMembers, eq(councilMembers.councilId, councils.id))
        .groupBy(councils.id)
        .orderBy(asc(councils.name));
      if (values.json) {
        io.out(JSON.stringify(rows));
        return 0;
      }
      for (const c of rows) {
        io.out(`${c.id}  ${c.name}  (${c.kind}, quorum ${c.quorumNum}/${c.quorumDen}, ${c.members} members)`);
      }
      io.out(`${rows.length} council(s)`);
      return 0;
    });
  },
};

export const councilCommands: readonly CliCommand[] = [councilCreate, councilList];
