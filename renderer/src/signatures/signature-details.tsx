import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckName, SignatureReport, VerifyReport } from '../../../shared/signatures/report';
import { useFormat } from '../i18n/format';
import { signaturesApi } from './api';
import { documentState, localizeModification, signatureState, STATE_ICON, subjectField } from './badge-state';

const STATUS_ICON = { ok: '✓', failed: '✕', unknown: '?' } as const;
/** Rows of the details, in the order a reader checks them. */
const ROWS: readonly CheckName[] = ['chain', 'validity', 'keyUsage', 'revocation', 'timestamp', 'byteRange', 'digest', 'signature', 'certificateBinding', 'modifications'];

function SignatureSection({ s, index }: Readonly<{ s: SignatureReport; index: number }>) {
  const { t } = useTranslation();
  const f = useFormat();
  const headingId = useId();
  const state = signatureState(s);
  const check = (name: CheckName) => s.checks.find((c) => c.name === name);
  const coverage = s.coversWholeDocument
    ? t('signatures.coverage.whole')
    : s.signedLength !== null
      ? t('signatures.coverage.revision', { size: f.bytes(s.signedLength) })
      : t('signatures.coverage.unreadable');
  return (
    <section className={`sig-section sig-${state}`} aria-labelledby={headingId}>
      <h3 id={headingId}>
        <span aria-hidden="true">{STATE_ICON[state]}</span> {t('signatures.signatureN', { n: index + 1 })}: {s.signerName ?? t('signatures.unknownSigner')} —{' '}
        {t(`signatures.state.${state}`)}
      </h3>
      {/* What changed after signing comes first: it is what the reader must see. */}
      {s.modifications.length > 0 && (
        <div className="sig-mods" role="group" aria-label={t('signatures.modifiedAfter')}>
          <h4>{t('signatures.modifiedAfter')}</h4>
          <ul>
            {s.modifications.map((m) => (
              <li key={m}>{localizeModification(m, t)}</li>
            ))}
          </ul>
        </div>
      )}
      <dl className="sig-facts">
        <dt>{t('signatures.signer')}</dt>
        <dd>{s.signerName ?? '—'}</dd>
        <dt>{t('signatures.organization')}</dt>
        <dd>{subjectField(s.signerSubject, 'O') ?? '—'}</dd>
        <dt>{t('signatures.title')}</dt>
        <dd>{subjectField(s.signerSubject, 'title') ?? '—'}</dd>
        <dt>{t('signatures.signingTime')}</dt>
        <dd>{s.signingTime ? f.dateTime(s.signingTime) : '—'}</dd>
        <dt>{t('signatures.issuer')}</dt>
        <dd>{subjectField(s.issuerSubject, 'CN') ?? s.issuerSubject ?? '—'}</dd>
        <dt>{t('signatures.serial')}</dt>
        <dd className="mono">{s.serialNumber ?? '—'}</dd>
        <dt>{t('signatures.field')}</dt>
        <dd>{s.fieldName}</dd>
        <dt>{t('signatures.coverageLabel')}</dt>
        <dd>{coverage}</dd>
      </dl>
      <ul className="sig-checks" aria-label={t('signatures.checks')}>
        {ROWS.map((name) => {
          const c = check(name);
          const status = c?.status ?? 'unknown';
          return (
            <li key={name} className={`sig-check sig-check-${status}`}>
              <span aria-hidden="true" className="sig-check-icon">
                {STATUS_ICON[status]}
              </span>
              <span>
                <strong>{t(`signatures.check.${name}`)}</strong>: {t(`signatures.result.${name}.${status}`)}
                {c && (
                  <span className="muted small sig-detail" lang="en">
                    {' '}
                    ({c.detail})
                  </span>
                )}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Modal details of a document's signatures: one section per signature, plus the signed revisions. */
export function SignatureDetails({
  report,
  documentId,
  documentName,
  onClose,
}: Readonly<{ report: VerifyReport; documentId: string; documentName: string; onClose: () => void }>) {
  const { t } = useTranslation();
  const f = useFormat();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // The signed revisions; none listed when they cannot be read (the report above still stands).
  const revisions = useQuery({ queryKey: ['signed-revisions', documentId], queryFn: () => signaturesApi.revisions(documentId), retry: false }).data?.revisions;
  const state = documentState(report);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) {
      // showModal: focus moves into the dialog, the page behind is inert, Escape closes (cancel event).
      if (typeof d.showModal === 'function') {
        d.showModal();
      } else {
        d.setAttribute('open', '');
      }
    }
  }, []);

  return (
    <dialog
      ref={ref}
      className="sig-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="sig-dialog-head">
        <h2 id={titleId}>{t('signatures.detailsTitle', { name: documentName })}</h2>
        <button type="button" className="btn" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <p className={`sig-summary sig-${state}`}>
        <span aria-hidden="true">{STATE_ICON[state]}</span> {t(`signatures.summary.${state}`, { count: report.signatures.length })}
      </p>
      {report.signatures.map((s, i) => (
        <SignatureSection key={`${s.fieldName}-${s.index}`} s={s} index={i} />
      ))}
      {revisions && revisions.length > 0 && (
        <section aria-label={t('signatures.history')}>
          <h3>{t('signatures.history')}</h3>
          <ol className="sig-history">
            {revisions.map((r) => (
              <li key={r.id}>
                {f.dateTime(r.createdAt)} — {subjectField(r.signerSubject, 'CN') ?? r.signerSubject} ({r.fieldName})
              </li>
            ))}
          </ol>
        </section>
      )}
      <p className="muted small">{t('signatures.levelNote')}</p>
    </dialog>
  );
}
