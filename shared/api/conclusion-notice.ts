import { z } from 'zod';
import { DocumentMeta } from './documents';

/**
 * The conclusion notice (thông báo kết luận) of a closed meeting: built from the chair's conclusions,
 * signed by the chair in its box (ChuToa), mailed to the members; due 5 working days after the meeting
 * (shared/domain/conclusion-deadline.ts).
 */
export const GenerateNoticeRequest = z.strictObject({ lang: z.enum(['vi', 'en']).default('vi') });
export type GenerateNoticeRequest = z.infer<typeof GenerateNoticeRequest>;

export const NoticeSlot = z.object({
  fieldName: z.string(),
  page: z.number().int().nonnegative(),
  rect: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
});

export const ConclusionNoticeState = z.object({
  /** The notice document; null before it is generated (or when the caller may not read it). */
  document: DocumentMeta.nullable(),
  lang: z.enum(['vi', 'en']).nullable(),
  slots: z.array(NoticeSlot),
  /** YYYY-MM-DD: 5 working days after the meeting's close date in the council's zone; null while not closed. */
  deadline: z.string().nullable(),
  issuedAt: z.string().nullable(),
  signed: z.boolean(),
  signedAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  sentCount: z.number().int(),
  /** Not issued and signed by the end of the deadline day. */
  overdue: z.boolean(),
});
export type ConclusionNoticeState = z.infer<typeof ConclusionNoticeState>;

export const SendNoticeResponse = z.object({
  sentAt: z.string(),
  sent: z.number().int(),
  failed: z.number().int(),
  /** Members without an email address (they get no mail). */
  noEmail: z.number().int(),
});
export type SendNoticeResponse = z.infer<typeof SendNoticeResponse>;
