import { z } from 'zod';
import { SignedRevisionList } from '../../../shared/signatures/api';
import {
  GenerateMinutesResponse,
  MinutesList,
  PrepareSigningResponse,
  type PrepareSigningRequest,
} from '../../../shared/signatures/minutes';
import { VerifyReport } from '../../../shared/signatures/report';
import { api } from '../api/http';

/** REST calls of the signatures module (docs/signatures.md), parsed with the shared schemas. */
export const signaturesApi = {
  verify: (documentId: string) => api('POST', `/api/documents/${documentId}/verify`, VerifyReport),
  revisions: (documentId: string) => api('GET', `/api/documents/${documentId}/signed-revisions`, SignedRevisionList),
  minutes: (meetingId: string) => api('GET', `/api/meetings/${meetingId}/minutes`, MinutesList),
  generateMinutes: (meetingId: string, lang: 'vi' | 'en') => api('POST', `/api/meetings/${meetingId}/minutes`, GenerateMinutesResponse, { lang }),
  prepare: (documentId: string, body: PrepareSigningRequest) => api('POST', `/api/documents/${documentId}/signing`, PrepareSigningResponse, body),
  complete: (documentId: string, sessionId: string, signature: string) =>
    api('POST', `/api/documents/${documentId}/signing/${sessionId}`, z.object({ report: VerifyReport }), { signature }),
};
