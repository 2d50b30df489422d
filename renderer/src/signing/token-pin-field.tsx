import { useId, type Ref } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The USB token's PIN for one signature. It goes with that one request to the desktop's main process,
 * which logs in to the token, signs and logs out; nothing keeps it (not the page, not the vault).
 */
export function TokenPinField({
  value,
  onChange,
  disabled,
  inputRef,
}: Readonly<{ value: string; onChange: (pin: string) => void; disabled?: boolean; inputRef?: Ref<HTMLInputElement> }>) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = useId();
  return (
    <div className="field token-pin">
      <label htmlFor={id}>{t('signingKey.pin')}</label>
      <input
        id={id}
        ref={inputRef}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        minLength={4}
        maxLength={64}
        value={value}
        disabled={disabled}
        aria-describedby={hintId}
        onChange={(e) => onChange(e.target.value)}
      />
      <span id={hintId} className="muted small">
        {t('signingKey.pinHint')}
      </span>
    </div>
  );
}

/** A token PIN is 4–64 characters (PKCS#11 tokens refuse anything else). */
export const pinReady = (pin: string) => pin.length >= 4 && pin.length <= 64;
