import { z } from 'zod';
import { ConclusionNoticeState, NoticeSlot, SendNoticeResponse } from '../../../shared/api/conclusion-notice';
import { DocumentMeta } from '../../../shared/api/documents';
import { api } from './http';

const Generated = z.object({ document: DocumentMeta, slots: z.array(NoticeSlot), replaced: z.string().nullable() });

/** The conclusion notice (docs/api.md "Conclusion notice"); answers parsed with the shared schemas. */
export const noticeEndpoints = {
  state: (meetingId: string) => api('GET', `/api/meetings/${meetingId}/conclusion-notice`, ConclusionNoticeState),
  generate: (meetingId: string, lang: 'vi' | 'en') => api('POST', `/api/meetings/${meetingId}/conclusion-notice`, Generated, { lang }),
  send: (meetingId: string) => api('POST', `/api/meetings/${meetingId}/conclusion-notice/send`, SendNoticeResponse),
};
