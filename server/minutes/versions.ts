/**
 * Versions of a paper the chair signs (the minutes, the conclusion notice). A version is a draft until
 * the chair has signed its box: generating again replaces the draft (same version, old document
 * revoked); once the chair signed, the text is frozen and generating again makes the next version
 * as a new document, the signed one kept (superseded). One rule for both papers, so they never drift.
 */
export interface VersionRow {
  readonly documentId: string;
  readonly version: number;
  readonly revokedAt: Date | null;
}

export interface VersionPlan {
  /** The version the new document gets. */
  readonly version: number;
  /** Live drafts the new document replaces (to revoke). */
  readonly replaced: string[];
  /** The latest signed document, when the new one is its next version. */
  readonly supersedes: string | null;
}

/** What generating again does, given every recorded version of the paper and which are drafts. */
export function planVersion(rows: readonly VersionRow[], drafts: ReadonlySet<string>): VersionPlan {
  const signed = rows.filter((r) => !drafts.has(r.documentId));
  const latestSigned = signed.reduce<VersionRow | null>((best, r) => (best === null || r.version > best.version ? r : best), null);
  return {
    version: (latestSigned?.version ?? 0) + 1,
    replaced: rows.filter((r) => drafts.has(r.documentId) && !r.revokedAt).map((r) => r.documentId),
    supersedes: latestSigned?.documentId ?? null,
  };
}
