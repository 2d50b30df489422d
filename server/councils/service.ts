import { asc, count, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Executor, Tx } from '../db/client';
import { councilMembers, councils, users } from '../db/schema';
import { appendAudit } from '../audit/log';
import { badRequest } from '../errors';
import type { Council, CreateCouncilRequest } from '../../shared/api/meetings';
import { assertQuorum } from '../meetings/service';

export type NewCouncil = z.output<typeof CreateCouncilRequest>;

/**
 * Creates a council with its members and the audit entry, inside the caller's transaction. Shared by
 * POST /api/councils and the CLI (`create a council`), so both keep the same rules.
 */
export async function createCouncil(tx: Tx, actorId: string | null, input: NewCouncil): Promise<Council> {
  assertQuorum(input.quorumNum, input.quorumDen);
  const memberIds = [...new Set(input.memberIds)];
  if (memberIds.length > 0) {
    const found = await tx.select({ id: users.id }).from(users).where(inArray(users.id, memberIds));
    const known = new Set(found.map((u) => u.id));
    const unknown = memberIds.find((id) => !known.has(id));
    if (unknown) {
      throw badRequest(`Invalid memberIds: no user ${unknown}`);
    }
  }
  const [row] = await tx
    .insert(councils)
    .values({ name: input.name, kind: input.kind, quorumNum: input.quorumNum, quorumDen: input.quorumDen, confidentialGraceMinutes: input.confidentialGraceMinutes, timeZone: input.timeZone })
    .returning();
  if (!row) {
    throw new Error('council insert returned nothing');
  }
  if (memberIds.length > 0) {
    await tx.insert(councilMembers).values(memberIds.map((userId) => ({ councilId: row.id, userId })));
  }
  await appendAudit(tx, { actorId, meetingId: null, action: 'council.created', data: { councilId: row.id, name: row.name, members: memberIds.length } });
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    quorumNum: row.quorumNum,
    quorumDen: row.quorumDen,
    confidentialGraceMinutes: row.confidentialGraceMinutes,
    timeZone: row.timeZone,
    memberCount: memberIds.length,
  };
}

export async function listCouncils(db: Executor): Promise<Council[]> {
  const rows = await db.select().from(councils).orderBy(asc(councils.name));
  const counts = await db
    .select({ councilId: councilMembers.councilId, n: count() })
    .from(councilMembers)
    .groupBy(councilMembers.councilId);
  const byCouncil = new Map(counts.map((c) => [c.councilId, c.n]));
  return rows.map((c) => ({
    id: c.id,
    name: c.name,
    kind: c.kind,
    quorumNum: c.quorumNum,
    quorumDen: c.quorumDen,
    confidentialGraceMinutes: c.confidentialGraceMinutes,
    timeZone: c.timeZone,
    memberCount: byCouncil.get(c.id) ?? 0,
  }));
}
