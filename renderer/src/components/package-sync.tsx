import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PackageManifest } from '../../../shared/api/documents';
import { endpoints } from '../api/endpoints';
import { absoluteUrl, currentToken } from '../api/http';
import { platform } from '../platform';
import { useFormat } from '../i18n/format';

interface SyncState {
  readonly total: number;
  readonly have: number;
  readonly count: number;
  readonly cachedCount: number;
  readonly running: boolean;
  readonly error: boolean;
}

async function measure(meetingId: string): Promise<{ manifest: PackageManifest; state: SyncState } | null> {
  try {
    const m = await endpoints.manifest(meetingId);
    const cached = new Set(await platform.documents.cached(m.documents.map((d) => d.sha256)));
    const total = m.documents.reduce((a, d) => a + d.size, 0);
    const have = m.documents.filter((d) => cached.has(d.sha256)).reduce((a, d) => a + d.size, 0);
    return { manifest: m, state: { total, have, count: m.documents.length, cachedCount: cached.size, running: false, error: false } };
  } catch {
    return null;
  }
}

/** Package sync state of one meeting: how much is on this device, with a progress bar. */
export function PackageSync({ meetingId }: Readonly<{ meetingId: string }>) {
  const { t } = useTranslation();
  const f = useFormat();
  const [s, setS] = useState<SyncState | null>(null);

  const refresh = useCallback(async () => {
    const r = await measure(meetingId);
    setS((prev) => r?.state ?? (prev ? { ...prev, error: true } : null));
    return r?.manifest ?? null;
  }, [meetingId]);

  useEffect(() => {
    let live = true;
    void measure(meetingId).then((r) => {
      if (live && r) {
        setS(r.state);
      }
    });
    return () => {
      live = false;
    };
  }, [meetingId]);

  async function download() {
    const m = await refresh();
    const token = currentToken();
    if (!m || !token) {
      return;
    }
    await platform.documents.purge(m.revoked);
    const cached = new Set(await platform.documents.cached(m.documents.map((d) => d.sha256)));
    let done = m.documents.filter((d) => cached.has(d.sha256)).reduce((a, d) => a + d.size, 0);
    setS((prev) => (prev ? { ...prev, running: true, error: false } : prev));
    let failed = false;
    for (const d of m.documents) {
      if (cached.has(d.sha256)) {
        continue;
      }
      const base = done;
      const r = await platform.documents.sync({ id: d.id, sha256: d.sha256, size: d.size, url: absoluteUrl(d.url) }, token, (n) =>
        setS((prev) => (prev ? { ...prev, have: base + n } : prev)),
      );
      if (r.ok) {
        done += d.size;
      } else {
        failed = true;
      }
    }
    await refresh();
    if (failed) {
      setS((prev) => (prev ? { ...prev, error: true } : prev));
    }
  }

  if (!s) {
    return <span className="muted">{t('sync.unknown')}</span>;
  }
  const ratio = s.total > 0 ? s.have / s.total : 1;
  const complete = s.count > 0 && s.cachedCount >= s.count;
  return (
    <div className="sync">
      <div className="sync-line">
        <span>{complete ? t('sync.complete') : t('sync.partial', { have: f.bytes(s.have), total: f.bytes(s.total) })}</span>
        {!complete && s.count > 0 && (
          <button type="button" className="btn btn-small" disabled={s.running} onClick={() => void download()}>
            {s.running ? t('sync.downloading') : t('sync.download')}
          </button>
        )}
      </div>
      <progress max={1} value={ratio} aria-label={t('sync.progress')} />
      {s.error && <span className="text-danger">{t('sync.failed')}</span>}
    </div>
  );
}
