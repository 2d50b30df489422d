import type { Result } from '../../../shared/errors';
import type { PlatformSigning } from '../../../shared/platform';
import type { CastInput } from '../../../shared/room/client';
import { ballotCanonicalJson, type BallotPayload } from '../../../shared/signatures/ballot';

/** A named ballot about to be signed: exactly what the delegate is shown and what the key signs. */
export interface SignedBallotDraft {
  readonly payload: BallotPayload & { readonly choice: string[]; readonly nonce: string };
  /** RFC 8785 canonical JSON of the payload (docs/signatures.md "Ballot file format"). */
  readonly canonical: string;
}

function randomHex(bytes: number): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The payload of a signed named ballot. The ballot id is fixed here, before signing, so that the
 * room client's retries resend the same signed ballot (idempotent); castAt is in server time
 * (`clockOffsetMs` from the room), because the server refuses signatures older than 10 minutes.
 */
export function draftSignedBallot(meetingId: string, pollId: string, choice: readonly string[], clockOffsetMs: number): SignedBallotDraft {
  const payload = {
    meetingId,
    pollId,
    choice: [...choice],
    ballotId: globalThis.crypto.randomUUID(),
    castAt: new Date(Date.now() + clockOffsetMs).toISOString(),
    nonce: randomHex(16),
  };
  return { payload, canonical: ballotCanonicalJson(payload) };
}

/**
 * Signs the draft with the host's key (the desktop vault's `vault:sign-canonical`: a CAdES detached CMS
 * with signing-certificate-v2) and returns the `ballot:cast` input carrying it.
 */
/** `pin`: the USB token's PIN when the key is on a PKCS#11 token (platform.signing.source() === 'pkcs11'). */
export async function signBallot(signing: PlatformSigning, draft: SignedBallotDraft, pin?: string): Promise<Result<CastInput & { ballotId: string }>> {
  const signed = await signing.sign(draft.canonical, pin);
  if (!signed.ok) {
    return signed;
  }
  const p = draft.payload;
  return { ok: true, value: { meetingId: p.meetingId, pollId: p.pollId, choice: p.choice, ballotId: p.ballotId, castAt: p.castAt, nonce: p.nonce, signature: signed.value.signature } };
}
