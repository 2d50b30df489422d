// @vitest-environment jsdom
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import type { RoomSnapshot } from '../../../shared/room/events';
import { ConsoleAttendance } from '../../../renderer/src/chair/console-attendance';
import { ConsoleVoting } from '../../../renderer/src/chair/console-voting';
import { i18nFor } from './setup-i18n';

const M = '00000000-0000-4000-8000-000000000001';
const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function snapshot(present: boolean[], names: string[]): RoomSnapshot {
  const attendance = names.map((displayName, i) => ({ userId: uid(i + 10), displayName, role: 'delegate' as const, present: present[i] ?? false, reason: null, source: null }));
  const n = attendance.filter((a) => a.present).length;
  return {
    meeting: { meetingId: M, title: 'Kỳ họp', status: 'in_progress', paused: false, currentItemId: null },
    agenda: [],
    currentItem: null,
    me: { userId: uid(1), role: 'chair', canRunRoom: true, canVote: true },
    attendanceScope: 'all',
    attendance,
    quorum: { present: n, total: names.length, required: Math.ceil((names.length * 2) / 3), met: n >= Math.ceil((names.length * 2) / 3), num: 2, den: 3 },
    speakers: [],
    polls: [],
    openPoll: null,
    myBallots: [],
    serverTime: new Date().toISOString(),
  };
}

const wrap = (ui: ReactNode) => render(<I18nextProvider i18n={i18nFor('vi')}>{ui}</I18nextProvider>);

describe('chair console parts', () => {
  afterEach(cleanup);

  it('lists attendance by given name with Vietnamese collation; each toggle is named by its visible word and the member', () => {
    wrap(<ConsoleAttendance snapshot={snapshot([true, false, true], ['Trần Văn Đức', 'Lê Thị Dung', 'Nguyễn Văn An'])} act={async () => true} />);
    const items = within(screen.getByRole('list')).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.attendance-name')?.textContent)).toEqual(['Nguyễn Văn An', 'Lê Thị Dung', 'Trần Văn Đức']);
    const toggle = screen.getByRole('button', { name: 'Có mặt: Lê Thị Dung' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    // The accessible name starts with the visible text (axe label-content-name-mismatch).
    expect(toggle.textContent?.startsWith('Có mặt')).toBe(true);
    expect(screen.getByRole('button', { name: 'Có mặt: Nguyễn Văn An' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('warns once about a missing quorum', () => {
    wrap(<ConsoleVoting snapshot={snapshot([true, false, false], ['A A', 'B B', 'C C'])} client={null} act={async () => true} onError={() => undefined} offsetMs={0} />);
    expect(screen.getAllByText('Chưa đủ số đại biểu có mặt để biểu quyết.')).toHaveLength(1);
  });
});
