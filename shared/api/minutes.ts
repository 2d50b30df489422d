import { z } from 'zod';
import { IsoDateTime } from './common';

/**
 * REST contracts for the record the minutes are written from (docs/api.md "Speeches" and
 * "Conclusions"): speaking turns with the secretary's summary and the chair's conclusion per agenda
 * item. Limits are stated in the messages so a refused field says what is allowed.
 */

/** Longest speech summary and conclusion, in characters. */
export const SPEECH_SUMMARY_MAX = 5000;
export const CONCLUSION_MAX = 5000;

const summaryText = z.string().trim().max(SPEECH_SUMMARY_MAX, `at most ${SPEECH_SUMMARY_MAX} characters`);

export const MeetingItemParams = z.strictObject({ id: z.uuid(), itemId: z.uuid() });
export const SpeechParams = z.strictObject({ id: z.uuid(), speechId: z.uuid() });

/** A speaking turn. `source`: `floor` when the chair gave the floor in the room, `manual` when added by hand. */
export const Speech = z.object({
  id: z.uuid(),
  meetingId: z.uuid(),
  agendaItemId: z.uuid().nullable(),
  userId: z.uuid(),
  displayName: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  summary: z.string(),
  source: z.enum(['floor', 'manual']),
  updatedAt: z.string(),
});
export type Speech = z.infer<typeof Speech>;
export const SpeechList = z.object({ speeches: z.array(Speech) });
export type SpeechList = z.infer<typeof SpeechList>;

/** POST /api/meetings/:id/speeches — a turn the room did not record (or recorded on paper). */
export const CreateSpeechRequest = z
  .strictObject({
    userId: z.uuid(),
    /** The agenda item spoken on; omitted = the meeting's current item (none if there is none). */
    agendaItemId: z.uuid().nullable().optional(),
    /** Omitted = now. */
    startedAt: IsoDateTime.optional(),
    endedAt: IsoDateTime.nullable().optional(),
    summary: summaryText.default(''),
  })
  .refine((b) => !b.startedAt || !b.endedAt || Date.parse(b.endedAt) >= Date.parse(b.startedAt), {
    message: 'endedAt must not be before startedAt',
    path: ['endedAt'],
  });
export type CreateSpeechRequest = z.input<typeof CreateSpeechRequest>;

/** PATCH or PUT /api/meetings/:id/speeches/:speechId — the secretary's summary (empty clears it). */
export const UpdateSpeechRequest = z.strictObject({ summary: summaryText });
export type UpdateSpeechRequest = z.infer<typeof UpdateSpeechRequest>;

/** The chair's conclusion on one agenda item; `position` numbers the item like the agenda ("1", "1.2"). */
export const Conclusion = z.object({ agendaItemId: z.uuid(), position: z.string(), title: z.string(), text: z.string() });
export type Conclusion = z.infer<typeof Conclusion>;
export const ConclusionList = z.object({ conclusions: z.array(Conclusion) });
export type ConclusionList = z.infer<typeof ConclusionList>;

/** PUT /api/meetings/:id/agenda/:itemId/conclusion — empty text removes the conclusion. */
export const PutConclusionRequest = z.strictObject({
  text: z.string().trim().max(CONCLUSION_MAX, `at most ${CONCLUSION_MAX} characters`),
});
export type PutConclusionRequest = z.infer<typeof PutConclusionRequest>;
export const PutConclusionResponse = z.object({ conclusion: Conclusion.nullable() });
export type PutConclusionResponse = z.infer<typeof PutConclusionResponse>;
