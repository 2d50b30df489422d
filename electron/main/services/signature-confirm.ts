import { createHash } from 'node:crypto';
import { BallotPayload } from '../../../shared/signatures/ballot';
import { IpcError } from '../ipc/ipc-error';
import type { Language } from '../settings/schema';

/** What the user is asked to approve before the vault signs anything. */
export interface SignatureRequest {
  readonly kind: 'document' | 'ballot';
  /** Document name (read from the server by the main process) or the ballot's fields. */
  readonly what: string;
  /** SHA-256 that is signed (document: the digest of the signed attributes; ballot: of the canonical JSON), hex. */
  readonly digestHex: string;
  /** The certificate's subject that will sign. */
  readonly signer: string;
  /** The signed-in user (display name and username). */
  readonly user: string;
}

/**
 * Asks the person at the screen. index.ts shows a native dialog (outside the page, which cannot answer
 * it or draw over it); tests inject their own answer. Resolves true only for an explicit "sign".
 */
export type ConfirmSignature = (r: SignatureRequest) => Promise<boolean>;

/** Throws SIGNATURE_DECLINED unless the user approved: a refused request never reaches the key. */
export async function requireConfirmation(confirm: ConfirmSignature, r: SignatureRequest): Promise<void> {
  if (!(await confirm(r))) {
    throw new IpcError('SIGNATURE_DECLINED', 'The signature was declined');
  }
}

/** The ballot a canonical JSON describes; anything else is not signed by the desktop vault. */
export function describeBallot(canonicalJson: string): { what: string; digestHex: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(canonicalJson);
  } catch {
    throw new IpcError('VALIDATION_ERROR', 'only ballots are signed this way');
  }
  const b = BallotPayload.safeParse(parsed);
  if (!b.success) {
    throw new IpcError('VALIDATION_ERROR', 'only ballots are signed this way');
  }
  const choice = typeof b.data.choice === 'string' ? b.data.choice : b.data.choice.join(', ');
  return {
    what: `choice ${choice} · poll ${b.data.pollId} · meeting ${b.data.meetingId} · ${b.data.castAt}`,
    digestHex: createHash('sha256').update(canonicalJson, 'utf8').digest('hex'),
  };
}

/** The dialog's texts (vi, en); the digest is grouped so it can be compared with what the server shows. */
export function confirmationText(r: SignatureRequest, lang: Language): { title: string; message: string; detail: string; sign: string; cancel: string } {
  const digest = r.digestHex.toUpperCase().replace(/(.{8})(?!$)/g, '$1 ');
  if (lang === 'vi') {
    return {
      title: 'Xác nhận ký số',
      message: r.kind === 'document' ? `Ký tài liệu "${r.what}"?` : 'Ký phiếu biểu quyết?',
      detail: `${r.kind === 'ballot' ? `Phiếu: ${r.what}\n` : ''}Người ký: ${r.signer}\nTài khoản: ${r.user}\nMã băm SHA-256: ${digest}`,
      sign: 'Ký',
      cancel: 'Hủy',
    };
  }
  return {
    title: 'Confirm digital signature',
    message: r.kind === 'document' ? `Sign the document "${r.what}"?` : 'Sign the ballot?',
    detail: `${r.kind === 'ballot' ? `Ballot: ${r.what}\n` : ''}Signer: ${r.signer}\nAccount: ${r.user}\nSHA-256: ${digest}`,
    sign: 'Sign',
    cancel: 'Cancel',
  };
}
