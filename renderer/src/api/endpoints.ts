import { z } from 'zod';
import { LoginResponse, type LoginRequest } from '../../../shared/api/auth';
import { DocumentMeta, PackageManifest } from '../../../shared/api/documents';
import {
  AddCouncilMembersResponse,
  AgendaItem,
  BulkRoleResponse,
  CouncilList,
  MeetingDetail,
  MeetingList,
  MeetingSummary,
  type CreateMeetingRequest,
  type MeetingStatus,
  type Rsvp,
} from '../../../shared/api/meetings';
import type { MeetingRole } from '../../../shared/roles';
import { api, uploadMultipart, type UploadProgress } from './http';

/** Typed calls to the REST API (docs/api.md); every answer is parsed with the shared schema. */

const UserList = z.object({
  users: z.array(z.object({ id: z.uuid(), username: z.string(), displayName: z.string(), role: z.string(), title: z.string().nullable() })),
});
export type DirectoryUser = z.infer<typeof UserList>['users'][number];

export const endpoints = {
  login: (body: LoginRequest) => api('POST', '/api/auth/login', LoginResponse, body),
  logout: () => api('POST', '/api/auth/logout', null),
  meetings: () => api('GET', '/api/meetings', MeetingList),
  meeting: (id: string) => api('GET', `/api/meetings/${id}`, MeetingDetail),
  councils: () => api('GET', '/api/councils', CouncilList),
  createMeeting: (body: Pick<CreateMeetingRequest, 'title' | 'body' | 'location' | 'startsAt' | 'endsAt' | 'councilId'>) =>
    api('POST', '/api/meetings', MeetingSummary.partial().extend({ id: z.uuid() }), body),
  setStatus: (id: string, status: MeetingStatus) => api('POST', `/api/meetings/${id}/status`, null, { status }),
  rsvp: (id: string, rsvp: Rsvp, reason?: string) =>
    api('POST', `/api/meetings/${id}/rsvp`, null, rsvp === 'absent' ? { rsvp, reason } : { rsvp }),
  addAgendaItem: (
    meetingId: string,
    body: { title: string; kind: 'report' | 'resolution' | 'election'; presenter?: string; parentId?: string | null },
  ) => api('POST', `/api/meetings/${meetingId}/agenda`, AgendaItem, body),
  reorderAgenda: (meetingId: string, items: { id: string; parentId: string | null; position: number }[]) =>
    api('PUT', `/api/meetings/${meetingId}/agenda/order`, null, { items }),
  deleteAgendaItem: (itemId: string) => api('DELETE', `/api/agenda/${itemId}`, null),
  users: () => api('GET', '/api/users', UserList),
  putMember: (meetingId: string, userId: string, role: MeetingRole) =>
    api('PUT', `/api/meetings/${meetingId}/members/${userId}`, null, { role }),
  addCouncilMembers: (meetingId: string, councilId: string) =>
    api('POST', `/api/meetings/${meetingId}/members/from-council`, AddCouncilMembersResponse, { councilId }),
  setRoles: (meetingId: string, userIds: string[], role: MeetingRole) =>
    api('POST', `/api/meetings/${meetingId}/members/roles`, BulkRoleResponse, { userIds, role }),
  removeMember: (meetingId: string, userId: string) => api('DELETE', `/api/meetings/${meetingId}/members/${userId}`, null),
  manifest: (meetingId: string) => api('GET', `/api/meetings/${meetingId}/package`, PackageManifest),
  upload: (meetingId: string, file: File, fields: { agendaItemId?: string; confidentiality: string }, onProgress: (p: UploadProgress) => void) => {
    const form = new FormData();
    // Fields before the file: the server streams the file part and needs the fields first.
    if (fields.agendaItemId) {
      form.append('agendaItemId', fields.agendaItemId);
    }
    form.append('confidentiality', fields.confidentiality);
    form.append('file', file, file.name);
    return uploadMultipart(`/api/meetings/${meetingId}/documents`, form, DocumentMeta, onProgress);
  },
};
