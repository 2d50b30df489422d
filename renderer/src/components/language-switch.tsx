import { useTranslation } from 'react-i18next';
import { platform } from '../platform';
import { isLanguage } from '../i18n';

/** VI / EN toggle; the choice is kept in the platform settings. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="lang-switch">
      <span className="visually-hidden">{t('common.language')}</span>
      <select
        aria-label={t('common.language')}
        value={i18n.language}
        onChange={(e) => {
          const lng = e.target.value;
          if (isLanguage(lng)) {
            void i18n.changeLanguage(lng);
            document.documentElement.lang = lng;
            void platform.settings.set('language', lng);
          }
        }}
      >
        <option value="vi">Tiếng Việt</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}
