import type { RoomNotice } from '../../../shared/ipc';
import { assertNever } from '../../../shared/errors';
import type { Language } from '../settings/schema';

export interface NotificationText {
  readonly title: string;
  readonly body: string;
}

/** Native notification texts per room event, in the user's language. */
export function noticeText(n: RoomNotice, lang: Language): NotificationText {
  const vi = lang === 'vi';
  switch (n.kind) {
    case 'vote-opened':
      return { title: vi ? 'Đã mở biểu quyết' : 'Vote opened', body: n.title };
    case 'floor-given':
      return {
        title: vi ? 'Mời đại biểu phát biểu' : 'You have the floor',
        body: vi ? 'Chủ tọa đã mời bạn phát biểu.' : 'The chair gave you the floor.',
      };
    case 'document-added':
      return { title: vi ? 'Tài liệu mới' : 'New document', body: n.name };
    default:
      return assertNever(n, 'room notice');
  }
}

export interface NotifierOptions {
  /** Shows a native notification (electron's Notification in index.ts). */
  readonly show: (text: NotificationText) => void;
  readonly language: () => Language;
  /** Skip notifications while the user is looking at the window anyway. */
  readonly windowFocused?: () => boolean;
}

/**
 * Fed by the room client's events (forwarded by the renderer over IPC). Each event id is shown once,
 * so a reconnect snapshot replaying an open vote does not ring again.
 */
export function createNotifier(o: NotifierOptions) {
  const seen = new Set<string>();
  return {
    room(n: RoomNotice): boolean {
      const key = `${n.kind}:${n.id}`;
      if (seen.has(key) || o.windowFocused?.() === true) {
        seen.add(key);
        return false;
      }
      seen.add(key);
      if (seen.size > 1000) {
        seen.clear();
      }
      o.show(noticeText(n, o.language()));
      return true;
    },
    plain(title: string, body: string): void {
      o.show({ title, body });
    },
  };
}
export type Notifier = ReturnType<typeof createNotifier>;
