import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/http';

/** Shows an API failure in the UI language; the server's code picks the sentence. */
export function errorKey(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'UNREACHABLE':
        return 'errors.unreachable';
      case 'FORBIDDEN':
        return 'errors.forbidden';
      case 'NOT_FOUND':
        return 'errors.notFound';
      case 'PAYLOAD_TOO_LARGE':
        return 'errors.tooLarge';
      case 'UNSUPPORTED_MEDIA_TYPE':
        return 'errors.notPdf';
      case 'VALIDATION_ERROR':
        return 'errors.validation';
      case 'UNAUTHENTICATED':
        return 'errors.unauthenticated';
      case 'LINK_INVALID':
        return 'errors.linkInvalid';
      case 'LINK_EXPIRED':
        return 'errors.linkExpired';
      case 'DEADLINE_PASSED':
        return 'errors.deadlinePassed';
      case 'INVALID_STATE':
      case 'CONFLICT':
        return 'errors.conflict';
      default:
        return 'errors.generic';
    }
  }
  return 'errors.generic';
}

export function ErrorNote({ error }: Readonly<{ error: unknown }>) {
  const { t } = useTranslation();
  if (!error) {
    return null;
  }
  return (
    <p className="form-error" role="alert">
      {t(errorKey(error))}
    </p>
  );
}
