import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomNotice } from '../../../shared/ipc';
import type { PlatformNotifications } from '../../../shared/platform';
import type { RoomSnapshot } from '../../../shared/room/events';
import { assertNever } from '../../../shared/errors';
import { platform } from '../platform';
import { documentNotices, roomNotices, type DocumentLike } from './room-notices';

type T = (key: string) => string;

/** Hands a notice to the host: the desktop main process localises it; the web gets our texts. */
export function deliver(n: PlatformNotifications, notice: RoomNotice, t: T): Promise<void> {
  if (n.room) {
    return n.room(notice);
  }
  switch (notice.kind) {
    case 'vote-opened':
      return n.notify(t('notify.voteOpened'), notice.title);
    case 'floor-given':
      return n.notify(t('notify.floorGiven'), t('notify.floorBody'));
    case 'document-added':
      return n.notify(t('notify.documentAdded'), notice.name);
    default:
      return assertNever(notice, 'room notice');
  }
}

/**
 * Feeds room snapshots and the meeting's document list into the decision rules and sends what they
 * pick to platform.notifications (window.ecab in Electron; the Notification API on the web when the
 * user allowed it, otherwise nothing).
 */
export function useRoomNotifications(snapshot: RoomSnapshot | null, documents: readonly DocumentLike[] | null): void {
  const { t } = useTranslation();
  const prev = useRef<RoomSnapshot | null>(null);
  const known = useRef<Set<string> | null>(null);
  const tRef = useRef<T>(t);
  useEffect(() => {
    tRef.current = t;
  }, [t]);

  useEffect(() => {
    if (!snapshot) {
      return;
    }
    for (const n of roomNotices(prev.current, snapshot)) {
      void deliver(platform.notifications, n, tRef.current).catch(() => undefined);
    }
    prev.current = snapshot;
  }, [snapshot]);

  useEffect(() => {
    if (!documents) {
      return;
    }
    for (const n of documentNotices(known.current, documents)) {
      void deliver(platform.notifications, n, tRef.current).catch(() => undefined);
    }
    known.current = new Set(documents.map((d) => d.id));
  }, [documents]);
}
