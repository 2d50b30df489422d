import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PackageManifest } from '../../../shared/api/documents';
import { manifestKey, manifestQuery } from '../notifications/use-document-watch';
import { platform } from '../platform';
import { useFormat } from '../i18n/format';

const onDeviceKey = (meetingId: string, sha256s: readonly string[]) => ['on-device', meetingId, sha256s] as const;

/** Bytes of the manifest's documents whose content is on this device. */
function bytesOnDevice(m: PackageManifest, onDevice: ReadonlySet<string>): number {
  return m.documents.filter((d) => onDevice.has(d.sha256)).reduce((a, d) => a + d.size, 0);
}

/** Package sync state of one meeting: how much is on this device, with a progress bar. */
export function PackageSync({ meetingId }: Readonly<{ meetingId: string }>) {
  const { t } = useTranslation();
  const f = useFormat();
  const queries = useQueryClient();
  const { data: manifest } = useQuery(manifestQuery(meetingId));
  const sha256s = manifest?.documents.map((d) => d.sha256) ?? [];
  // Which of them this device holds: asked of the host (IndexedDB or the desktop's cache), so it
  // answers offline too; keyed by the contents, so a new revision is asked about afresh.
  const { data: cachedList } = useQuery({
    queryKey: onDeviceKey(meetingId, sha256s),
    queryFn: () => platform.documents.cached(sha256s),
    enabled: manifest !== undefined,
    networkMode: 'always',
  });
  // Bytes received while a download runs; null when none runs.
  const [receiving, setReceiving] = useState<number | null>(null);

  const download = useMutation({
    mutationFn: async () => {
      // The manifest as it is now (a document may have been added since it was shown).
      const m = await queries.fetchQuery(manifestQuery(meetingId));
      const before = new Set(await platform.documents.cached(m.documents.map((d) => d.sha256)));
      const base = bytesOnDevice(m, before);
      // Bytes received per document still missing at the start; the bar adds them to what was there.
      const received = new Map<string, number>();
      setReceiving(base);
      // The host's one package sync (the desktop main process, or the browser's): it also purges what
      // was revoked or withdrawn and applies the retention period, so nothing is synced twice.
      const r = await platform.packages.sync(m.meetingId, (p) => {
        const doc = p.documentId ? m.documents.find((d) => d.id === p.documentId) : undefined;
        if (!doc || before.has(doc.sha256) || p.phase === 'failed') {
          return;
        }
        received.set(doc.id, p.received);
        setReceiving(base + [...received.values()].reduce((a, n) => a + n, 0));
      });
      if (!r.ok || r.value.failed.length > 0) {
        throw new Error('package sync incomplete');
      }
    },
    // Awaited before the mutation settles, so the bar does not fall back to the old figure meanwhile.
    onSettled: async () => {
      await queries.invalidateQueries({ queryKey: manifestKey(meetingId) });
      await queries.invalidateQueries({ queryKey: ['on-device', meetingId] });
      setReceiving(null);
    },
  });

  if (!manifest || !cachedList) {
    return <span className="muted">{t('sync.unknown')}</span>;
  }
  const cached = new Set(cachedList);
  const total = manifest.documents.reduce((a, d) => a + d.size, 0);
  const have = receiving ?? bytesOnDevice(manifest, cached);
  const count = manifest.documents.length;
  const ratio = total > 0 ? have / total : 1;
  const complete = count > 0 && cached.size >= count;
  const running = download.isPending;
  return (
    <div className="sync">
      <div className="sync-line">
        <span>{complete ? t('sync.complete') : t('sync.partial', { have: f.bytes(have), total: f.bytes(total) })}</span>
        {!complete && count > 0 && (
          <button type="button" className="btn btn-small" disabled={running} onClick={() => download.mutate()}>
            {running ? t('sync.downloading') : t('sync.download')}
          </button>
        )}
      </div>
      <progress max={1} value={ratio} aria-label={t('sync.progress')} />
      {download.isError && <span className="text-danger">{t('sync.failed')}</span>}
    </div>
  );
}
