import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MyBallot, PollView } from '../../../shared/room/events';
import type { CastInput, RoomClient } from '../../../shared/room/client';
import type { PlatformSigning } from '../../../shared/platform';
import { useFormat } from '../i18n/format';
import { Countdown } from './countdown';
import { optionLabel } from './labels';
import { ResultsChart } from './results-chart';
import { ruleText } from './rule';
import { draftSignedBallot, signBallot, type SignedBallotDraft } from './signed-ballot';
import { SigningSetup } from '../signing/signing-setup';
import { pinReady, TokenPinField } from '../signing/token-pin-field';
import { useSigningSource } from '../signing/use-signing-source';

type Step =
  | { kind: 'choose' }
  | { kind: 'confirm'; choice: string[]; draft?: SignedBallotDraft | undefined }
  | { kind: 'sending'; choice: string[]; draft?: SignedBallotDraft | undefined }
  | { kind: 'recorded'; at: Date | null };

interface Props {
  readonly poll: PollView;
  readonly mine: MyBallot | undefined;
  readonly canVote: boolean;
  readonly client: RoomClient | null;
  readonly clockOffsetMs: number;
  /**
   * The meeting requires signed named ballots: each ballot is signed with the delegate's certificate
   * (desktop vault) over the payload shown in the confirmation. Secret ballots are never signed.
   */
  readonly signedBallots?: boolean | undefined;
  /** The host's signing (platform.signing); in a browser it has no key. */
  readonly signing?: PlatformSigning | undefined;
}

/** A refused ballot in words a delegate understands. */
export function castErrorKey(code: string): string {
  switch (code) {
    case 'POLL_CLOSED':
    case 'POLL_NOT_OPEN':
      return 'vote.errors.closed';
    case 'ALREADY_VOTED':
      return 'vote.errors.already';
    case 'INVALID_SIGNATURE':
      return 'vote.errors.signature';
    default:
      return 'vote.errors.generic';
  }
}

/**
 * The delegate's voting panel: large choices, confirmation, "your vote is recorded"
 * receipt, change while the poll allows it, a clear message once closed.
 */
export function VotePanel({ poll, mine, canVote, client, clockOffsetMs, signedBallots, signing }: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  const [local, setStep] = useState<Step>({ kind: 'choose' });
  // A ballot the server reports (another tab, or after a reload) shows the receipt unless the voter
  // chose to change it.
  const [changing, setChanging] = useState(false);
  // What this tab last cast: shown on the receipt even before the server echoes the ballot back.
  const [cast, setCast] = useState<string[] | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const voted = Boolean(mine?.ballotId);
  const mustSign = Boolean(signedBallots) && !poll.secret;
  // null while unknown: the buttons wait rather than flash and disappear.
  const [canSign, setCanSign] = useState<boolean | null>(mustSign ? null : true);
  // Bumped when the delegate sets up a key here, so availability and the key's source are read again.
  const [keyVersion, setKeyVersion] = useState(0);
  useEffect(() => {
    if (mustSign) {
      void (signing?.available() ?? Promise.resolve(false)).then(setCanSign);
    }
  }, [mustSign, signing, keyVersion]);
  const source = useSigningSource(mustSign ? signing : undefined, keyVersion);
  const needsPin = source === 'pkcs11';
  const [pin, setPin] = useState('');
  const choose = (choice: string[]) => setStep({ kind: 'confirm', choice, draft: mustSign ? draftSignedBallot(poll.meetingId, poll.pollId, choice, clockOffsetMs) : undefined });

  // Focus moves to the panel when a vote opens, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (poll.status === 'open') {
      headingRef.current?.focus();
    }
  }, [poll.pollId, poll.status]);

  const step: Step = local.kind === 'choose' && voted && !changing ? { kind: 'recorded', at: null } : local;

  // After choosing, the focus follows into the confirmation (its "Confirm" button): keyboard and
  // screen-reader users continue where the question is, instead of on a button that has disappeared.
  // Once recorded or sent back, it returns to the panel's heading.
  const stepKind = step.kind;
  const prevStep = useRef(stepKind);
  useEffect(() => {
    const was = prevStep.current;
    prevStep.current = stepKind;
    if (stepKind === 'confirm' && was !== 'confirm') {
      // A token PIN comes first when the key is on a USB token (Confirm waits for it).
      (pinRef.current ?? confirmRef.current)?.focus();
    } else if ((stepKind === 'recorded' || stepKind === 'choose') && (was === 'confirm' || was === 'sending')) {
      headingRef.current?.focus();
    }
  }, [stepKind]);

  async function send(choice: string[], draft: SignedBallotDraft | undefined) {
    if (!client) {
      return;
    }
    setStep({ kind: 'sending', choice, draft });
    setError(null);
    let input: CastInput = { meetingId: poll.meetingId, pollId: poll.pollId, choice };
    if (draft && signing) {
      const signed = await signBallot(signing, draft, needsPin ? pin : undefined);
      // The PIN served this one signature; a retry asks for it again.
      setPin('');
      if (!signed.ok) {
        const code = signed.error.code;
        setError(code.startsWith('TOKEN_') || code === 'SIGNATURE_DECLINED' ? `signingKey.errors.${code}` : 'vote.errors.signing');
        setStep({ kind: 'confirm', choice, draft });
        return;
      }
      input = signed.value;
    }
    const res = await client.castBallot(input);
    if (res.ok) {
      setChanging(false);
      setCast(choice);
      setStep({ kind: 'recorded', at: new Date() });
    } else {
      setError(castErrorKey(res.error.code));
      setStep({ kind: 'choose' });
    }
  }

  const shownChoice = cast ?? mine?.choice ?? null;
  const open = poll.status === 'open';
  const canChange = poll.correction === 'change_until_close' && open;
  const election = poll.kind === 'election';

  return (
    <section className={`vote-panel vote-${poll.status}`} aria-labelledby={`vote-h-${poll.pollId}`}>
      <header className="vote-head">
        <h2 id={`vote-h-${poll.pollId}`} ref={headingRef} tabIndex={-1}>
          {open ? t('vote.openTitle') : t('vote.closedTitle')}
        </h2>
        {open && poll.closesAt && <Countdown closesAt={poll.closesAt} offsetMs={clockOffsetMs} />}
      </header>
      <p className="vote-question">{poll.title}</p>
      <p className="vote-rule muted">
        {poll.secret ? t('vote.secret') : t('vote.named')} · {ruleText(t, poll)} ·{' '}
        {t('vote.progress', { voted: f.number(poll.progress.voted), eligible: f.number(poll.progress.eligible) })}
      </p>

      {!open && (
        <>
          <p className="vote-closed" role="status">
            {poll.status === 'cancelled' ? t('vote.cancelled') : t('vote.closedMessage')}
          </p>
          {poll.result && (
            <ResultsChart poll={poll} loadNames={client ? () => client.pollResult(poll.meetingId, poll.pollId).then((p) => p.result?.named ?? null) : undefined} />
          )}
        </>
      )}

      {open && !canVote && <p className="muted">{t('vote.notEligible')}</p>}
      {open && canVote && mustSign && canSign === false && (
        <>
          <p className="form-error" role="status">
            {t(signing?.importCertificate ? 'signingKey.voteNeedsKey' : 'vote.signedNeedsDesktop')}
          </p>
          <SigningSetup onReady={() => setKeyVersion((v) => v + 1)} />
        </>
      )}

      {open && canVote && canSign === true && step.kind === 'choose' && !election && (
        <div className="vote-buttons" role="group" aria-label={t('vote.choices')}>
          {(['yes', 'no', 'abstain'] as const).map((id) => (
            <button key={id} type="button" className={`vote-btn vote-btn-${id}`} onClick={() => choose([id])}>
              {optionLabel(t, poll, id)}
            </button>
          ))}
        </div>
      )}

      {open && canVote && canSign === true && step.kind === 'choose' && election && (
        <form
          className="candidates"
          onSubmit={(e) => {
            e.preventDefault();
            choose(picked);
          }}
        >
          <fieldset>
            <legend>{t('vote.chooseUpTo', { count: poll.maxChoices })}</legend>
            {poll.options.map((o) => (
              <label key={o.id} className="candidate">
                <input
                  type="checkbox"
                  checked={picked.includes(o.id)}
                  disabled={!picked.includes(o.id) && picked.length >= poll.maxChoices}
                  onChange={(e) => setPicked((p) => (e.target.checked ? [...p, o.id] : p.filter((x) => x !== o.id)))}
                />
                <span>{o.label}</span>
              </label>
            ))}
          </fieldset>
          <button type="submit" className="btn btn-primary btn-large">
            {t('vote.continue')}
          </button>
        </form>
      )}

      {open && canVote && (step.kind === 'confirm' || step.kind === 'sending') && (
        <div className="vote-confirm" role="alertdialog" aria-label={t('vote.confirmTitle')}>
          <p>{t('vote.confirmQuestion')}</p>
          <p className="vote-confirm-choice">{step.choice.map((c) => optionLabel(t, poll, c)).join(', ') || t('vote.blank')}</p>
          {step.draft && (
            <div className="vote-signed-payload">
              <p className="small">{t('vote.signedPayload')}</p>
              <pre className="mono small" lang="en">
                {step.draft.canonical}
              </pre>
              {needsPin && <TokenPinField value={pin} onChange={setPin} disabled={step.kind === 'sending'} inputRef={pinRef} />}
            </div>
          )}
          <div className="vote-confirm-actions">
            <button ref={confirmRef} type="button" className="btn btn-primary btn-large" disabled={step.kind === 'sending' || (Boolean(step.draft) && needsPin && !pinReady(pin))} onClick={() => void send(step.choice, step.draft)}>
              {step.kind === 'sending' ? t('vote.sending') : step.draft ? t('vote.confirmSigned') : t('vote.confirm')}
            </button>
            <button type="button" className="btn btn-large" disabled={step.kind === 'sending'} onClick={() => setStep({ kind: 'choose' })}>
              {t('common.back')}
            </button>
          </div>
        </div>
      )}

      {open && canVote && step.kind === 'recorded' && (
        <div className="vote-receipt" role="status">
          <p className="receipt-title">✓ {t('vote.recorded')}</p>
          {shownChoice && <p>{t('vote.yourChoice', { choice: shownChoice.map((c) => optionLabel(t, poll, c)).join(', ') || t('vote.blank') })}</p>}
          {step.at && <p className="muted small">{t('vote.recordedAt', { time: f.time(step.at) })}</p>}
          {canChange && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setChanging(true);
                setStep({ kind: 'choose' });
              }}
            >
              {t('vote.change')}
            </button>
          )}
        </div>
      )}

      {error && (
        <p className="form-error" role="alert">
          {t(error)}
        </p>
      )}
    </section>
  );
}
