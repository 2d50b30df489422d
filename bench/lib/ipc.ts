import { z } from 'zod';

/**
 * Messages between the bench orchestrator and its client worker processes (child_process IPC).
 * Both sides parse what they receive: another process is outside input too.
 * Times are absolute `now()` values (bench/lib/stats.ts), comparable across processes.
 */

export const ClientSpec = z.object({
  userId: z.uuid(),
  token: z.string(),
  meetingId: z.uuid(),
  url: z.string(),
});
export type ClientSpec = z.infer<typeof ClientSpec>;

const PollMap = z.record(z.string(), z.string());

export const ToWorker = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('init'),
    clients: z.array(ClientSpec),
    spreadMs: z.number(),
    connectConcurrency: z.number().int().positive(),
  }),
  /** Wait until every client of these meetings (meetingId → pollId) has its ballot answered. */
  z.object({ t: z.literal('votes'), polls: PollMap, timeoutMs: z.number() }),
  /** Wait until every client has seen a tally with at least `expected` ballots (pollId → n). */
  z.object({ t: z.literal('tally'), polls: PollMap, expected: z.record(z.string(), z.number()), timeoutMs: z.number() }),
  /** Wait until every client has seen the closed poll with its result. */
  z.object({ t: z.literal('closed'), polls: PollMap, timeoutMs: z.number() }),
  /** Every client drops its socket and connects and joins again, as after a dropped hall network (answered with `ready`). */
  z.object({ t: z.literal('reconnect') }),
  z.object({ t: z.literal('stop') }),
]);
export type ToWorker = z.infer<typeof ToWorker>;

export const AckRecord = z.object({
  userId: z.string(),
  pollId: z.string(),
  choice: z.string(),
  sentAt: z.number(),
  ackAt: z.number(),
  ok: z.boolean(),
  code: z.string().nullable(),
  duplicate: z.boolean(),
});
export type AckRecord = z.infer<typeof AckRecord>;

export const FromWorker = z.discriminatedUnion('t', [
  /** Sent once the worker's code is loaded, before any request. */
  z.object({ t: z.literal('up') }),
  z.object({ t: z.literal('ready'), connectMs: z.array(z.number()), failures: z.array(z.string()), retries: z.number().int() }),
  z.object({
    t: z.literal('votes'),
    /** pollId and the moment each client saw it open (null = never). */
    openSeen: z.array(z.object({ pollId: z.string(), at: z.number().nullable() })),
    acks: z.array(AckRecord),
    unanswered: z.number().int(),
    /** This worker's event-loop delay (ms) from the end of the previous round to the last ack. */
    loopDelay: z.object({ p99Ms: z.number(), maxMs: z.number() }),
  }),
  z.object({ t: z.literal('tally'), reached: z.array(z.object({ pollId: z.string(), at: z.number().nullable() })) }),
  z.object({
    t: z.literal('closed'),
    seen: z.array(z.object({ pollId: z.string(), at: z.number().nullable(), counts: z.string().nullable(), tallies: z.number().int().min(0) })),
  }),
  z.object({ t: z.literal('error'), message: z.string() }),
]);
export type FromWorker = z.infer<typeof FromWorker>;
