import { isAppUrl } from './url-guards';

export interface PermissionRule {
  readonly allow: boolean;
  readonly reason: string;
}

/**
 * Checklist 5: deny by default. Every permission Chromium may ask for that we have thought about is
 * listed with the reason for the decision (Signal's permissions table); anything unlisted is denied.
 */
export const PERMISSIONS: Readonly<Record<string, PermissionRule>> = {
  'clipboard-sanitized-write': {
    allow: true,
    reason: 'Delegates copy quotations from documents into their notes.',
  },
  fullscreen: { allow: true, reason: 'Documents and the hall display are presented full screen.' },
  'clipboard-read': {
    allow: false,
    reason: 'Reading the clipboard could leak unrelated data to a compromised renderer.',
  },
  notifications: {
    allow: false,
    reason: 'Native notifications are shown by the main process (services/notifications.ts).',
  },
  media: { allow: false, reason: 'No camera or microphone: the hall has its own audio system.' },
  geolocation: { allow: false, reason: 'Location is never needed.' },
  midi: { allow: false, reason: 'Never needed.' },
  midiSysex: { allow: false, reason: 'Never needed.' },
  pointerLock: { allow: false, reason: 'Never needed; would let a page capture the mouse.' },
  keyboardLock: { allow: false, reason: 'Never needed; would let a page capture system shortcuts.' },
  openExternal: { allow: false, reason: 'External links go only through the allow-listed shell wrapper.' },
  'display-capture': { allow: false, reason: 'No screen sharing from a delegate laptop.' },
  'window-management': { allow: false, reason: 'Never needed.' },
  'idle-detection': { allow: false, reason: 'Never needed.' },
  hid: { allow: false, reason: 'No device access.' },
  serial: { allow: false, reason: 'No device access.' },
  usb: { allow: false, reason: 'No device access.' },
  'storage-access': { allow: false, reason: 'No third-party content.' },
  'top-level-storage-access': { allow: false, reason: 'No third-party content.' },
  unknown: { allow: false, reason: 'Unknown permissions are denied.' },
};

/** The decision for one request: allowed only when listed as allowed AND asked by our own app:// page. */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  const rule = Object.hasOwn(PERMISSIONS, permission) ? PERMISSIONS[permission] : undefined;
  return rule?.allow === true && isAppUrl(requestingUrl);
}
