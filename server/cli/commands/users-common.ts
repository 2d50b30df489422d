import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client';
import { openCliDatabase } from '../registry';

/** Opens the database for one command and always closes it (PGlite holds a lock on its directory). */
export async function withDatabase<T>(dataDir: string | undefined, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openCliDatabase(dataDir);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** 16 url-safe characters (96 bits): printed once for the administrator to hand over. */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}
