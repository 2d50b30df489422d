// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import type { PollView } from '../../../shared/room/events';
import { ResultsChart } from '../../../renderer/src/voting/results-chart';
import { i18nFor } from './setup-i18n';

const M = '00000000-0000-4000-8000-000000000001';
const P = '00000000-0000-4000-8000-0000000000e1';
const U = '00000000-0000-4000-8000-0000000000f1';

function closed(lists: boolean): PollView {
  return {
    pollId: P, meetingId: M, itemId: null, title: 'Thông qua dự toán', kind: 'yes_no_abstain',
    options: [{ id: 'yes', label: 'Tán thành' }, { id: 'no', label: 'Không tán thành' }, { id: 'abstain', label: 'Không biểu quyết' }],
    maxChoices: 1, secret: false, base: 'all', threshold: { num: 1, den: 2, strict: true }, correction: 'final',
    durationSeconds: null, hideTally: false, status: 'closed', openedAt: null, closesAt: null, closedAt: null, replacesPollId: null, reason: null,
    progress: { voted: 1, eligible: 3 }, counts: { yes: 1, no: 0, abstain: 0 },
    result: {
      counts: { yes: 1, no: 0, abstain: 0 }, base: 3, percent: { yes: 33.33, no: 0, abstain: 0 }, needed: 2, passed: false, elected: null, tie: false,
      listsOmitted: !lists, named: lists ? [{ userId: U, displayName: 'Trần Thị An', choice: ['yes'] }] : null, notVoted: [], eligible: 3, present: 3, cast: 1,
    },
  };
}

describe('results chart', () => {
  afterEach(cleanup);

  it('fetches the name list only when a delegate opens it (closes carry counts only)', async () => {
    const loadNames = vi.fn(() => Promise.resolve([{ userId: U, displayName: 'Trần Thị An', choice: ['yes'] }]));
    render(
      <I18nextProvider i18n={i18nFor('en')}>
        <ResultsChart poll={closed(false)} loadNames={loadNames} />
      </I18nextProvider>,
    );
    expect(screen.queryByText('Trần Thị An')).toBeNull();
    expect(loadNames).not.toHaveBeenCalled();
    await userEvent.click(screen.getByText('How each member voted'));
    await waitFor(() => expect(screen.getByText('Trần Thị An')).toBeTruthy());
    expect(loadNames).toHaveBeenCalledTimes(1);
  });

  it('shows names that came with the result without asking', () => {
    const loadNames = vi.fn(() => Promise.resolve(null));
    render(
      <I18nextProvider i18n={i18nFor('en')}>
        <ResultsChart poll={closed(true)} loadNames={loadNames} />
      </I18nextProvider>,
    );
    expect(screen.getByText('Trần Thị An')).toBeTruthy();
    expect(loadNames).not.toHaveBeenCalled();
  });
});
