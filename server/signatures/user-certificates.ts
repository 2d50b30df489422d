import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { userCertificates } from '../db/schema';
import { AppError } from '../errors';

/**
 * The SHA-256 of each registered, unrevoked certificate of a user: a signed ballot or written answer
 * counts only when made with one of them. Throws INVALID_SIGNATURE when the user has none, since no
 * signature of theirs could then be accepted.
 */
export async function signingCertificateHashes(db: Executor, userId: string): Promise<string[]> {
  const certs = await db
    .select({ sha: userCertificates.certSha256 })
    .from(userCertificates)
    .where(and(eq(userCertificates.userId, userId), isNull(userCertificates.revokedAt)));
  if (certs.length === 0) {
    throw new AppError(400, 'INVALID_SIGNATURE', 'You have no registered signing certificate: ask an administrator to issue one');
  }
  return certs.map((c) => c.sha);
}
