import { and, eq, lte } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/client';
import { polls } from '../db/schema';

export type DueHandler = (meetingId: string, pollId: string) => Promise<void>;

/**
 * Countdown auto-close. The deadline lives in polls.closes_at, so it survives a restart: a timer per
 * poll gives precision, and a sweep each second closes whatever is due (polls opened on another node,
 * or before this process started). Closing is idempotent, so two nodes racing is harmless.
 */
export class PollCountdown {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private sweeper: NodeJS.Timeout | undefined;
  private onDue: DueHandler = async () => undefined;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly sweepMs = 1000,
  ) {}

  start(onDue: DueHandler): void {
    this.onDue = onDue;
    this.sweeper = setInterval(() => void this.sweep(), this.sweepMs);
    this.sweeper.unref();
    void this.sweep();
  }

  arm(meetingId: string, pollId: string, closesAt: Date | null): void {
    this.disarm(pollId);
    if (!closesAt) {
      return;
    }
    const t = setTimeout(
      () => {
        this.timers.delete(pollId);
        this.fire(meetingId, pollId);
      },
      Math.max(0, closesAt.getTime() - Date.now()),
    );
    t.unref();
    this.timers.set(pollId, t);
  }

  disarm(pollId: string): void {
    const t = this.timers.get(pollId);
    if (t) {
      clearTimeout(t);
      this.timers.delete(pollId);
    }
  }

  close(): void {
    if (this.sweeper) {
      clearInterval(this.sweeper);
    }
    for (const t of this.timers.values()) {
      clearTimeout(t);
    }
    this.timers.clear();
  }

  private fire(meetingId: string, pollId: string): void {
    this.onDue(meetingId, pollId).catch((err: unknown) => this.log.error({ err, pollId }, 'countdown close failed'));
  }

  private async sweep(): Promise<void> {
    try {
      const due = await this.db
        .select({ id: polls.id, meetingId: polls.meetingId })
        .from(polls)
        .where(and(eq(polls.status, 'open'), lte(polls.closesAt, new Date())));
      for (const p of due) {
        this.fire(p.meetingId, p.id);
      }
    } catch (err) {
      this.log.warn({ err }, 'countdown sweep failed');
    }
  }
}
