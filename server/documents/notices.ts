import type { Logger } from 'pino';
import type { Confidentiality } from '../../shared/api/documents';
import type { DocumentsChanged } from '../../shared/room/events';

/** A committed change to a meeting's documents, as the REST modules report it. */
export interface DocumentNotice extends DocumentsChanged {
  /** Who may read the document now, and before the change (a metadata update may narrow it). */
  readonly confidentiality: Confidentiality;
  readonly previousConfidentiality?: Confidentiality;
  /** Only the meeting's staff (chair, secretary) may learn of it: draft minutes (server/minutes/drafts.ts). */
  readonly staffOnly?: boolean;
}

export type DocumentNoticeSink = (n: Readonly<DocumentNotice>) => void;

/**
 * `documents:changed` for the REST modules (documents, signatures, minutes), which run before the
 * live room exists and must not depend on it: they call `documentChanged` after their transaction
 * committed; the room module attaches its sink at start (server/room/document-notices.ts).
 */
export class DocumentNotices {
  private sink: DocumentNoticeSink | null = null;

  constructor(private readonly log: Logger) {}

  attach(sink: DocumentNoticeSink): () => void {
    this.sink = sink;
    return () => {
      if (this.sink === sink) {
        this.sink = null;
      }
    };
  }

  /** Never throws: the change is committed, a lost notice only delays clients until their fallback re-read. */
  documentChanged(n: Readonly<DocumentNotice>): void {
    const sink = this.sink;
    if (!sink) {
      return;
    }
    try {
      sink(n);
    } catch (err) {
      this.log.warn({ err, meetingId: n.meetingId, documentId: n.documentId }, 'documents:changed not sent');
    }
  }
}
