import { createHash } from 'node:crypto';
import { AppError } from '../errors';
import type { AppContext } from '../http/context';
import { verifySignedBallot } from '../signatures/ballot-verify';
import { signingCertificateHashes } from '../signatures/user-certificates';
import { loadTrustStore } from '../signatures/trust-store';
import { CONSULTATION_SIGN_SCOPE, type ConsultationChoice } from '../../shared/api/consultations';
import type { SignedBallot } from '../../shared/signatures/ballot';

/** The signed "choice" of an answer: the option and the SHA-256 of its comment text (shared/api/consultations.ts). */
export function answerSignedChoice(choice: ConsultationChoice, comment: string): string[] {
  return [choice, createHash('sha256').update(comment, 'utf8').digest('hex')];
}

/**
 * A signed written opinion goes through the same check as a signed named ballot
 * (server/signatures/ballot-verify.ts): bound to this consultation and exactly this option and text,
 * made with one of the member's registered, unrevoked certificates, chained to the trust store,
 * fresh. Returns the signer's name for the record.
 */
export async function verifyAnswerSignature(
  ctx: AppContext,
  consultationId: string,
  userId: string,
  choice: ConsultationChoice,
  comment: string,
  signature: SignedBallot,
): Promise<string> {
  const certs = await signingCertificateHashes(ctx.db, userId);
  const verdict = verifySignedBallot(
    signature.payload,
    Buffer.from(signature.cms, 'base64'),
    { meetingId: CONSULTATION_SIGN_SCOPE, pollId: consultationId, choice: answerSignedChoice(choice, comment), voterCertSha256: certs },
    { trust: await loadTrustStore(ctx.config.dataDir) },
  );
  if (!verdict.ok) {
    throw new AppError(400, 'INVALID_SIGNATURE', `Answer signature rejected: ${verdict.reason}`);
  }
  return verdict.signer.subjectCn;
}
