// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi as spy } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import type { PollView } from '../../../shared/room/events';
import { PollCreate } from '../../../shared/room/schemas';
import { EMPTY_DRAFT, draftForItem, draftProblems, fromPoll, toSettings } from '../../../renderer/src/secretariat/poll-draft';
import { PollForm } from '../../../renderer/src/secretariat/poll-form';
import { ruleShort, ruleText } from '../../../renderer/src/voting/rule';
import { i18nFor } from './setup-i18n';

const M = '00000000-0000-4000-8000-000000000001';
const P = '00000000-0000-4000-8000-0000000000e1';

function poll(extra: Partial<PollView> = {}): PollView {
  return {
    pollId: P, meetingId: M, itemId: null, title: 'Bầu Ủy viên', kind: 'election',
    options: [{ id: 'c0', label: 'Lò Văn Páo' }, { id: 'c1', label: 'Giàng Thị Mai' }],
    maxChoices: 1, secret: true, base: 'present', threshold: { num: 3, den: 5, strict: true }, correction: 'final',
    durationSeconds: 90, hideTally: true, status: 'draft', openedAt: null, closesAt: null, closedAt: null,
    replacesPollId: null, reason: null, progress: { voted: 0, eligible: 31 }, counts: null, result: null, ...extra,
  };
}

describe('prepared poll form model', () => {
  it('turns a valid form into settings the server schema accepts', () => {
    const s = toSettings({ ...EMPTY_DRAFT, title: ' Thông qua dự toán ', threshold: 'ge_two_thirds', base: 'cast', countdown: true, minutes: 1.5 });
    expect(s).toEqual({
      title: 'Thông qua dự toán', kind: 'yes_no_abstain', secret: false, base: 'cast', threshold: { kind: 'ge_two_thirds' },
      correction: 'change_until_close', durationSeconds: 90, hideTally: false,
    });
    expect(PollCreate.safeParse({ meetingId: M, ...s }).success).toBe(true);
    const el = toSettings({ ...draftForItem('election', 'Bầu bổ sung'), candidates: 'A\n\n B \nC', maxChoices: 2 });
    expect(el).toMatchObject({ kind: 'election', candidates: ['A', 'B', 'C'], maxChoices: 2, secret: true, correction: 'final' });
    expect(PollCreate.safeParse({ meetingId: M, ...el }).success).toBe(true);
  });

  it('a secret ballot is always final, whatever the correction radio said', () => {
    expect(toSettings({ ...EMPTY_DRAFT, title: 'x', secret: true, correction: 'change_until_close' }).correction).toBe('final');
  });

  it('names what keeps a form from being saved', () => {
    expect(draftProblems(EMPTY_DRAFT)).toEqual(['title']);
    expect(draftProblems({ ...EMPTY_DRAFT, title: 'x', kind: 'election', candidates: 'A\nA', maxChoices: 3 })).toEqual(['duplicates', 'maxChoices']);
    expect(draftProblems({ ...EMPTY_DRAFT, title: 'x', kind: 'election', candidates: '' })).toEqual(['candidates']);
    expect(draftProblems({ ...EMPTY_DRAFT, title: 'x', threshold: 'custom', customNum: 4, customDen: 3 })).toEqual(['fraction']);
    expect(draftProblems({ ...EMPTY_DRAFT, title: 'x', countdown: true, minutes: 0 })).toEqual(['minutes']);
  });

  it('round-trips an existing poll: custom rule, candidates, countdown', () => {
    const f = fromPoll(poll());
    expect(f).toMatchObject({ kind: 'election', candidates: 'Lò Văn Páo\nGiàng Thị Mai', threshold: 'custom', customNum: 3, customDen: 5, customStrict: true, countdown: true, minutes: 1.5, hideTally: true });
    expect(toSettings(f)).toMatchObject({ threshold: { kind: 'custom', num: 3, den: 5, strict: true }, durationSeconds: 90, base: 'present' });
    expect(fromPoll(poll({ threshold: { num: 2, den: 3, strict: false } })).threshold).toBe('ge_two_thirds');
    expect(fromPoll(poll({ threshold: { num: 1, den: 2, strict: true } })).threshold).toBe('gt_half');
  });

  it('says the rule in words in both languages', () => {
    // One i18next instance: fixed translators per language.
    const vi = i18nFor('vi').getFixedT('vi');
    const en = i18nFor('vi').getFixedT('en');
    const p = { kind: 'yes_no_abstain' as const, base: 'all' as const, threshold: { num: 1, den: 2, strict: true } };
    expect(ruleText(vi, p)).toBe('Thông qua khi tán thành quá 1/2 tổng số đại biểu');
    expect(ruleText(en, { ...p, threshold: { num: 2, den: 3, strict: false } })).toBe('Passes with yes votes from at least 2/3 of all members');
    expect(ruleText(vi, poll())).toBe('Trúng cử khi đạt quá 3/5 số đại biểu có mặt');
    expect(ruleShort(vi, p)).toBe('> 1/2 · tổng số đại biểu');
  });
});

describe('prepared poll form', () => {
  afterEach(cleanup);

  it('is operable by keyboard and labels: election with candidates and a 2/3 rule', async () => {
    const onSave = spy.fn();
    render(
      <I18nextProvider i18n={i18nFor('vi')}>
        <PollForm initial={EMPTY_DRAFT} heading="Biểu quyết mới" busy={false} onSave={onSave} onCancel={() => undefined} />
      </I18nextProvider>,
    );
    const user = userEvent.setup();
    const form = screen.getByRole('form', { name: 'Biểu quyết mới' });
    expect(form).toBeTruthy();
    // Saving an empty form shows why, and does not save.
    await user.click(screen.getByRole('button', { name: 'Lưu biểu quyết' }));
    expect(onSave).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText('Nội dung biểu quyết'), 'Bầu Ủy viên Thường trực');
    await user.click(screen.getByLabelText('Bầu cử (chọn người)'));
    await user.type(screen.getByLabelText('Danh sách ứng cử viên (mỗi dòng một người)'), 'Lò Văn Páo{Enter}Giàng Thị Mai{Enter}Sùng A Tủa');
    await user.clear(screen.getByLabelText('Số người được chọn tối đa'));
    await user.type(screen.getByLabelText('Số người được chọn tối đa'), '2');
    await user.selectOptions(screen.getByLabelText('Tỷ lệ cần đạt'), 'ge_two_thirds');
    await user.click(screen.getByLabelText('Bỏ phiếu kín'));
    // Secret ballots cannot be corrected: the choice is locked to final.
    expect((screen.getByLabelText('Được thay đổi đến khi kết thúc') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText('Trúng cử khi đạt ít nhất 2/3 tổng số đại biểu')).toBeTruthy();
    await user.click(screen.getByLabelText('Ẩn kết quả tạm thời đến khi kết thúc'));
    await user.click(screen.getByRole('button', { name: 'Lưu biểu quyết' }));
    expect(onSave).toHaveBeenCalledWith({
      title: 'Bầu Ủy viên Thường trực', kind: 'election', candidates: ['Lò Văn Páo', 'Giàng Thị Mai', 'Sùng A Tủa'], maxChoices: 2,
      secret: true, base: 'all', threshold: { kind: 'ge_two_thirds' }, correction: 'final', hideTally: true,
    });
  });
});
