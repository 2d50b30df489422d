import type { Logger } from 'pino';

/**
 * A one-way hand-over from REST routes to the live room: routes run before the room exists and must
 * not depend on it, so they report a committed change here and the room module attaches the sink that
 * broadcasts it. Sending never throws: the change is committed, and a client that misses the notice
 * catches up with its next snapshot or re-read.
 */
export class NoticeChannel<T> {
  private sink: ((n: Readonly<T>) => void) | null = null;

  constructor(
    private readonly log: Logger,
    /** The event's name, for the log line of a notice that could not be sent. */
    private readonly event: string,
    /** What identifies a notice in that log line. */
    private readonly ids: (n: Readonly<T>) => Record<string, unknown>,
  ) {}

  attach(sink: (n: Readonly<T>) => void): () => void {
    this.sink = sink;
    return () => {
      if (this.sink === sink) {
        this.sink = null;
      }
    };
  }

  protected send(n: Readonly<T>): void {
    const sink = this.sink;
    if (!sink) {
      return;
    }
    try {
      sink(n);
    } catch (err) {
      this.log.warn({ err, ...this.ids(n) }, `${this.event} not sent`);
    }
  }
}
