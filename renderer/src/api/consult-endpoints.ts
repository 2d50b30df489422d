import { Consultation, ConsultationDocument, ConsultationList, type AnswerRequest, type CreateConsultationRequest } from '../../../shared/api/consultations';
import { InvitationsView, RsvpLinkView, SendInvitationsResponse, type RsvpLinkAnswer } from '../../../shared/api/invitations';
import { api, uploadMultipart } from './http';

/** Invitations, RSVP links and written consultations (docs/api.md); answers parsed with the shared schemas. */
export const consultEndpoints = {
  invitations: (meetingId: string) => api('GET', `/api/meetings/${meetingId}/invitations`, InvitationsView),
  sendInvitations: (meetingId: string, extraordinary: boolean, lang: 'vi' | 'en') =>
    api('POST', `/api/meetings/${meetingId}/invitations`, SendInvitationsResponse, { extraordinary, lang }),
  rsvpLinkView: (token: string) => api('POST', '/api/rsvp-link/view', RsvpLinkView, { token }),
  rsvpLinkAnswer: (body: RsvpLinkAnswer) => api('POST', '/api/rsvp-link', RsvpLinkView, body),
  consultations: (status?: 'open' | 'closed') => api('GET', `/api/consultations${status ? `?status=${status}` : ''}`, ConsultationList),
  consultation: (id: string) => api('GET', `/api/consultations/${id}`, Consultation),
  createConsultation: (body: CreateConsultationRequest) => api('POST', '/api/consultations', Consultation, body),
  answer: (id: string, body: AnswerRequest) => api('POST', `/api/consultations/${id}/answers`, Consultation, body),
  close: (id: string, lang: 'vi' | 'en') => api('POST', `/api/consultations/${id}/close`, Consultation, { lang }),
  addDocument: (id: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return uploadMultipart(`/api/consultations/${id}/documents`, form, ConsultationDocument, () => undefined).promise;
  },
};

