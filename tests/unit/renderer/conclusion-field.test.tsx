// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nextProvider } from 'react-i18next';
import { configureApi } from '../../../renderer/src/api/http';
import { ConclusionField } from '../../../renderer/src/minutes/conclusion-field';
import { i18nFor } from './setup-i18n';

const M = '00000000-0000-4000-8000-000000000001';
const ITEM = '00000000-0000-4000-8000-0000000000a1';
const TITLE = 'Kế hoạch đầu tư công';

const BASE = 'http://council.test';

/**
 * The two conclusion routes answered as the session server answers them (the real routes are covered
 * by tests/integration/minutes-record.test.ts), in place of fetch; reads wait for `hold` when set.
 */
function conclusionRoutes() {
  const state = { text: 'Thống nhất thông qua.', reads: 0, hold: null as Promise<void> | null };
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const item = (text: string) => ({ agendaItemId: ITEM, position: '1', title: TITLE, text });
  const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const path = url.slice(BASE.length);
    if (init?.method === 'GET' && path === `/api/meetings/${M}/conclusions`) {
      state.reads++;
      await state.hold;
      return json({ conclusions: state.text ? [item(state.text)] : [] });
    }
    if (init?.method === 'PUT' && path === `/api/meetings/${M}/agenda/${ITEM}/conclusion`) {
      state.text = (JSON.parse(typeof init.body === 'string' ? init.body : '{}') as { text: string }).text.trim();
      return json({ conclusion: state.text ? item(state.text) : null });
    }
    return json({ error: { code: 'NOT_FOUND', message: 'no such route' } }, 404);
  };
  return { fetch, state };
}

describe('the chair’s conclusion field', () => {
  const { fetch, state } = conclusionRoutes();
  let queries: QueryClient;

  beforeAll(() => {
    vi.stubGlobal('fetch', fetch);
    configureApi({ base: BASE });
  });
  afterAll(() => {
    configureApi({ base: null });
    vi.unstubAllGlobals();
  });
  afterEach(() => {
    cleanup();
    queries.clear();
    state.hold = null;
    state.reads = 0;
    state.text = 'Thống nhất thông qua.';
  });

  function show() {
    queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={queries}>
        <I18nextProvider i18n={i18nFor('vi')}>
          <ConclusionField meetingId={M} itemId={ITEM} title={TITLE} />
        </I18nextProvider>
      </QueryClientProvider>,
    );
    return screen.getByLabelText<HTMLTextAreaElement>(`Kết luận về “${TITLE}”`);
  }

  it('stays read-only until the saved text has arrived, then shows it for editing', async () => {
    let release = () => undefined as void;
    state.hold = new Promise<void>((r) => (release = r));
    const field = show();
    await waitFor(() => expect(state.reads).toBe(1));
    expect(field.readOnly).toBe(true);
    expect(field.value).toBe('');
    release();
    await waitFor(() => expect(field.readOnly).toBe(false));
    expect(field.value).toBe('Thống nhất thông qua.');
    expect((screen.getByRole('button', { name: 'Lưu kết luận' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('keeps an unsaved edit when the saved text is read again, and follows the server once saved', async () => {
    const field = show();
    await waitFor(() => expect(field.readOnly).toBe(false));
    const user = userEvent.setup();
    await user.clear(field);
    await user.type(field, 'Giao UBND xã lập dự toán.  ');

    // Changed on another device, then re-read (as on focus or reconnect): the edit stays.
    state.text = 'Văn bản từ máy khác.';
    const reads = state.reads;
    await queries.invalidateQueries();
    expect(state.reads).toBe(reads + 1);
    expect(field.value).toBe('Giao UBND xã lập dự toán.  ');
    const save = screen.getByRole('button', { name: 'Lưu kết luận' }) as HTMLButtonElement;
    expect(save.disabled).toBe(false);

    // Saved: the field shows what the server kept (trimmed) and has nothing left to save.
    await user.click(save);
    await screen.findByText('Đã lưu kết luận.');
    expect(field.value).toBe('Giao UBND xã lập dự toán.');
    expect(save.disabled).toBe(true);

    // Without an edit, a re-read shows the newer text.
    state.text = 'Sửa lần cuối.';
    await queries.invalidateQueries();
    await waitFor(() => expect(field.value).toBe('Sửa lần cuối.'));
  });
});
