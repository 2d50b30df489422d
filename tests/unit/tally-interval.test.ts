import { describe, expect, it } from 'vitest';
import { TallyBroadcaster } from '../../server/room/tally-broadcaster';

const spin = (ms: number): void => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy: the event loop is fully utilized
  }
};
const idle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('tally coalescing interval', () => {
  it('stretches while the event loop is saturated and comes back when it is idle', async () => {
    const t = new TallyBroadcaster({} as never, {} as never, {} as never, {} as never);
    await idle(250);
    expect(t.currentIntervalMs()).toBe(50);
    spin(300);
    expect(t.currentIntervalMs()).toBe(100);
    spin(300);
    expect(t.currentIntervalMs()).toBe(200);
    await idle(300);
    expect(t.currentIntervalMs()).toBe(100);
    await idle(300);
    expect(t.currentIntervalMs()).toBe(50);
    t.close();
  });
});
