import { z } from 'zod';
import { IsoDateTime, text } from './common';
import { SignedBallot } from '../signatures/ballot';

/** Written opinions between meetings (xin ý kiến bằng văn bản), docs/api.md "Consultations". */
export const ConsultationChoice = z.enum(['agree', 'disagree', 'other']);
export type ConsultationChoice = z.infer<typeof ConsultationChoice>;

export const CreateConsultationRequest = z.object({
  title: text(300),
  question: text(5000),
  deadline: IsoDateTime,
  memberIds: z.array(z.uuid()).min(1).max(500),
  /** Members must sign their answer with their certificate (docs/signatures.md "Signed ballots"). */
  requireSignature: z.boolean().default(false),
});
export type CreateConsultationRequest = z.input<typeof CreateConsultationRequest>;

export const ConsultationDocument = z.object({ id: z.uuid(), name: z.string(), size: z.number().int(), pages: z.number().int(), url: z.string() });
export type ConsultationDocument = z.infer<typeof ConsultationDocument>;

export const ConsultationAnswer = z.object({
  choice: ConsultationChoice,
  comment: z.string(),
  answeredAt: z.string(),
  signed: z.boolean(),
  signerSubject: z.string().nullable(),
});
export type ConsultationAnswer = z.infer<typeof ConsultationAnswer>;

export const ConsultationMember = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  title: z.string().nullable(),
  answer: ConsultationAnswer.nullable(),
});
export type ConsultationMember = z.infer<typeof ConsultationMember>;

export const ConsultationTally = z.object({ agree: z.number().int(), disagree: z.number().int(), other: z.number().int(), none: z.number().int() });
export type ConsultationTally = z.infer<typeof ConsultationTally>;

export const Consultation = z.object({
  id: z.uuid(),
  title: z.string(),
  question: z.string(),
  status: z.enum(['open', 'closed']),
  deadline: z.string(),
  /** True once the deadline has passed (answers are refused) even if not closed yet. */
  deadlinePassed: z.boolean(),
  requireSignature: z.boolean(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  memberCount: z.number().int(),
  answeredCount: z.number().int(),
  canManage: z.boolean(),
  isMember: z.boolean(),
  myAnswer: ConsultationAnswer.nullable(),
  documents: z.array(ConsultationDocument),
  /** Managers only (secretary, admin): who answered what; members get []. */
  members: z.array(ConsultationMember),
  /** Managers always; members once closed. */
  tally: ConsultationTally.nullable(),
  reportUrl: z.string().nullable(),
});
export type Consultation = z.infer<typeof Consultation>;

export const ConsultationList = z.object({ consultations: z.array(Consultation) });

export const ConsultationListQuery = z.object({ status: z.enum(['open', 'closed']).optional() });

/**
 * What a signed answer signs: the ballot payload (shared/signatures/ballot.ts) with
 * meetingId = `consultation`, pollId = the consultation id, ballotId = the answer id and
 * choice = [choice, sha256 hex of the comment], so the server's ballot verification applies unchanged.
 */
export const CONSULTATION_SIGN_SCOPE = 'consultation';

export const AnswerRequest = z
  .object({
    choice: ConsultationChoice,
    comment: z.string().trim().max(2000).default(''),
    signature: SignedBallot.optional(),
  })
  .refine((a) => a.choice !== 'other' || a.comment.length > 0, { message: 'another opinion needs its text (at most 2000 characters)', path: ['comment'] });
export type AnswerRequest = z.input<typeof AnswerRequest>;
