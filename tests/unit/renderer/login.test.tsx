// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { ApiError, configureApi } from '../../../renderer/src/api/http';
import { LoginScreen, loginErrorKey } from '../../../renderer/src/screens/login';
import { i18nFor } from './setup-i18n';

describe('sign-in screen', () => {
  beforeAll(() => {
    i18nFor('vi');
  });
  afterEach(() => {
    cleanup();
    configureApi({ base: null });
  });

  // The 401 / 423 / 429 answers of the real server are exercised in tests/e2e/reader.test.ts.
  it('maps each failure to its message', () => {
    expect(loginErrorKey(new ApiError(401, 'INVALID_CREDENTIALS', ''))).toBe('login.errors.invalid');
    expect(loginErrorKey(new ApiError(423, 'ACCOUNT_LOCKED', ''))).toBe('login.errors.locked');
    expect(loginErrorKey(new ApiError(429, 'RATE_LIMITED', ''))).toBe('login.errors.rateLimited');
    expect(loginErrorKey(new ApiError(0, 'UNREACHABLE', ''))).toBe('login.errors.unreachable');
    expect(loginErrorKey(new Error('?'))).toBe('login.errors.unknown');
  });

  it('says so when the server cannot be reached', async () => {
    configureApi({ base: 'http://127.0.0.1:1' });
    render(
      <I18nextProvider i18n={i18nFor('vi')}>
        <LoginScreen onSignedIn={() => undefined} />
      </I18nextProvider>,
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Tên đăng nhập'), 'delegate01');
    await user.type(screen.getByLabelText('Mật khẩu'), 'demo1234');
    await user.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Không kết nối được máy chủ/);
  });
});
