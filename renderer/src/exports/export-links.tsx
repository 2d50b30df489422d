import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EXPORT_FILES, type ExportFile } from '../../../shared/api/exports';
import { downloadFile } from '../api/http';
import { ErrorNote } from '../components/error-note';

/** The meeting's record as files (vote records, named ballots, attendance; CSV or Excel) for staff. */
export function ExportLinks({ meetingId }: Readonly<{ meetingId: string }>) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState<ExportFile | null>(null);
  const [error, setError] = useState<unknown>(null);
  const lang = i18n.language.startsWith('en') ? 'en' : 'vi';

  const get = async (file: ExportFile) => {
    setBusy(file);
    setError(null);
    try {
      await downloadFile(`/api/meetings/${meetingId}/exports/${file}?lang=${lang}`, file);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="panel" aria-labelledby="exports-h">
      <h2 id="exports-h">{t('exports.title')}</h2>
      <p className="muted small">{t('exports.help')}</p>
      <div className="row">
        {EXPORT_FILES.map((file) => (
          <button key={file} type="button" className="btn" disabled={busy !== null} onClick={() => void get(file)}>
            {busy === file ? t('exports.preparing') : t(`exports.files.${file.replace('.', '_')}`)}
          </button>
        ))}
      </div>
      <ErrorNote error={error} />
    </section>
  );
}
