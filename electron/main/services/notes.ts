import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LocalNotesSchema } from '../../../shared/ipc';
import { openSealed, sealWhole } from './sealed-file';

type LocalNotes = z.infer<typeof LocalNotesSchema>;

/** Notes written before they were synced: one file per document, page → text. */
const LegacyNotesFile = z.record(z.string().regex(/^\d+$/), z.string());

/**
 * Private page notes (PlatformNotes): one sealed file per (user, document) on this device, so people
 * sharing the device never see each other's notes; the renderer syncs them with the server.
 */
export class NotesStore {
  constructor(
    private readonly dir: string,
    private readonly key: Buffer,
  ) {}

  private path(userId: string, documentId: string): string {
    // Both ids are zod-validated uuids, so they make a safe file name.
    return join(this.dir, `${userId}.${documentId}.bin`);
  }

  private async read(file: string, label: string): Promise<unknown> {
    const plain = openSealed(this.key, label, await readFile(file));
    return JSON.parse(plain.toString('utf8')) as unknown;
  }

  async list(userId: string, documentId: string): Promise<LocalNotes> {
    try {
      const parsed = LocalNotesSchema.safeParse(await this.read(this.path(userId, documentId), `notes:${userId}:${documentId}`));
      return parsed.success ? parsed.data : {};
    } catch {
      return this.adoptLegacy(userId, documentId);
    }
  }

  /**
   * The first user to open a document adopts its pre-sync notes as unsynced edits older than anything
   * on the server (last-writer-wins then keeps a newer server note).
   */
  private async adoptLegacy(userId: string, documentId: string): Promise<LocalNotes> {
    const legacy = join(this.dir, `${documentId}.bin`);
    try {
      await stat(legacy);
    } catch {
      return {};
    }
    let notes: LocalNotes = {};
    try {
      const parsed = LegacyNotesFile.safeParse(await this.read(legacy, `notes:${documentId}`));
      const epoch = new Date(0).toISOString();
      if (parsed.success) {
        notes = Object.fromEntries(Object.entries(parsed.data).map(([page, text]) => [page, { text, updatedAt: epoch, dirty: true }]));
      }
    } catch {
      // Unreadable (another data key): nothing to adopt.
    }
    await this.save(userId, documentId, notes);
    await rm(legacy, { force: true });
    return notes;
  }

  async save(userId: string, documentId: string, notes: LocalNotes): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.path(userId, documentId);
    const tmp = `${file}.tmp`;
    await writeFile(tmp, sealWhole(this.key, `notes:${userId}:${documentId}`, Buffer.from(JSON.stringify(notes), 'utf8')), { mode: 0o600 });
    await rename(tmp, file);
  }
}
