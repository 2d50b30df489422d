import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';

export interface MailAttachment {
  readonly filename: string;
  readonly content: Buffer;
  /** e.g. application/pdf */
  readonly contentType: string;
}

export interface SentMail {
  /** Message-ID header nodemailer put on the message (also set in log mode). */
  readonly messageId: string;
  /** false when no SMTP_URL is configured and the message was only written to the log. */
  readonly delivered: boolean;
}

/**
 * The server's only way out to email. One instance per server (in AppContext), so tests run many
 * servers against their own SMTP servers in one process.
 */
export interface Mailer {
  /** True when SMTP_URL is set; false means messages go to the log only (development, demo). */
  readonly enabled: boolean;
  send(
    to: string | readonly string[],
    subject: string,
    text: string,
    html?: string,
    attachments?: readonly MailAttachment[],
  ): Promise<SentMail>;
  close(): void;
}

export interface MailerOptions {
  /** smtp://user:pass@host:port or smtps://… (nodemailer's URL form; query options such as ?ignoreTLS=true pass through). */
  readonly smtpUrl: string | undefined;
  /** From header, e.g. "E-Cabinet <no-reply@ubnd.gov.vn>". */
  readonly from: string;
  readonly log: Logger;
}

/** nodemailer over real SMTP when a URL is given; otherwise each message is printed to the log via pino. */
export function createMailer(opts: MailerOptions): Mailer {
  const { smtpUrl, from, log } = opts;
  let transport: Transporter | undefined;
  if (smtpUrl) {
    transport = nodemailer.createTransport(smtpUrl);
  }
  let logCounter = 0;
  return {
    enabled: transport !== undefined,
    async send(to, subject, text, html, attachments) {
      const recipients = typeof to === 'string' ? [to] : [...to];
      if (recipients.length === 0) {
        throw new Error('mail: no recipient');
      }
      if (!transport) {
        logCounter += 1;
        const messageId = `<log-${Date.now()}-${logCounter}@e-cabinet.local>`;
        log.info(
          {
            mail: {
              messageId,
              from,
              to: recipients,
              subject,
              text,
              attachments: (attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, bytes: a.content.length })),
            },
          },
          'mail not sent (SMTP_URL is not set); logged instead',
        );
        return { messageId, delivered: false };
      }
      const info: { messageId?: unknown } = await transport.sendMail({
        from,
        to: recipients,
        subject,
        text,
        ...(html === undefined ? {} : { html }),
        attachments: (attachments ?? []).map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
      });
      const messageId = typeof info.messageId === 'string' ? info.messageId : '';
      // The address list is logged, never the body: invitations carry RSVP links.
      log.info({ mail: { messageId, to: recipients, subject } }, 'mail sent');
      return { messageId, delivered: true };
    },
    close() {
      transport?.close();
    },
  };
}
