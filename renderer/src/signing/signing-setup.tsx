import { useTranslation } from 'react-i18next';
import type { CertificateInfo } from '../../../shared/ipc';
import { CertificateImport } from '../minutes/certificate-import';
import { platform } from '../platform';
import { TokenSelect } from './token-select';

/**
 * Desktop only: the two ways to give this device a signing key — a USB token (PKCS#11; the key
 * stays on it) or a PKCS#12 file imported into the vault. Shown where a signature is needed and none
 * is set up yet (a signed vote, the minutes).
 */
export function SigningSetup({ onReady }: Readonly<{ onReady: (info: CertificateInfo) => void }>) {
  const { t } = useTranslation();
  if (platform.kind !== 'electron') {
    return null;
  }
  return (
    <details className="signing-setup">
      <summary>{t('signingKey.setup')}</summary>
      <TokenSelect onSelected={onReady} />
      <CertificateImport onImported={onReady} />
    </details>
  );
}
