import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../db/client';
import { paperResults, users } from '../db/schema';
import type { PaperFigures } from '../../shared/room/snapshot';

// Read side of paper-counted polls, apart from the entry (paper.ts) so the tally can use it
// without importing the entry's rules back.
const StoredCounts = z.record(z.string(), z.number().int().min(0));

/** Counts of a paper poll (valid ballots = returned − invalid). */
export async function paperCounts(db: Executor, pollId: string): Promise<{ counts: Record<string, number>; cast: number }> {
  const [r] = await db.select({ counts: paperResults.counts, returned: paperResults.returned, invalid: paperResults.invalid }).from(paperResults).where(eq(paperResults.pollId, pollId));
  if (!r) {
    return { counts: {}, cast: 0 };
  }
  return { counts: StoredCounts.parse(JSON.parse(r.counts)), cast: r.returned - r.invalid };
}

/** What the room shows with a paper poll's result: the figures and who entered them. */
export async function paperFigures(db: Executor, pollId: string): Promise<PaperFigures | null> {
  const [r] = await db
    .select({ p: paperResults, enteredBy: users.displayName })
    .from(paperResults)
    .leftJoin(users, eq(users.id, paperResults.enteredBy))
    .where(eq(paperResults.pollId, pollId));
  if (!r) {
    return null;
  }
  return { issued: r.p.issued, returned: r.p.returned, invalid: r.p.invalid, note: r.p.note, enteredBy: r.enteredBy, enteredAt: r.p.enteredAt.toISOString() };
}
