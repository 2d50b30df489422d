import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgendaItem } from '../../../shared/api/meetings';
import type { Confidentiality } from '../../../shared/api/documents';
import { endpoints } from '../api/endpoints';
import { errorKey } from '../components/error-note';
import { useFormat } from '../i18n/format';
import { optionLabel } from './option-label';

interface Job {
  readonly key: string;
  readonly name: string;
  readonly size: number;
  loaded: number;
  state: 'uploading' | 'done' | 'rejected';
  reason?: string;
}

function flat(items: AgendaItem[], prefix = ''): { id: string; label: string }[] {
  return items.flatMap((it, i) => [{ id: it.id, label: `${prefix}${i + 1}. ${it.title}` }, ...flat(it.children, `${prefix}${i + 1}.`)]);
}

/** Uploads PDFs with per-file progress (XMLHttpRequest) and a clear reason for each rejection. */
export function Uploader({ meetingId, agenda, onUploaded }: Readonly<{ meetingId: string; agenda: AgendaItem[]; onUploaded: () => void }>) {
  const { t } = useTranslation();
  const f = useFormat();
  const [jobs, setJobs] = useState<Job[]>([]);
  const [itemId, setItemId] = useState('');
  const [conf, setConf] = useState<Confidentiality>('internal');
  const [over, setOver] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  function update(key: string, patch: Partial<Job>) {
    setJobs((js) => js.map((j) => (j.key === key ? { ...j, ...patch } : j)));
  }

  function start(files: FileList | File[]) {
    for (const file of Array.from(files)) {
      const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
      setJobs((js) => [...js, { key, name: file.name, size: file.size, loaded: 0, state: 'uploading' }]);
      const { promise } = endpoints.upload(meetingId, file, { agendaItemId: itemId || undefined, confidentiality: conf }, (p) =>
        update(key, { loaded: p.loaded }),
      );
      promise
        .then(() => {
          update(key, { state: 'done', loaded: file.size });
          onUploaded();
        })
        .catch((e: unknown) => update(key, { state: 'rejected', reason: errorKey(e) }));
    }
  }

  return (
    <section className="panel" aria-labelledby="upload-h">
      <h2 id="upload-h">{t('upload.title')}</h2>
      <div className="row">
        <label className="field">
          <span>{t('upload.item')}</span>
          <select value={itemId} onChange={(e) => setItemId(e.target.value)} title={flat(agenda).find((o) => o.id === itemId)?.label}>
            <option value="">{t('upload.noItem')}</option>
            {flat(agenda).map((o) => (
              <option key={o.id} value={o.id}>
                {optionLabel(o.label)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('upload.confidentiality')}</span>
          <select value={conf} onChange={(e) => setConf(e.target.value as Confidentiality)}>
            <option value="public">{t('confidentiality.public')}</option>
            <option value="internal">{t('confidentiality.internal')}</option>
            <option value="confidential">{t('confidentiality.confidential')}</option>
          </select>
        </label>
      </div>
      <div
        className={`dropzone${over ? ' dropzone-over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          start(e.dataTransfer.files);
        }}
      >
        <p>{t('upload.drop')}</p>
        <label className="btn btn-primary">
          {t('upload.choose')}
          <input
            ref={inputRef}
            className="visually-hidden"
            type="file"
            accept="application/pdf,.pdf"
            multiple
            aria-label={t('upload.choose')}
            onChange={(e) => {
              if (e.target.files) {
                start(e.target.files);
              }
              e.target.value = '';
            }}
          />
        </label>
        <p className="muted small">{t('upload.hint')}</p>
      </div>
      {jobs.length > 0 && (
        <ul className="upload-jobs" aria-label={t('upload.files')}>
          {jobs.map((j) => (
            <li key={j.key} className={`job job-${j.state}`}>
              <div className="job-line">
                <span className="job-name">{j.name}</span>
                <span className="muted small">{f.bytes(j.size)}</span>
                <span className="job-state" role="status">
                  {j.state === 'uploading' && t('upload.progress', { percent: Math.round((j.loaded / Math.max(1, j.size)) * 100) })}
                  {j.state === 'done' && `✓ ${t('upload.done')}`}
                  {j.state === 'rejected' && `✕ ${t('upload.rejected')}: ${t(j.reason ?? 'errors.generic')}`}
                </span>
              </div>
              <progress max={Math.max(1, j.size)} value={j.loaded} aria-label={t('upload.progressOf', { name: j.name })} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
