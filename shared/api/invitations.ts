import { z } from 'zod';
import { Rsvp } from './meetings';

/** POST /api/meetings/:id/invitations — render, sign and email the invitation (giấy mời). */
export const SendInvitationsRequest = z.object({
  /** A meeting called at short notice on purpose (họp bất thường): no notice-period warning. */
  extraordinary: z.boolean().default(false),
  lang: z.enum(['vi', 'en']).default('vi'),
});
export type SendInvitationsRequest = z.input<typeof SendInvitationsRequest>;

export const NoticeStatus = z.object({
  workingDays: z.number().int(),
  required: z.number().int(),
  short: z.boolean(),
});
export type NoticeStatus = z.infer<typeof NoticeStatus>;

export const DeliveryStatus = z.enum(['sent', 'failed', 'no_email', 'logged']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const InvitationDelivery = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  email: z.string().nullable(),
  status: DeliveryStatus,
  error: z.string().nullable(),
});
export type InvitationDelivery = z.infer<typeof InvitationDelivery>;

export const Invitation = z.object({
  id: z.uuid(),
  meetingId: z.uuid(),
  documentId: z.uuid().nullable(),
  sentAt: z.string(),
  workingDays: z.number().int(),
  shortNotice: z.boolean(),
  extraordinary: z.boolean(),
  signed: z.boolean(),
  deliveries: z.array(InvitationDelivery),
});
export type Invitation = z.infer<typeof Invitation>;

export const Warning = z.object({ code: z.enum(['SHORT_NOTICE', 'UNSIGNED', 'NOT_DELIVERED']), message: z.string() });
export type Warning = z.infer<typeof Warning>;

export const SendInvitationsResponse = z.object({ invitation: Invitation, warnings: z.array(Warning) });
export type SendInvitationsResponse = z.infer<typeof SendInvitationsResponse>;

/** GET /api/meetings/:id/invitations — what was sent, and the notice a sending now would give. */
export const InvitationsView = z.object({ notice: NoticeStatus, invitations: z.array(Invitation) });
export type InvitationsView = z.infer<typeof InvitationsView>;

/**
 * What an emailed RSVP link carries (signed by the server, docs/api.md "Invitations"): one purpose
 * (`rsvp`), one meeting, one member, an expiry. It is not a login: it can only answer that invitation.
 */
export const RsvpLinkPayload = z.strictObject({
  p: z.literal('rsvp'),
  m: z.uuid(),
  u: z.uuid(),
  exp: z.number().int().positive(),
});
export type RsvpLinkPayload = z.infer<typeof RsvpLinkPayload>;

export const LinkToken = z.string().min(20).max(2000).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

/** GET /api/rsvp/:token — what the RSVP page shows without a login. */
export const RsvpLinkView = z.object({
  meeting: z.object({ id: z.uuid(), title: z.string(), startsAt: z.string(), location: z.string(), status: z.string() }),
  member: z.object({ displayName: z.string(), rsvp: Rsvp, rsvpReason: z.string().nullable() }),
  expiresAt: z.string(),
});
export type RsvpLinkView = z.infer<typeof RsvpLinkView>;

/** POST /api/rsvp-link/view — the token travels in the body, never in a URL the server logs. */
export const RsvpLinkViewRequest = z.object({ token: LinkToken });

/** POST /api/rsvp-link — the token plus the same answer as the signed-in RSVP. */
export const RsvpLinkAnswer = z.discriminatedUnion('rsvp', [
  z.object({ token: LinkToken, rsvp: z.literal('attending') }),
  z.object({ token: LinkToken, rsvp: z.literal('absent'), reason: z.string().trim().min(1).max(500) }),
]);
export type RsvpLinkAnswer = z.infer<typeof RsvpLinkAnswer>;
