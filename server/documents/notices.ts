import type { Logger } from 'pino';
import type { Confidentiality } from '../../shared/api/documents';
import type { DocumentsChanged } from '../../shared/room/events';
import { NoticeChannel } from '../http/notice-channel';

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
 * `documents:changed` for the REST modules (documents, signatures, minutes): they call
 * `documentChanged` after their transaction committed; the room module attaches its sink at start
 * (server/room/document-notices.ts).
 */
export class DocumentNotices extends NoticeChannel<DocumentNotice> {
  constructor(log: Logger) {
    super(log, 'documents:changed', (n) => ({ meetingId: n.meetingId, documentId: n.documentId }));
  }

  documentChanged(n: Readonly<DocumentNotice>): void {
    this.send(n);
  }
}
