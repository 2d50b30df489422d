import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { getDocument, PDFDataRangeTransport } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { z } from 'zod';

/**
 * Runs in its own worker thread (started by pdf-inspect.ts), for two reasons:
 * - pdf.js's legacy build (the one that runs on Node 20) installs core-js polyfills on the globals it
 *   lands in, among them JS replacements for JSON.stringify and JSON.parse. In the server's main thread
 *   those would slow every Socket.IO message and every JSON body; a worker has globals of its own.
 * - parsing a damaged large PDF (cross-reference rebuild) is CPU work that must not hold the live room's
 *   event loop.
 */
const Input = z.object({ path: z.string().min(1), size: z.number().int().positive(), chunk: z.number().int().positive() });

export type RangeWorkerAnswer = { ok: true; pages: number; bytesRead: number } | { ok: false; message: string };

async function inspect(input: z.output<typeof Input>): Promise<RangeWorkerAnswer> {
  const fh = await open(input.path, 'r');
  let bytesRead = 0;
  const readAt = async (begin: number, end: number): Promise<Uint8Array> => {
    const buf = Buffer.alloc(end - begin);
    const { bytesRead: n } = await fh.read(buf, 0, buf.length, begin);
    bytesRead += n;
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  };
  try {
    const first = await readAt(0, Math.min(input.chunk, input.size));
    class FileTransport extends PDFDataRangeTransport {
      override requestDataRange(begin: number, end: number): void {
        readAt(begin, end).then(
          (chunk) => this.onDataRange(begin, chunk),
          () => this.abort(),
        );
      }
    }
    const task = getDocument({
      range: new FileTransport(input.size, first),
      length: input.size,
      rangeChunkSize: input.chunk,
      disableAutoFetch: true,
      disableStream: true,
      isEvalSupported: false,
      verbosity: 0,
    });
    try {
      const doc = await task.promise;
      return { ok: true, pages: doc.numPages, bytesRead };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message.slice(0, 200) : 'unknown error' };
    } finally {
      await task.destroy();
    }
  } finally {
    await fh.close();
  }
}

const port = parentPort;
if (port) {
  inspect(Input.parse(workerData)).then(
    (answer) => port.postMessage(answer),
    (err: unknown) => port.postMessage({ ok: false, message: err instanceof Error ? err.message.slice(0, 200) : 'unknown error' } satisfies RangeWorkerAnswer),
  );
}
