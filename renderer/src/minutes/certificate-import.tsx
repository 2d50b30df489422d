import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CertificateInfo } from '../../../shared/ipc';
import { platform } from '../platform';

/**
 * Desktop only: puts the user's signing certificate (.p12/.pfx with its password) into the vault of
 * this device. The file goes to the main process once; the key stays there, wrapped by the
 * operating system's key store, and only the certificate details come back.
 */
export function CertificateImport({ onImported }: Readonly<{ onImported: (info: CertificateInfo) => void }>) {
  const { t } = useTranslation();
  const fileId = useId();
  const passId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const signing = platform.signing;
  if (!signing.importCertificate) {
    return null;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file || !signing.importCertificate) {
      return;
    }
    setBusy(true);
    setError(null);
    const r = await signing.importCertificate(new Uint8Array(await file.arrayBuffer()), password);
    setBusy(false);
    setPassword('');
    if (r.ok) {
      onImported(r.value);
    } else {
      setError(t(`minutes.certError.${r.error.code}`, { defaultValue: r.error.message }));
    }
  }

  return (
    <form className="cert-import" onSubmit={(e) => void submit(e)} aria-label={t('minutes.importTitle')}>
      <label className="field" htmlFor={fileId}>
        <span>{t('minutes.certFile')}</span>
        <input id={fileId} type="file" accept=".p12,.pfx,application/x-pkcs12" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <label className="field" htmlFor={passId}>
        <span>{t('minutes.certPassword')}</span>
        <input id={passId} type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <button type="submit" className="btn" disabled={!file || busy}>
        {t('minutes.importCert')}
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
