// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import type { PollView } from '../../../shared/room/events';
import type { PlatformSigning } from '../../../shared/platform';
import { VotePanel, castErrorKey } from '../../../renderer/src/voting/vote-panel';
import { i18nFor } from './setup-i18n';

const M = '00000000-0000-4000-8000-000000000001';
const P = '00000000-0000-4000-8000-0000000000e1';
const U = '00000000-0000-4000-8000-0000000000f1';

function poll(extra: Partial<PollView> = {}): PollView {
  return {
    pollId: P, meetingId: M, itemId: null, title: 'Thông qua dự toán ngân sách', kind: 'yes_no_abstain',
    options: [{ id: 'yes', label: 'Tán thành' }, { id: 'no', label: 'Không tán thành' }, { id: 'abstain', label: 'Không biểu quyết' }],
    maxChoices: 1, secret: false, base: 'all', threshold: { num: 1, den: 2, strict: true }, correction: 'change_until_close',
    durationSeconds: 120, hideTally: false, status: 'open', openedAt: new Date().toISOString(),
    closesAt: new Date(Date.now() + 90_000).toISOString(), closedAt: null, replacesPollId: null, reason: null,
    progress: { voted: 1, eligible: 31 }, counts: null, result: null, ...extra,
  };
}

function renderPanel(p: PollView, mine?: { pollId: string; ballotId: string | null; choice: string[] | null }, lng: 'vi' | 'en' = 'vi') {
  return render(
    <I18nextProvider i18n={i18nFor(lng)}>
      <VotePanel poll={p} mine={mine} canVote client={null} clockOffsetMs={0} />
    </I18nextProvider>,
  );
}

describe('voting panel', () => {
  afterEach(cleanup);

  it('offers the three large choices with a countdown, then asks for confirmation', async () => {
    renderPanel(poll());
    const group = screen.getByRole('group', { name: 'Lựa chọn biểu quyết' });
    expect(within(group).getAllByRole('button').map((b) => b.textContent)).toEqual(['Tán thành', 'Không tán thành', 'Không biểu quyết']);
    expect(screen.getByRole('timer').textContent).toMatch(/^01:(2\d|30)$/);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Không tán thành' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Xác nhận biểu quyết' });
    expect(within(dialog).getByText('Không tán thành')).toBeTruthy();
    await userEvent.setup().click(within(dialog).getByRole('button', { name: 'Quay lại' }));
    expect(screen.getByRole('group', { name: 'Lựa chọn biểu quyết' })).toBeTruthy();
  });

  it('moves the focus into the confirmation after a choice, and back to the panel when going back', async () => {
    renderPanel(poll());
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Tán thành' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Xác nhận biểu quyết' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Xác nhận' }));
    await user.keyboard('{Tab}{Enter}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Biểu quyết' }));
  });

  it('shows the receipt for a ballot the server already holds, with a change button while allowed', () => {
    renderPanel(poll(), { pollId: P, ballotId: U, choice: ['yes'] });
    expect(screen.getByText(/Phiếu của bạn đã được ghi nhận/)).toBeTruthy();
    expect(screen.getByText('Lựa chọn: Tán thành')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Thay đổi lựa chọn' })).toBeTruthy();
  });

  it('explains refused ballots', () => {
    expect(castErrorKey('POLL_CLOSED')).toBe('vote.errors.closed');
    expect(castErrorKey('ALREADY_VOTED')).toBe('vote.errors.already');
    expect(castErrorKey('INVALID_SIGNATURE')).toBe('vote.errors.signature');
    expect(castErrorKey('TIMEOUT')).toBe('vote.errors.generic');
  });

  it('final polls cannot be changed', () => {
    renderPanel(poll({ correction: 'final', secret: true }), { pollId: P, ballotId: U, choice: null });
    expect(screen.queryByRole('button', { name: 'Thay đổi lựa chọn' })).toBeNull();
  });

  it('says clearly when the vote is closed and shows the result in English', () => {
    renderPanel(
      poll({
        status: 'closed',
        result: {
          counts: { yes: 20, no: 5, abstain: 2 }, base: 31, percent: { yes: 64.52, no: 16.13, abstain: 6.45 }, needed: 16, passed: true,
          elected: null, tie: false, named: [{ userId: U, displayName: 'Trần Thị An', choice: ['yes'] }], notVoted: [], eligible: 31, present: 27, cast: 27,
        },
      }),
      undefined,
      'en',
    );
    expect(screen.getByText('Voting has closed; no more ballots are accepted.')).toBeTruthy();
    const fig = screen.getByRole('figure', { name: 'Result: Thông qua dự toán ngân sách' });
    expect(within(fig).getByText('Passed')).toBeTruthy();
    expect(fig.querySelector('.bar-yes .bar-label')?.textContent).toBe('Yes');
    expect(fig.querySelector('.bar-yes .bar-value')?.textContent).toMatch(/^20 \(64\.52%\)/);
    expect(screen.queryByRole('group', { name: 'Your choice' })).toBeNull();
  });

  it('a meeting with signed ballots: the browser (no key) says it needs the desktop app; the desktop shows the payload it signs', async () => {
    const noKey: PlatformSigning = {
      available: async () => false,
      sign: async () => ({ ok: false, error: { code: 'NOT_SUPPORTED', message: 'no key in a browser' } }),
      certificate: async () => ({ ok: false, error: { code: 'NOT_SUPPORTED', message: 'no key in a browser' } }),
      signDigest: async () => ({ ok: false, error: { code: 'NOT_SUPPORTED', message: 'no key in a browser' } }),
    };
    const { unmount } = render(
      <I18nextProvider i18n={i18nFor('vi')}>
        <VotePanel poll={poll()} mine={undefined} canVote client={null} clockOffsetMs={0} signedBallots signing={noKey} />
      </I18nextProvider>,
    );
    expect(await screen.findByText(/Biểu quyết có ký số cần ứng dụng E-Cabinet trên máy tính/)).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Lựa chọn biểu quyết' })).toBeNull();
    unmount();
    render(
      <I18nextProvider i18n={i18nFor('en')}>
        <VotePanel poll={poll()} mine={undefined} canVote client={null} clockOffsetMs={0} signedBallots signing={{ ...noKey, available: async () => true }} />
      </I18nextProvider>,
    );
    const group = await screen.findByRole('group', { name: 'Your choice' });
    await userEvent.click(within(group).getByRole('button', { name: 'Yes' }));
    const payload = screen.getByText(/^\{"ballotId":/);
    expect(JSON.parse(payload.textContent ?? '{}')).toMatchObject({ meetingId: M, pollId: P, choice: ['yes'] });
    expect(screen.getByRole('button', { name: 'Sign and cast the ballot' })).toBeTruthy();
  });
});
