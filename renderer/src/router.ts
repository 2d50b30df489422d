import { useSyncExternalStore } from 'react';

/** A minimal history router: the app has a handful of routes and no need for a routing library. */
const listeners = new Set<() => void>();

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  window.addEventListener('popstate', fn);
  return () => {
    listeners.delete(fn);
    window.removeEventListener('popstate', fn);
  };
}

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) {
    window.history.replaceState(null, '', path);
  } else {
    window.history.pushState(null, '', path);
  }
  for (const l of listeners) {
    l();
  }
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export type Route =
  | { name: 'login' }
  | { name: 'meetings' }
  | { name: 'room'; meetingId: string }
  | { name: 'chair'; meetingId: string }
  | { name: 'secretariat'; meetingId: string | null }
  | { name: 'display'; meetingId: string }
  | { name: 'rsvp' }
  | { name: 'consultations'; consultationId: string | null }
  | { name: 'tasks' }
  | { name: 'notFound' };

const UUID = '([0-9a-fA-F-]{36})';

export function matchRoute(path: string): Route {
  const p = path.replace(/\/+$/, '') || '/';
  let m: RegExpExecArray | null;
  if (p === '/login') {
    return { name: 'login' };
  }
  if (p === '/' || p === '/meetings') {
    return { name: 'meetings' };
  }
  if ((m = new RegExp(`^/meetings/${UUID}$`).exec(p)) && m[1]) {
    return { name: 'room', meetingId: m[1] };
  }
  if ((m = new RegExp(`^/meetings/${UUID}/chair$`).exec(p)) && m[1]) {
    return { name: 'chair', meetingId: m[1] };
  }
  if (p === '/secretariat') {
    return { name: 'secretariat', meetingId: null };
  }
  if ((m = new RegExp(`^/secretariat/${UUID}$`).exec(p)) && m[1]) {
    return { name: 'secretariat', meetingId: m[1] };
  }
  if ((m = new RegExp(`^/display/${UUID}$`).exec(p)) && m[1]) {
    return { name: 'display', meetingId: m[1] };
  }
  if (p === '/rsvp') {
    return { name: 'rsvp' };
  }
  if (p === '/tasks') {
    return { name: 'tasks' };
  }
  if (p === '/consultations') {
    return { name: 'consultations', consultationId: null };
  }
  if ((m = new RegExp(`^/consultations/${UUID}$`).exec(p)) && m[1]) {
    return { name: 'consultations', consultationId: m[1] };
  }
  return { name: 'notFound' };
}
