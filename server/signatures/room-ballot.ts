import { LRUCache } from 'lru-cache';
import { AppError } from '../errors';
import type { AppContext } from '../http/context';
import type { BallotCast } from '../../shared/room/schemas';
import { verifySignedBallot } from './ballot-verify';
import { signingCertificateHashes } from './user-certificates';
import { loadTrustStore, type TrustStore } from './trust-store';

// The trust store is read from files; a vote burst must not re-read them for every ballot. Five
// seconds old at most (a new CRL or root takes effect quickly); concurrent ballots share one read.
const trustCache = new LRUCache<string, TrustStore>({
  max: 16,
  ttl: 5_000,
  fetchMethod: (dataDir) => loadTrustStore(dataDir),
});

async function trustFor(dataDir: string): Promise<TrustStore> {
  return (await trustCache.fetch(dataDir)) ?? loadTrustStore(dataDir);
}

/**
 * Verifies a named ballot's signature for the live room (called from server/room/ballot-signature.ts):
 * the CMS must be over {meetingId, pollId, choice, ballotId, castAt, nonce} exactly as submitted, made
 * with one of the voter's registered, unrevoked certificates, chained to the trust store. Throws
 * INVALID_SIGNATURE with the reason otherwise.
 */
export async function verifyRoomBallot(ctx: AppContext, userId: string, ballot: BallotCast): Promise<void> {
  if (!ballot.signature || !ballot.castAt) {
    throw new AppError(400, 'INVALID_SIGNATURE', 'A signed ballot needs signature and castAt');
  }
  const certs = await signingCertificateHashes(ctx.db, userId);
  const payload = {
    meetingId: ballot.meetingId,
    pollId: ballot.pollId,
    choice: ballot.choice,
    ballotId: ballot.ballotId,
    castAt: ballot.castAt,
    ...(ballot.nonce === undefined ? {} : { nonce: ballot.nonce }),
  };
  const verdict = verifySignedBallot(
    payload,
    Buffer.from(ballot.signature, 'base64'),
    { meetingId: ballot.meetingId, pollId: ballot.pollId, ballotId: ballot.ballotId, choice: ballot.choice, voterCertSha256: certs },
    { trust: await trustFor(ctx.config.dataDir) },
  );
  if (!verdict.ok) {
    throw new AppError(400, 'INVALID_SIGNATURE', `Ballot signature rejected: ${verdict.reason}`);
  }
}
