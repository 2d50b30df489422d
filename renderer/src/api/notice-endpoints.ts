import { ConclusionNoticeState, GeneratedNotice, NoticeDeliveryList, SendNoticeResponse } from '../../../shared/api/conclusion-notice';
import { api } from './http';

/** The conclusion notice (docs/api.md "Conclusion notice"); answers parsed with the shared schemas. */
export const noticeEndpoints = {
  state: (meetingId: string) => api('GET', `/api/meetings/${meetingId}/conclusion-notice`, ConclusionNoticeState),
  generate: (meetingId: string, lang: 'vi' | 'en') => api('POST', `/api/meetings/${meetingId}/conclusion-notice`, GeneratedNotice, { lang }),
  send: (meetingId: string, only: 'all' | 'failed' = 'all') => api('POST', `/api/meetings/${meetingId}/conclusion-notice/send`, SendNoticeResponse, { only }),
  deliveries: (meetingId: string) => api('GET', `/api/meetings/${meetingId}/conclusion-notice/deliveries`, NoticeDeliveryList),
};
