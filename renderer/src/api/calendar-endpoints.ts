import { NonWorkingDayList, type AddNonWorkingDaysRequest } from '../../../shared/api/non-working-days';
import { api } from './http';

/** A council's non-working days (docs/api.md "Non-working days"); answers parsed with the shared schema. */
export const calendarEndpoints = {
  list: (councilId: string, year: number) => api('GET', `/api/councils/${councilId}/non-working-days?year=${year}`, NonWorkingDayList),
  add: (councilId: string, body: AddNonWorkingDaysRequest) => api('POST', `/api/councils/${councilId}/non-working-days`, NonWorkingDayList, body),
  remove: (councilId: string, date: string) => api('DELETE', `/api/councils/${councilId}/non-working-days/${date}`, NonWorkingDayList),
};
