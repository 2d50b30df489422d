import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PackageManifest } from '../../../shared/api/documents';
import type { RoomClient } from '../../../shared/room/client';
import { endpoints } from '../api/endpoints';
import { platform } from '../platform';

/** Several changes in a burst (a package upload, a signature) become one re-read. */
const EVENT_DEBOUNCE_MS = 200;

export const manifestKey = (meetingId: string) => ['manifest', meetingId] as const;

/** The one way to read a meeting's package manifest, so every reader of the key shares its options. */
export const manifestQuery = (meetingId: string) =>
  queryOptions({
    queryKey: manifestKey(meetingId),
    queryFn: () => endpoints.manifest(meetingId),
    // Same content → same object, so consumers' effects do not re-run on every re-read
    // (generatedAt changes each time, so the default deep comparison would never keep the old one).
    structuralSharing: (old, next) => (old && sameManifest(old as PackageManifest, next as PackageManifest) ? old : next),
  });

/**
 * The meeting's package manifest (a TanStack query), re-read when the live room says a document was
 * added, updated or revoked, after every room snapshot (join, resync, re-join after a reconnect: events
 * sent while we were away are not replayed), when the window regains focus and when the network comes
 * back, so new documents and new signed revisions (minutes) reach members without a reload.
 * The event carries ids only; the list comes over REST, which applies confidentiality per user.
 */
export function useDocumentWatch(meetingId: string, room: RoomClient | null): PackageManifest | null {
  const queries = useQueryClient();
  const { data } = useQuery(manifestQuery(meetingId));

  useEffect(() => {
    if (!room) {
      return;
    }
    let debounce: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => void queries.invalidateQueries({ queryKey: manifestKey(meetingId) }), EVENT_DEBOUNCE_MS);
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
  }, [room, meetingId, queries]);

  const manifest = data ?? null;
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
