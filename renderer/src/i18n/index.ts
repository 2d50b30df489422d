import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import vi from './vi.json';
import en from './en.json';

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(v: unknown): v is Language {
  return v === 'vi' || v === 'en';
}

/** Vietnamese by default (the councils' language); English complete. */
export function initI18n(lng: Language = 'vi'): typeof i18n {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      resources: { vi: { translation: vi }, en: { translation: en } },
      lng,
      fallbackLng: 'vi',
      // React escapes already.
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
  } else if (i18n.language !== lng) {
    void i18n.changeLanguage(lng);
  }
  document.documentElement.lang = lng;
  return i18n;
}

export { i18n };
