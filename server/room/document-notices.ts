import type { DocumentNotice } from '../documents/notices';
import type { DocumentsChanged } from '../../shared/room/events';
import { rooms, type RoomIo } from './io';

/**
 * Sends `documents:changed` (ids only) to those who may read the document. The emit goes through
 * `io.to(room)`, hence through the Redis adapter to every node's sockets when one is configured.
 * Attached to the REST modules' DocumentNotices (server/documents/notices.ts) by the room module.
 */
export function emitDocumentsChanged(io: RoomIo, n: Readonly<DocumentNotice>): void {
  const payload: DocumentsChanged = { meetingId: n.meetingId, documentId: n.documentId, change: n.change };
  if (n.staffOnly) {
    io.to(rooms.staff(n.meetingId)).emit('documents:changed', payload);
    return;
  }
  if (n.confidentiality === 'public' || n.previousConfidentiality === 'public') {
    io.to(rooms.meeting(n.meetingId)).emit('documents:changed', payload);
    return;
  }
  // Observers read public documents only (canReadDocument): they do not even learn the id of
  // another one. Roster = staff + observers + hall display; staff get it through their own room.
  io.to(rooms.meeting(n.meetingId)).except(rooms.roster(n.meetingId)).emit('documents:changed', payload);
  io.to(rooms.staff(n.meetingId)).emit('documents:changed', payload);
}
