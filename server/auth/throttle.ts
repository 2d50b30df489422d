import { asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { loginThrottle } from '../db/schema';
import type { ServerConfig } from '../config';

/**
 * Sign-in throttle (docs/security.md "Server controls"). Instead of locking an account — which lets
 * anyone lock the chair out with five wrong passwords — failures are counted per (username, source IP),
 * per source IP and per username, each with its own number of free failures after which that key's
 * next attempt must wait a doubling delay. Only the attacking source is slowed down for an account;
 * the per-username key (high threshold, low cap) bounds guessing spread over many addresses.
 *
 * Every attempt is claimed BEFORE the password is checked, inside one transaction that row-locks the
 * keys: concurrent attempts are counted one by one (no stale read), and an attempt that arrives
 * while a key is delayed is refused without touching the password at all. A successful sign-in
 * clears the pair and username keys and gives back its claim on the IP key.
 */

interface Policy {
  readonly free: number;
  readonly baseDelaySeconds: number;
  readonly maxDelaySeconds: number;
}

interface Keyed {
  readonly key: string;
  readonly policy: Policy;
}

/** Counters with no activity for this long restart at zero. */
const IDLE_RESET_MS = 60 * 60 * 1000;

/** The username as the account table stores it: the rate-limit and throttle keys must use the same form. */
export function normaliseUsername(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase().slice(0, 64);
}

export function delaySeconds(failures: number, p: Policy): number {
  if (failures <= p.free) {
    return 0;
  }
  return Math.min(p.baseDelaySeconds * 2 ** Math.min(failures - p.free - 1, 30), p.maxDelaySeconds);
}

function keysFor(config: ServerConfig, username: string, ip: string): Keyed[] {
  const baseDelaySeconds = config.loginBaseDelaySeconds;
  return [
    { key: `pair:${ip}|${username}`, policy: { free: config.loginFreeFailures, baseDelaySeconds, maxDelaySeconds: config.loginMaxDelaySeconds } },
    { key: `ip:${ip}`, policy: { free: config.loginIpFreeFailures, baseDelaySeconds, maxDelaySeconds: config.loginMaxDelaySeconds } },
    { key: `acct:${username}`, policy: { free: config.loginAccountFreeFailures, baseDelaySeconds, maxDelaySeconds: config.loginAccountMaxDelaySeconds } },
  ];
}

export type Claim = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

/** Claims one sign-in attempt (counted as a failure until loginSucceeded gives it back). */
export async function claimLoginAttempt(db: Executor, config: ServerConfig, username: string, ip: string): Promise<Claim> {
  const keyed = keysFor(config, username, ip);
  return db.transaction(async (tx) => {
    await tx
      .insert(loginThrottle)
      .values(keyed.map((k) => ({ key: k.key })))
      .onConflictDoNothing();
    // Sorted, so two transactions lock the same keys in the same order (no deadlock).
    const rows = await tx
      .select()
      .from(loginThrottle)
      .where(inArray(loginThrottle.key, keyed.map((k) => k.key)))
      .orderBy(asc(loginThrottle.key))
      .for('update');
    const now = Date.now();
    const wait = Math.max(0, ...rows.map((r) => r.nextAt.getTime() - now));
    if (wait > 0) {
      return { ok: false, retryAfterSeconds: Math.ceil(wait / 1000) };
    }
    for (const k of keyed) {
      const row = rows.find((r) => r.key === k.key);
      const before = row && now - row.updatedAt.getTime() < IDLE_RESET_MS ? row.failures : 0;
      const failures = before + 1;
      await tx
        .update(loginThrottle)
        .set({ failures, nextAt: new Date(now + delaySeconds(failures, k.policy) * 1000), updatedAt: new Date(now) })
        .where(eq(loginThrottle.key, k.key));
    }
    return { ok: true } as const;
  });
}

/** The right password: the owner is back; the source's claim on the shared IP counter is returned. */
export async function loginSucceeded(db: Executor, config: ServerConfig, username: string, ip: string): Promise<void> {
  const [pair, ipKey, acct] = keysFor(config, username, ip);
  if (!pair || !ipKey || !acct) {
    throw new Error('throttle keys missing');
  }
  await db.transaction(async (tx) => {
    await tx.delete(loginThrottle).where(inArray(loginThrottle.key, [pair.key, acct.key]));
    await tx
      .update(loginThrottle)
      .set({
        failures: sql`greatest(${loginThrottle.failures} - 1, 0)`,
        nextAt: sql`case when ${loginThrottle.failures} - 1 <= ${ipKey.policy.free} then now() else ${loginThrottle.nextAt} end`,
      })
      .where(eq(loginThrottle.key, ipKey.key));
  });
}

/** An administrator's reset: every counter naming this username goes (the CLI's reset-password). */
export async function clearLoginThrottle(db: Executor, username: string): Promise<void> {
  const name = normaliseUsername(username);
  // right(), not LIKE: usernames may contain "_", a LIKE wildcard.
  await db.delete(loginThrottle).where(or(eq(loginThrottle.key, `acct:${name}`), sql`right(${loginThrottle.key}, ${name.length + 1}) = ${`|${name}`}`));
}
