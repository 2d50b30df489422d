import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMail, type ParsedMail } from './mime';

export interface ReceivedMail extends ParsedMail {
  /** Envelope recipients (RCPT TO). */
  readonly rcpt: readonly string[];
  readonly raw: Buffer;
}

export interface TestSmtp {
  /** smtp://user:pass@127.0.0.1:port — what the server under test gets as SMTP_URL. */
  readonly url: string;
  readonly received: readonly ReceivedMail[];
  /** Addresses refused at RCPT TO (550), as a real server refuses an unknown mailbox; change it at will. */
  readonly refused: Set<string>;
  /** Resolves with the first received mail (already received or still to come) that matches. */
  waitFor(match: (m: ReceivedMail) => boolean): Promise<ReceivedMail>;
  close(): Promise<void>;
}

const USER = 'ecab';
const PASS = 'smtp-test-pass';

/**
 * A real SMTP server on a free port (smtp-server) that requires the credentials in its URL and keeps
 * every message. STARTTLS is disabled because the test has no certificate; auth over plain text is
 * allowed for the same reason.
 */
export async function startSmtp(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const refused = new Set<string>();
  const waiters: { match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === USER && auth.password === PASS) {
        cb(null, { user: USER });
      } else {
        cb(new Error('Invalid username or password'));
      }
    },
    onRcptTo(address, _session, cb) {
      if (refused.has(address.address.toLowerCase())) {
        cb(Object.assign(new Error(`5.1.1 <${address.address}>: mailbox unavailable`), { responseCode: 550 }));
      } else {
        cb();
      }
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const mail: ReceivedMail = { ...parseMail(raw), rcpt: session.envelope.rcptTo.map((r) => r.address), raw };
        received.push(mail);
        for (const w of [...waiters]) {
          if (w.match(mail)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(mail);
          }
        }
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${USER}:${PASS}@127.0.0.1:${port}`,
    received,
    refused,
    waitFor(match) {
      const found = received.find(match);
      if (found) {
        return Promise.resolve(found);
      }
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
