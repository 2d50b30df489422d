import { createHash } from 'node:crypto';
import { ballotSigningBytes, type BallotPayload, type SignedBallot } from '../../shared/signatures/ballot';
import { buildDetachedCms, type CmsSigner } from './cms-sign';

/** Signs a named ballot: detached CMS over the payload's RFC 8785 bytes (what the desktop vault does). */
export async function signBallot(payload: BallotPayload, signer: CmsSigner): Promise<SignedBallot> {
  const digest = createHash('sha256').update(ballotSigningBytes(payload)).digest();
  const cms = await buildDetachedCms(digest, signer, { signingTime: new Date(payload.castAt) });
  return { payload, cms: Buffer.from(cms).toString('base64') };
}
