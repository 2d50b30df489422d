import type { Logger } from 'pino';
import type { Confidentiality } from '../../shared/api/documents';
import type { DocumentsChanged } from '../../shared/room/events';
import { rooms, type RoomIo } from './types';

export interface DocumentNotice extends DocumentsChanged {
  /** Who may read the document now, and before the change (a metadata update may narrow it). */
  readonly confidentiality: Confidentiality;
  readonly previousConfidentiality?: Confidentiality;
}

/**
 * `documents:changed` for the REST modules (documents, signatures, minutes), which run before the
 * live room exists and must not depend on it: they call `documentChanged` after their transaction
 * committed; the room module attaches its Socket.IO server at start. The emit goes through
 * `io.to(room)`, hence through the Redis adapter to every node's sockets when one is configured.
 */
export class DocumentNotices {
  private io: RoomIo | null = null;

  constructor(private readonly log: Logger) {}

  attach(io: RoomIo): () => void {
    this.io = io;
    return () => {
      if (this.io === io) {
        this.io = null;
      }
    };
  }

  /** Never throws: the change is committed, a lost notice only delays clients until their fallback re-read. */
  documentChanged(n: Readonly<DocumentNotice>): void {
    const io = this.io;
    if (!io) {
      return;
    }
    const payload: DocumentsChanged = { meetingId: n.meetingId, documentId: n.documentId, change: n.change };
    try {
      if (n.confidentiality === 'public' || n.previousConfidentiality === 'public') {
        io.to(rooms.meeting(n.meetingId)).emit('documents:changed', payload);
        return;
      }
      // Observers read public documents only (canReadDocument): they do not even learn the id of
      // another one. Roster = staff + observers + hall display; staff get it through their own room.
      io.to(rooms.meeting(n.meetingId)).except(rooms.roster(n.meetingId)).emit('documents:changed', payload);
      io.to(rooms.staff(n.meetingId)).emit('documents:changed', payload);
    } catch (err) {
      this.log.warn({ err, meetingId: n.meetingId, documentId: n.documentId }, 'documents:changed not sent');
    }
  }
}
