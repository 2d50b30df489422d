import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { platform } from '../platform';

/**
 * Web only: browsers show notifications only after the user allows them, and only from a click, so
 * the room offers the question once (the desktop app needs no permission).
 */
export function NotificationPermissionButton() {
  const { t } = useTranslation();
  const [state, setState] = useState(() => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission));
  if (platform.kind !== 'web' || state !== 'default') {
    return null;
  }
  return (
    <button
      type="button"
      className="btn"
      onClick={() => {
        void Notification.requestPermission().then(setState);
      }}
    >
      {t('notify.enable')}
    </button>
  );
}
