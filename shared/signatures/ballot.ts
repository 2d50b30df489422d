import { z } from 'zod';
import { canonicalJson } from '../domain/canonical-json';

/**
 * What a voter signs for a named ballot: the RFC 8785 canonical JSON of
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

const utf8 = new TextEncoder();

/**
 * The exact bytes that are signed and verified: RFC 8785 canonical JSON of the payload. Written out
 * for this fixed shape (keys in UTF-16 order: ballotId, castAt, choice, meetingId, nonce, pollId;
 * strings serialized as JSON.stringify does, which is what RFC 8785 §3.2.2.2 prescribes) because the
 * server verifies thousands per second; tests/unit/signatures-ballot.test.ts checks it
 * against the general `canonicalJson` on tricky strings.
 */
export function ballotSigningBytes(p: BallotPayload): Uint8Array {
  const choice = typeof p.choice === 'string' ? str(p.choice) : `[${p.choice.map(str).join(',')}]`;
  const nonce = p.nonce === undefined ? '' : `,"nonce":${str(p.nonce)}`;
  return utf8.encode(`{"ballotId":${str(p.ballotId)},"castAt":${str(p.castAt)},"choice":${choice},"meetingId":${str(p.meetingId)}${nonce},"pollId":${str(p.pollId)}}`);
}

/** A JSON string as RFC 8785 writes it; like `canonicalize`, lone surrogates cannot be represented. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function str(s: string): string {
  if (LONE_SURROGATE.test(s)) {
    throw new Error('Value cannot be represented as canonical JSON');
  }
  return JSON.stringify(s);
}

/** The general RFC 8785 serialization of the same fields (reference for the fast path above). */
export function ballotCanonicalJson(p: BallotPayload): string {
  return canonicalJson({
    meetingId: p.meetingId,
    pollId: p.pollId,
    choice: p.choice,
    ballotId: p.ballotId,
    castAt: p.castAt,
    ...(p.nonce === undefined ? {} : { nonce: p.nonce }),
  });
}
