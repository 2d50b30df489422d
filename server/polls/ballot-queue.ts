import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/client';
import { polls } from '../db/schema';
import { AppError, notFound } from '../errors';
import type { BallotCast } from '../../shared/room/schemas';
import { assertOpen, castNamed, castSecret } from '../room/ballot-handlers';
import type { Member } from '../room/members';
import type { PollRow } from './tally';

export interface BallotJob {
  readonly poll: PollRow;
  readonly member: Member;
  readonly input: BallotCast;
}

interface Queued extends BallotJob {
  resolve(duplicate: boolean): void;
  reject(err: unknown): void;
}

type Outcome = { ok: true; duplicate: boolean } | { ok: false; err: AppError };

/**
 * Group commit for ballots: ballots that arrive while a transaction runs are written together in
 * the next one (same per-ballot statements and audit entries, one BEGIN/COMMIT and one poll lock per
 * batch). Nobody waits for a batch to fill: an idle queue runs a single ballot at once. Each ballot is
 * still acknowledged only after the commit that contains it. A refused ballot (AppError) writes
 * nothing, so it does not disturb the others; a database error re-runs the batch one by one.
 */
export class BallotQueue {
  private readonly queue: Queued[] = [];
  private running = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly maxBatch = 200,
  ) {}

  submit(job: BallotJob): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ ...job, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) {
      return;
    }
    this.running = true;
    try {
      while (this.queue.length > 0) {
        await this.runBatch(this.queue.splice(0, this.maxBatch));
      }
    } finally {
      this.running = false;
    }
  }

  private async runBatch(batch: Queued[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.db.transaction(async (tx) => {
        const out: Outcome[] = [];
        const locked = new Map<string, { status: PollRow['status']; closesAt: Date | null } | null>();
        for (const b of batch) {
          try {
            if (!locked.has(b.poll.id)) {
              // FOR SHARE: ballots run side by side; closing (FOR UPDATE) waits for those in flight.
              const [row] = await tx.select({ status: polls.status, closesAt: polls.closesAt }).from(polls).where(eq(polls.id, b.poll.id)).for('share');
              locked.set(b.poll.id, row ?? null);
            }
            const state = locked.get(b.poll.id);
            if (!state) {
              throw notFound('Poll');
            }
            assertOpen(state.status, state.closesAt);
            const duplicate = b.poll.secret ? await castSecret(tx, b.poll, b.member, b.input) : await castNamed(tx, b.poll, b.member, b.input);
            out.push({ ok: true, duplicate });
          } catch (err) {
            if (!(err instanceof AppError)) {
              throw err;
            }
            out.push({ ok: false, err });
          }
        }
        return out;
      });
    } catch (err) {
      if (batch.length > 1) {
        this.log.warn({ err, size: batch.length }, 'ballot batch failed; retrying ballots one by one');
        for (const b of batch) {
          await this.runBatch([b]);
        }
        return;
      }
      batch[0]?.reject(err);
      return;
    }
    for (const [i, b] of batch.entries()) {
      const o = outcomes[i];
      if (o?.ok) {
        b.resolve(o.duplicate);
      } else {
        b.reject(o?.err ?? new Error('ballot outcome missing'));
      }
    }
  }
}
