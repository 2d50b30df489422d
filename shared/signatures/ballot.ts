import { z } from 'zod';
import { canonicalJson } from '../domain/canonical-json';

/**
 * What a voter signs for a named ballot (issue #6 "Signed ballots"): the RFC 8785 canonical JSON of
 * exactly these fields. Binding meeting, poll and ballot id stops a signature from being replayed into
 * another poll or as another ballot; castAt bounds its freshness. Secret ballots are never signed.
 */
export const BallotPayload = z.strictObject({
  meetingId: z.string().min(1).max(100),
  pollId: z.string().min(1).max(100),
  choice: z.union([z.string().min(1).max(100), z.array(z.string().min(1).max(100)).max(100)]),
  ballotId: z.string().min(1).max(100),
  castAt: z.iso.datetime({ offset: true }),
  /** Optional client nonce (the live room sends one with each signed ballot). */
  nonce: z.string().min(8).max(128).optional(),
});
export type BallotPayload = z.infer<typeof BallotPayload>;

/** Exported signed ballot (CLI `ballot verify FILE`): payload plus base64 DER detached CMS. */
export const SignedBallot = z.object({
  payload: BallotPayload,
  cms: z.base64().max(64 * 1024),
});
export type SignedBallot = z.infer<typeof SignedBallot>;

/** The exact bytes that are signed and verified. */
export function ballotSigningBytes(p: BallotPayload): Uint8Array {
  return new TextEncoder().encode(
    canonicalJson({
      meetingId: p.meetingId,
      pollId: p.pollId,
      choice: p.choice,
      ballotId: p.ballotId,
      castAt: p.castAt,
      ...(p.nonce === undefined ? {} : { nonce: p.nonce }),
    }),
  );
}
