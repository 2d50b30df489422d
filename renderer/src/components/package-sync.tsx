import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PackageManifest } from '../../../shared/api/documents';
import { endpoints } from '../api/endpoints';
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
    if (!m) {
      return;
    }
    const cached = new Set(await platform.documents.cached(m.documents.map((d) => d.sha256)));
    const base = m.documents.filter((d) => cached.has(d.sha256)).reduce((a, d) => a + d.size, 0);
    // Bytes received per document still missing at the start; the bar adds them to what was there.
    const received = new Map<string, number>();
    setS((prev) => (prev ? { ...prev, running: true, error: false } : prev));
    // The host's one package sync (the desktop main process, or the browser's): it also purges what
    // was revoked or withdrawn and applies the retention period, so nothing is synced twice.
    const r = await platform.packages.sync(m.meetingId, (p) => {
      const doc = p.documentId ? m.documents.find((d) => d.id === p.documentId) : undefined;
      if (!doc || cached.has(doc.sha256) || p.phase === 'failed') {
        return;
      }
      received.set(doc.id, p.received);
      const have = base + [...received.values()].reduce((a, n) => a + n, 0);
      setS((prev) => (prev ? { ...prev, have } : prev));
    });
    await refresh();
    if (!r.ok || r.value.failed.length > 0) {
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
