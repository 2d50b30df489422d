import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Remote signing sessions: between "prepare" and "complete" the server keeps the prepared
 * revision. On disk under <data>/signing/ rather than in memory, so that with several server nodes
 * (shared data directory, as for blobs) "complete" may land on another node, and a restart in between
 * does not lose it. Sessions expire after 10 minutes and are swept on each new prepare.
 */
export const SESSION_TTL_MS = 10 * 60_000;

const SessionMeta = z.object({
  id: z.uuid(),
  documentId: z.uuid(),
  userId: z.uuid(),
  /** The revision the preparation extends; complete refuses if the document moved on. */
  baseSha256: z.string(),
  fieldName: z.string(),
  /** Signer certificate first, then chain; base64 DER. */
  certificates: z.array(z.string()),
  signedAttributes: z.string(),
  contentsStart: z.number().int(),
  contentsEnd: z.number().int(),
  expiresAt: z.number(),
});
export type SessionMeta = z.infer<typeof SessionMeta>;

export interface SigningSession extends SessionMeta {
  readonly pdf: Uint8Array;
}

const dirOf = (dataDir: string) => join(dataDir, 'signing');

export async function createSession(dataDir: string, meta: Omit<SessionMeta, 'id' | 'expiresAt'>, pdf: Uint8Array): Promise<SessionMeta> {
  const dir = dirOf(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await sweep(dir);
  const full: SessionMeta = { ...meta, id: randomUUID(), expiresAt: Date.now() + SESSION_TTL_MS };
  await writeFile(join(dir, `${full.id}.pdf`), pdf, { mode: 0o600 });
  await writeFile(join(dir, `${full.id}.json`), JSON.stringify(full), { mode: 0o600 });
  return full;
}

export async function loadSession(dataDir: string, id: string): Promise<SigningSession | null> {
  if (!z.uuid().safeParse(id).success) {
    return null;
  }
  const dir = dirOf(dataDir);
  try {
    const meta = SessionMeta.parse(JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')));
    if (meta.expiresAt < Date.now()) {
      await dropSession(dataDir, id);
      return null;
    }
    return { ...meta, pdf: await readFile(join(dir, `${id}.pdf`)) };
  } catch {
    return null;
  }
}

export async function dropSession(dataDir: string, id: string): Promise<void> {
  const dir = dirOf(dataDir);
  await Promise.all([rm(join(dir, `${id}.json`), { force: true }), rm(join(dir, `${id}.pdf`), { force: true })]);
}

async function sweep(dir: string): Promise<void> {
  const now = Date.now();
  for (const f of await readdir(dir).catch(() => [])) {
    const s = await stat(join(dir, f)).catch(() => null);
    if (s && now - s.mtimeMs > SESSION_TTL_MS + 60_000) {
      await rm(join(dir, f), { force: true });
    }
  }
}
