import type { Session } from 'electron';
import { isPermissionAllowed } from './permissions';

/**
 * Session-wide rules (Checklist 5): the permission table decides every request and check; device
 * access (USB/HID/serial/Bluetooth) and downloads initiated by web content are refused.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl));
  });
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
}
