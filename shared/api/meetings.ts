import { z } from 'zod';
import { MeetingRole } from '../roles';
import { DocumentMeta } from './documents';
import { DEFAULT_TIME_ZONE, TimeZone } from '../time-zone';

/** REST contracts for councils, meetings, members, RSVP and agenda (docs/api.md). */

export const MeetingStatus = z.enum(['draft', 'published', 'in_progress', 'closed']);
export type MeetingStatus = z.infer<typeof MeetingStatus>;
export const Rsvp = z.enum(['pending', 'attending', 'absent']);
export type Rsvp = z.infer<typeof Rsvp>;
export const AgendaKind = z.enum(['report', 'resolution', 'election']);
export type AgendaKind = z.infer<typeof AgendaKind>;

export const Council = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(['peoples_council', 'peoples_committee']),
  quorumNum: z.number().int(),
  quorumDen: z.number().int(),
  /** Minutes after a meeting closes during which delegates still read its confidential documents. */
  confidentialGraceMinutes: z.number().int().nonnegative().optional(),
  /** IANA time zone of the council's papers (minutes, notices, exports). */
  timeZone: z.string().optional(),
  /** How many users belong to the council (GET /api/councils). */
  memberCount: z.number().int().nonnegative().optional(),
});
export type Council = z.infer<typeof Council>;
export const CouncilList = z.object({ councils: z.array(Council) });

export const CreateCouncilRequest = z.object({
  name: z.string().trim().min(1).max(300),
  kind: z.enum(['peoples_council', 'peoples_committee']).default('peoples_council'),
  quorumNum: z.number().int().min(1).max(100).default(2),
  quorumDen: z.number().int().min(1).max(100).default(3),
  /** 0 = confidential documents leave delegates the moment the meeting closes; at most 30 days. */
  confidentialGraceMinutes: z.number().int().min(0).max(30 * 24 * 60).default(0),
  /** Times in the council's papers are stated in this zone (Vietnam's by default). */
  timeZone: TimeZone.default(DEFAULT_TIME_ZONE),
  memberIds: z.array(z.uuid()).max(2000).default([]),
});

export const MeetingSummary = z.object({
  id: z.uuid(),
  councilId: z.uuid().nullable(),
  title: z.string(),
  body: z.string(),
  location: z.string(),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  status: MeetingStatus,
  /** The caller's role in this meeting (null for an admin who is not a member). */
  myRole: MeetingRole.nullable(),
  myRsvp: Rsvp.nullable(),
});
export type MeetingSummary = z.infer<typeof MeetingSummary>;

export const MeetingList = z.object({ meetings: z.array(MeetingSummary) });

export const CreateMeetingRequest = z.object({
  title: z.string().trim().min(1).max(500),
  body: z.string().trim().min(1).max(300),
  location: z.string().trim().max(300).default(''),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }).optional(),
  councilId: z.uuid().optional(),
});
export type CreateMeetingRequest = z.infer<typeof CreateMeetingRequest>;

// Explicit optionals, not CreateMeetingRequest.partial(): in zod 4 a `.default()` inside `.optional()`
// still fills in, so a PATCH without `location` would have blanked it.
export const UpdateMeetingRequest = z.object({
  title: z.string().trim().min(1).max(500).optional(),
  body: z.string().trim().min(1).max(300).optional(),
  location: z.string().trim().max(300).optional(),
  startsAt: z.iso.datetime({ offset: true }).optional(),
  endsAt: z.iso.datetime({ offset: true }).nullable().optional(),
  quorumNum: z.number().int().min(1).max(100).optional(),
  quorumDen: z.number().int().min(1).max(100).optional(),
  requireSignedBallots: z.boolean().optional(),
});

/** draft → published → in_progress → closed (and published → draft to withdraw). */
export const ChangeStatusRequest = z.object({ status: MeetingStatus });

export const Member = z.object({
  userId: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  title: z.string().nullable(),
  role: MeetingRole,
  rsvp: Rsvp,
  rsvpReason: z.string().nullable(),
  canRunRoom: z.boolean(),
});
export type Member = z.infer<typeof Member>;

export const PutMemberRequest = z.object({ role: MeetingRole, canRunRoom: z.boolean().optional() });

export const RsvpRequest = z.discriminatedUnion('rsvp', [
  z.object({ rsvp: z.literal('attending') }),
  z.object({ rsvp: z.literal('absent'), reason: z.string().trim().min(1).max(500) }),
]);

export interface AgendaItem {
  id: string;
  parentId: string | null;
  position: number;
  title: string;
  description: string;
  presenter: string;
  kind: AgendaKind;
  /** Documents attached to this item (ids; details in MeetingDetail.documents). */
  documentIds: string[];
  children: AgendaItem[];
}
export const AgendaItem: z.ZodType<AgendaItem> = z.lazy(() =>
  z.object({
    id: z.uuid(),
    parentId: z.uuid().nullable(),
    position: z.number().int(),
    title: z.string(),
    description: z.string(),
    presenter: z.string(),
    kind: AgendaKind,
    documentIds: z.array(z.uuid()),
    children: z.array(AgendaItem),
  }),
);

export const CreateAgendaItemRequest = z.object({
  title: z.string().trim().min(1).max(500),
  description: z.string().trim().max(5000).default(''),
  presenter: z.string().trim().max(300).default(''),
  kind: AgendaKind,
  parentId: z.uuid().nullable().optional(),
  /** 0-based position among siblings; default: last. */
  position: z.number().int().min(0).optional(),
});
// Explicit optionals for the same zod 4 reason as UpdateMeetingRequest (defaults would blank fields).
export const UpdateAgendaItemRequest = z.object({
  title: z.string().trim().min(1).max(500).optional(),
  description: z.string().trim().max(5000).optional(),
  presenter: z.string().trim().max(300).optional(),
  kind: AgendaKind.optional(),
});

/** Whole-tree reorder/nest: every item of the meeting exactly once. */
export const ReorderAgendaRequest = z.object({
  items: z
    .array(z.object({ id: z.uuid(), parentId: z.uuid().nullable(), position: z.number().int().min(0) }))
    .max(1000),
});

export const AgendaTree = z.object({ items: z.array(AgendaItem) });
export const MemberList = z.object({ members: z.array(Member) });
export const MemberParams = z.object({ id: z.uuid(), userId: z.uuid() });

/** Adds every active member of a council to a meeting in one step; members already in it keep their role. */
export const AddCouncilMembersRequest = z.object({ councilId: z.uuid() });
export const AddCouncilMembersResponse = z.object({ added: z.number().int(), skipped: z.number().int() });
export type AddCouncilMembersResponse = z.infer<typeof AddCouncilMembersResponse>;

/** Gives several members the same role at once (all or nothing). */
export const BulkRoleRequest = z.object({ userIds: z.array(z.uuid()).min(1).max(2000), role: MeetingRole });
export const BulkRoleResponse = z.object({ changed: z.number().int() });
export type BulkRoleResponse = z.infer<typeof BulkRoleResponse>;
export const AgendaItemParams = z.object({ itemId: z.uuid() });
export const MeetingListQuery = z.object({ status: MeetingStatus.optional() });

/** GET /api/meetings/:id — everything a member may see of one meeting. */
export const MeetingDetail = MeetingSummary.extend({
  quorumNum: z.number().int(),
  quorumDen: z.number().int(),
  requireSignedBallots: z.boolean(),
  paused: z.boolean(),
  currentItemId: z.uuid().nullable(),
  /** The caller may edit the meeting, its agenda, members and documents (admin or meeting secretary). */
  canManage: z.boolean(),
  members: z.array(Member),
  agenda: z.array(AgendaItem),
  /** Non-revoked documents the caller may read (observers: public only). */
  documents: z.array(DocumentMeta),
});
export type MeetingDetail = z.infer<typeof MeetingDetail>;
