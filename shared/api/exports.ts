import { z } from 'zod';

/**
 * Meeting exports (docs/api.md "Exports"): vote records and attendance for the secretariat's files.
 * CSV is UTF-8 with a BOM so Excel shows Vietnamese; XLSX holds all three tables as sheets.
 */
export const ExportFile = z.enum(['votes.csv', 'ballots.csv', 'attendance.csv', 'meeting.xlsx']);
export type ExportFile = z.infer<typeof ExportFile>;
export const EXPORT_FILES = ExportFile.options;

export const ExportParams = z.strictObject({ id: z.uuid(), file: ExportFile });
export const ExportQuery = z.strictObject({ lang: z.enum(['vi', 'en']).default('vi') });
export type ExportLang = z.infer<typeof ExportQuery>['lang'];
