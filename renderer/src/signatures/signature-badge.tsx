import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VerifyReport } from '../../../shared/signatures/report';
import { verifyReport } from './api';
import { documentState, STATE_ICON } from './badge-state';
import { SignatureDetails } from './signature-details';

/**
 * Digital-signature badge of one document: nothing for unsigned documents, otherwise the
 * verdict of the server's verification as a button that opens the per-signature details.
 */
export function SignatureBadge({ documentId, sha256, name }: Readonly<{ documentId: string; sha256: string; name: string }>) {
  const { t } = useTranslation();
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    let live = true;
    verifyReport(documentId, sha256)
      .then((r) => {
        if (live) {
          setReport(r);
        }
      })
      // No badge rather than a wrong one: the list stays usable when verification is unreachable.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [documentId, sha256]);

  if (!report) {
    return null;
  }
  const state = documentState(report);
  if (state === 'unsigned') {
    return null;
  }
  const label = t(`signatures.state.${state}`);
  return (
    <>
      <button
        type="button"
        className={`sig-badge sig-${state}`}
        aria-haspopup="dialog"
        aria-label={t('signatures.badgeLabel', { state: label, name, count: report.signatures.length })}
        onClick={() => setOpen(true)}
      >
        <span aria-hidden="true">{STATE_ICON[state]}</span> {label}
      </button>
      {open && <SignatureDetails report={report} documentId={documentId} documentName={name} onClose={() => setOpen(false)} />}
    </>
  );
}
