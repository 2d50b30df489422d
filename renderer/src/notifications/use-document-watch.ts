import { useEffect, useRef, useState } from 'react';
import type { PackageManifest } from '../../../shared/api/documents';
import type { RoomClient } from '../../../shared/room/client';
import { endpoints } from '../api/endpoints';
import { platform } from '../platform';

/**
 * Fallback re-read of the meeting package. The live room announces changes (`documents:changed`) and
 * every (re)join snapshot triggers a re-read, so this only catches what both missed.
 */
export const DOCUMENT_POLL_MS = 60_000;
/** Several changes in a burst (a package upload, a signature) become one re-read. */
const EVENT_DEBOUNCE_MS = 200;

/**
 * The meeting's package manifest, re-read when the live room says a document was added, updated or
 * revoked, after every room snapshot (join, resync, re-join after a reconnect: events sent while we
 * were away are not replayed), when the tab becomes visible again and every DOCUMENT_POLL_MS, so new
 * documents and new signed revisions (minutes) reach members without a reload.
 * The event carries ids only; the list comes over REST, which applies confidentiality per user.
 */
export function useDocumentWatch(meetingId: string, room: RoomClient | null, pollMs = DOCUMENT_POLL_MS): PackageManifest | null {
  const [manifest, setManifest] = useState<PackageManifest | null>(null);
  const loadRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    let live = true;
    const load = () => {
      endpoints
        .manifest(meetingId)
        .then((m) => {
          if (live) {
            // Same content → same object, so consumers' effects do not re-run on every re-read.
            setManifest((old) => (old && sameManifest(old, m) ? old : m));
          }
        })
        .catch(() => undefined);
    };
    loadRef.current = load;
    load();
    const timer = setInterval(load, pollMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') {
        load();
      }
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      live = false;
      loadRef.current = () => undefined;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [meetingId, pollMs]);

  useEffect(() => {
    if (!room) {
      return;
    }
    let debounce: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => loadRef.current(), EVENT_DEBOUNCE_MS);
    };
    const offChanged = room.onDocumentsChanged((d) => {
      if (d.meetingId === meetingId) {
        soon();
      }
    });
    const offSnapshot = room.onSnapshot((s) => {
      if (s.meeting.meetingId === meetingId) {
        soon();
      }
    });
    return () => {
      clearTimeout(debounce);
      offChanged();
      offSnapshot();
    };
  }, [room, meetingId]);

  // Every new manifest drives the host's package sync, the one path that adds documents to the device
  // and removes revoked or withdrawn ones (and a closed meeting's, after the retention period).
  useEffect(() => {
    if (manifest) {
      void platform.packages.sync(meetingId).catch(() => undefined);
    }
  }, [manifest, meetingId]);

  return manifest;
}

/** Names, agenda items and confidentiality count too: a metadata update must show without a reload. */
function sameManifest(a: PackageManifest, b: PackageManifest): boolean {
  return JSON.stringify([a.documents, a.revoked]) === JSON.stringify([b.documents, b.revoked]);
}
