import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../db/client';
import { meetings, paperResults, polls } from '../db/schema';
import { appendAudit } from '../audit/log';
import { AppError, invalidState, notFound } from '../errors';
import { votingCounts } from '../meetings/voting-members';
import type { PollPaperResult } from '../../shared/room/schemas';
import { pollOptions, type PollRow } from './tally';

function paperError(message: string): AppError {
  return new AppError(400, 'VALIDATION_ERROR', message);
}

/**
 * The figures must describe ballots that could exist: every valid ballot of a resolution carries exactly
 * one option; an election ballot names at most `maxChoices` candidates, so no candidate has more votes
 * than valid ballots and all of them together at most valid × seats. Ballots cannot outnumber voters.
 */
export function checkPaperFigures(p: PollRow, input: z.output<typeof PollPaperResult>, eligible: number): Record<string, number> {
  const options = pollOptions(p);
  const known = new Set(options.map((o) => o.id));
  for (const id of Object.keys(input.counts)) {
    if (!known.has(id)) {
      throw paperError(`Option "${id}" is not an option of this poll`);
    }
  }
  if (input.issued > eligible) {
    throw paperError(`Issued ballots (${input.issued}) exceed the ${eligible} voting members`);
  }
  const counts: Record<string, number> = {};
  for (const o of options) {
    counts[o.id] = input.counts[o.id] ?? 0;
  }
  const valid = input.returned - input.invalid;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (p.kind === 'yes_no_abstain') {
    if (total !== valid) {
      throw paperError(`The options add up to ${total} but there are ${valid} valid ballots (returned − invalid)`);
    }
  } else {
    const over = options.find((o) => (counts[o.id] ?? 0) > valid);
    if (over) {
      throw paperError(`"${over.label}" has more votes than the ${valid} valid ballots`);
    }
    if (total > valid * p.maxChoices) {
      throw paperError(`The candidates add up to ${total}, more than ${valid} valid ballots × ${p.maxChoices} seats`);
    }
  }
  return counts;
}

/**
 * Enters the counting committee's figures for a draft poll and closes it, in one transaction: the
 * poll, its figures and the audit entry commit together or not at all. The frozen bases
 * (eligible/present at close) are taken now, as for an electronic close.
 */
export async function enterPaperResult(db: Db, input: z.output<typeof PollPaperResult>, actorId: string): Promise<PollRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(polls)
      .where(and(eq(polls.id, input.pollId), eq(polls.meetingId, input.meetingId)))
      .for('update');
    if (!row) {
      throw notFound('Poll');
    }
    if (row.status !== 'draft') {
      throw invalidState(`Paper figures are entered for a prepared poll that was not opened (this one is ${row.status})`);
    }
    const [meeting] = await tx.select({ status: meetings.status }).from(meetings).where(eq(meetings.id, input.meetingId)).for('update');
    if (!meeting || meeting.status !== 'in_progress') {
      throw invalidState('Paper figures are entered while the meeting is in progress');
    }
    const { eligible, present } = await votingCounts(tx, input.meetingId);
    const counts = checkPaperFigures(row, input, eligible);
    const now = new Date();
    const [closed] = await tx
      .update(polls)
      .set({ status: 'closed', countedOnPaper: true, openedAt: now, closedAt: now, eligibleAtClose: eligible, presentAtClose: present })
      .where(eq(polls.id, row.id))
      .returning();
    if (!closed) {
      throw invalidState('Poll vanished while entering its figures');
    }
    await tx.insert(paperResults).values({
      pollId: row.id,
      counts: JSON.stringify(counts),
      issued: input.issued,
      returned: input.returned,
      invalid: input.invalid,
      note: input.note || null,
      enteredBy: actorId,
      enteredAt: now,
    });
    await appendAudit(tx, {
      actorId,
      meetingId: input.meetingId,
      action: 'poll.paper_result',
      data: { pollId: row.id, counts, issued: input.issued, returned: input.returned, invalid: input.invalid, note: input.note ?? null, eligible, present },
    });
    return closed;
  });
}

