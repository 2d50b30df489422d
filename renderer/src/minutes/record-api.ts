import { ConclusionList, PutConclusionResponse, Speech, SpeechList, type CreateSpeechRequest } from '../../../shared/api/minutes';
import { api } from '../api/http';

/** REST calls for the record behind the minutes (docs/api.md "Speeches and conclusions"). */
export const recordApi = {
  speeches: (meetingId: string) => api('GET', `/api/meetings/${meetingId}/speeches`, SpeechList),
  addSpeech: (meetingId: string, body: CreateSpeechRequest) => api('POST', `/api/meetings/${meetingId}/speeches`, Speech, body),
  summarise: (meetingId: string, speechId: string, summary: string) => api('PATCH', `/api/meetings/${meetingId}/speeches/${speechId}`, Speech, { summary }),
  conclusions: (meetingId: string) => api('GET', `/api/meetings/${meetingId}/conclusions`, ConclusionList),
  conclude: (meetingId: string, itemId: string, text: string) => api('PUT', `/api/meetings/${meetingId}/agenda/${itemId}/conclusion`, PutConclusionResponse, { text }),
};
