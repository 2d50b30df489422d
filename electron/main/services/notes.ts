import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { openSealed, sealWhole } from './sealed-file';

const NotesFile = z.record(z.string().regex(/^\d+$/), z.string());

/** Private page notes (PlatformNotes): kept on this device only, sealed like the documents. */
export class NotesStore {
  constructor(
    private readonly dir: string,
    private readonly key: Buffer,
  ) {}

  private path(documentId: string): string {
    // documentId is a zod-validated uuid, so it is a safe file name.
    return join(this.dir, `${documentId}.bin`);
  }

  async list(documentId: string): Promise<Record<string, string>> {
    try {
      const plain = openSealed(this.key, `notes:${documentId}`, await readFile(this.path(documentId)));
      const parsed = NotesFile.safeParse(JSON.parse(plain.toString('utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  async put(documentId: string, page: number, text: string): Promise<void> {
    const notes = await this.list(documentId);
    if (text.trim() === '') {
      delete notes[String(page)];
    } else {
      notes[String(page)] = text;
    }
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.path(documentId)}.tmp`;
    await writeFile(
      tmp,
      sealWhole(this.key, `notes:${documentId}`, Buffer.from(JSON.stringify(notes), 'utf8')),
      { mode: 0o600 },
    );
    await rename(tmp, this.path(documentId));
  }
}
