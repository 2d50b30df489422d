import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../db/client';
import { appSecrets } from '../db/schema';
import { AppError } from '../errors';
import { LinkToken } from '../../shared/api/invitations';

/**
 * Signed links in email (RSVP): `base64url(JSON payload).base64url(HMAC-SHA256)`. The key lives in the
 * database (app_secrets) so every node of a cluster accepts every node's links and a restart keeps
 * them valid. Each payload names its one purpose and carries `exp` (seconds); the schema of the
 * purpose parses it, so a token for one purpose never passes as another and never acts as a login.
 */
const SECRET_NAME = 'mail-link-hmac';
const keys = new WeakMap<Db, Promise<Buffer>>();

async function loadKey(db: Db): Promise<Buffer> {
  await db.insert(appSecrets).values({ name: SECRET_NAME, value: randomBytes(32).toString('base64') }).onConflictDoNothing();
  const [row] = await db.select({ value: appSecrets.value }).from(appSecrets).where(eq(appSecrets.name, SECRET_NAME)).limit(1);
  if (!row) {
    throw new Error('link key missing after insert');
  }
  return Buffer.from(row.value, 'base64');
}

function key(db: Db): Promise<Buffer> {
  let k = keys.get(db);
  if (!k) {
    k = loadKey(db);
    keys.set(db, k);
    k.catch(() => keys.delete(db));
  }
  return k;
}

const mac = (k: Buffer, body: string) => createHmac('sha256', k).update(`ecab-link.${body}`).digest();

export async function signLinkToken(db: Db, payload: { readonly exp: number } & Readonly<Record<string, unknown>>): Promise<string> {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${mac(await key(db), body).toString('base64url')}`;
}

const invalid = () => new AppError(403, 'LINK_INVALID', 'This link is not valid: open the link from the email again, or sign in to the app');

/** Verifies the MAC, then parses the payload with `schema`, then checks `exp`. */
export async function verifyLinkToken<S extends z.ZodType<{ exp: number }>>(db: Db, token: unknown, schema: S, now = new Date()): Promise<z.infer<S>> {
  const t = LinkToken.safeParse(token);
  if (!t.success) {
    throw invalid();
  }
  const [body = '', sig = ''] = t.data.split('.');
  // Compared as text, not as decoded bytes: the last base64url character of a 32-byte MAC carries
  // two unused bits that decoding drops, so four spellings would otherwise pass for each signature.
  const expected = Buffer.from(mac(await key(db), body).toString('base64url'));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw invalid();
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw invalid();
  }
  if (parsed.data.exp * 1000 <= now.getTime()) {
    throw new AppError(410, 'LINK_EXPIRED', 'This link has expired: sign in to the app to answer');
  }
  return parsed.data;
}
