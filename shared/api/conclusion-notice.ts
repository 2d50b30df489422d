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

/** One version of the notice: a signed one stays when a later version is issued (superseded). */
export const NoticeVersion = z.object({
  version: z.number().int().positive(),
  document: DocumentMeta,
  signedAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  /** A later version exists: this one is kept for the record, no longer the notice in force. */
  superseded: z.boolean(),
});
export type NoticeVersion = z.infer<typeof NoticeVersion>;

export const ConclusionNoticeState = z.object({
  /** The current notice document; null before it is generated (or when the caller may not read it). */
  document: DocumentMeta.nullable(),
  /** The current version (1, 2, …); null before the first. */
  version: z.number().int().positive().nullable(),
  lang: z.enum(['vi', 'en']).nullable(),
  slots: z.array(NoticeSlot),
  /** YYYY-MM-DD: 5 working days after the meeting's close date in the council's zone; null while not closed. */
  deadline: z.string().nullable(),
  issuedAt: z.string().nullable(),
  signed: z.boolean(),
  signedAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  sentCount: z.number().int(),
  /** No version was issued and signed by the end of the deadline day. */
  overdue: z.boolean(),
  /** Every live version, oldest first; the last one is the current notice. */
  versions: z.array(NoticeVersion),
});

export const GeneratedNotice = z.object({
  document: DocumentMeta,
  slots: z.array(NoticeSlot),
  version: z.number().int().positive(),
  /** The draft this one replaced (revoked), if any. */
  replaced: z.string().nullable(),
  /** The signed version this one follows (kept, now superseded), if any. */
  supersedes: z.string().nullable(),
});
export type GeneratedNotice = z.infer<typeof GeneratedNotice>;
export type ConclusionNoticeState = z.infer<typeof ConclusionNoticeState>;

/** Whom to mail: every member with an address, or only those whose last attempt the server refused. */
export const SendNoticeRequest = z.strictObject({ only: z.enum(['all', 'failed']).default('all') });
export type SendNoticeRequest = z.input<typeof SendNoticeRequest>;

export const NoticeDelivery = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  email: z.string(),
  /** Last attempt. */
  attemptedAt: z.string(),
  /** The SMTP server accepted the message for this address. */
  accepted: z.boolean(),
  error: z.string().nullable(),
  attempts: z.number().int().positive(),
});
export type NoticeDelivery = z.infer<typeof NoticeDelivery>;

export const NoticeDeliveryList = z.object({
  /** The notice version these deliveries are of (the current one); null before any. */
  documentId: z.uuid().nullable(),
  deliveries: z.array(NoticeDelivery),
});
export type NoticeDeliveryList = z.infer<typeof NoticeDeliveryList>;

export const SendNoticeResponse = z.object({
  sentAt: z.string(),
  sent: z.number().int(),
  failed: z.number().int(),
  /** Members without an email address (they get no mail). */
  noEmail: z.number().int(),
});
export type SendNoticeResponse = z.infer<typeof SendNoticeResponse>;
