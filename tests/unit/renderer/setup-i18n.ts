import { initI18n, type Language } from '../../../renderer/src/i18n';

/** Component tests render with the real translations. */
export function i18nFor(lng: Language = 'vi') {
  return initI18n(lng);
}
