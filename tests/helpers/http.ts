import { expect } from 'vitest';
import { ErrorResponse } from '../../shared/errors';
import { LoginResponse } from '../../shared/api/auth';

export interface Reply<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** Minimal JSON client over real HTTP (fetch); every test goes through the network stack. */
export class Api {
  constructor(
    readonly base: string,
    readonly token?: string,
  ) {}

  withToken(token: string): Api {
    return new Api(this.base, token);
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.token) {
      h.authorization = `Bearer ${this.token}`;
    }
    let payload: string | undefined;
    if (body !== undefined) {
      h['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    if (text && (res.headers.get('content-type') ?? '').includes('json')) {
      parsed = JSON.parse(text);
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  patch<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  put<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  delete<T = unknown>(path: string) {
    return this.request<T>('DELETE', path);
  }

  async login(username: string, password = 'demo1234'): Promise<Api> {
    const r = await this.post('/api/auth/login', { username, password });
    if (r.status !== 200) {
      throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
    }
    return this.withToken(LoginResponse.parse(r.body).token);
  }
}

/** Asserts docs/architecture.md's error shape and returns the code. */
export function errorCode(body: unknown): string {
  return ErrorResponse.parse(body).error.code;
}

/** Asserts that a request fails with `status` and `code`, and that its message names `field` when given. */
export async function expectError(p: Promise<Pick<Reply, 'status' | 'body'>>, status: number, code: string, field?: string): Promise<void> {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(errorCode(r.body)).toBe(code);
  if (field) {
    expect(ErrorResponse.parse(r.body).error.message).toContain(field);
  }
}
