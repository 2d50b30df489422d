import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { signaturesApi } from './api';
import { documentState, STATE_ICON } from './badge-state';
import { SignatureDetails } from './signature-details';

/**
 * Digital-signature badge of one document: nothing for unsigned documents, otherwise the
 * verdict of the server's verification as a button that opens the per-signature details.
 */
export function SignatureBadge({ documentId, sha256, name }: Readonly<{ documentId: string; sha256: string; name: string }>) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  // One report per (document, content hash): a new signed revision has a new hash, so no stale badge.
  // A failed verification shows no badge rather than a wrong one, and is not retried.
  const { data: report } = useQuery({
    queryKey: ['verify', documentId, sha256],
    queryFn: () => signaturesApi.verify(documentId),
    staleTime: Infinity,
    retry: false,
  });

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
