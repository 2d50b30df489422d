import type { AppContext } from './context';
import type { Closable } from './module';

/**
 * Runs `run` at start and every reminderIntervalMs, never two at once on one node (a slow SMTP server
 * must not pile sweeps up). What each sweep does is computed from the database and claimed there, so
 * several nodes sweeping is fine. Used by the consultation and task reminders.
 */
export function startSweep(ctx: AppContext, what: string, run: (ctx: AppContext) => Promise<unknown>): Closable {
  let running: Promise<void> | null = null;
  const sweep = (): void => {
    if (running) {
      return;
    }
    running = run(ctx)
      .then(() => undefined)
      .catch((err: unknown) => ctx.log.error({ err }, `${what} sweep failed`))
      .finally(() => {
        running = null;
      });
  };
  sweep();
  const timer = setInterval(sweep, ctx.config.reminderIntervalMs);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
