import { useEffect, useState } from 'react';
import type { PackageManifest } from '../../../shared/api/documents';
import { endpoints } from '../api/endpoints';

/** How often the room re-reads the meeting package (the live room has no document event yet). */
export const DOCUMENT_POLL_MS = 20_000;

/**
 * The meeting's package manifest, re-read periodically and when the tab becomes visible again, so new
 * documents and new signed revisions (minutes) reach members without a reload (issues #4, #5, #6).
 */
export function useDocumentWatch(meetingId: string, pollMs = DOCUMENT_POLL_MS): PackageManifest | null {
  const [manifest, setManifest] = useState<PackageManifest | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => {
      endpoints
        .manifest(meetingId)
        .then((m) => {
          if (live) {
            // Same content → same object, so consumers' effects do not re-run every poll.
            setManifest((old) => (old && sameDocs(old, m) ? old : m));
          }
        })
        .catch(() => undefined);
    };
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
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [meetingId, pollMs]);
  return manifest;
}

function sameDocs(a: PackageManifest, b: PackageManifest): boolean {
  return a.documents.length === b.documents.length && a.documents.every((d, i) => d.id === b.documents[i]?.id && d.sha256 === b.documents[i]?.sha256);
}
