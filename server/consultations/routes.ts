import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit } from '../audit/log';
import { consultationDocuments, consultationMembers, users } from '../db/schema';
import { AppError, badRequest, invalidState, notFound } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { contentDisposition } from '../documents/http-range';
import { recordBlob } from '../documents/generated';
import { countPdfPages, pdfSniff, PDF_SNIFF_BYTES } from '../documents/pdf-inspect';
import { IdParams } from '../../shared/api/common';
import { AnswerRequest, ConsultationListQuery, CreateConsultationRequest } from '../../shared/api/consultations';
import { answerConsultation, closeConsultation, createConsultation } from './service';
import { consultationFor, toConsultation, visibleConsultationRows } from './views';
import { consultationMail } from './mail-text';

const DocParams = z.object({ id: z.uuid(), docId: z.uuid() });
const CloseRequest = z.object({ lang: z.enum(['vi', 'en']).default('vi') });

/** Written consultations between meetings (docs/api.md "Consultations"). */
export function registerConsultationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;

  app.get('/api/consultations', async (req) => {
    const user = requireUser(req);
    const q = parse(ConsultationListQuery, req.query, 'query');
    const rows = await visibleConsultationRows(db, user, q.status);
    const list = [];
    for (const r of rows) {
      list.push(await toConsultation(db, r, user));
    }
    return { consultations: list };
  });

  app.post('/api/consultations', async (req, reply) => {
    const user = requireUser(req);
    const body = parse(CreateConsultationRequest, req.body, 'body');
    const created = await createConsultation(ctx, user, body);
    // Tell the members after the commit; a refused mail does not undo the consultation (reminders follow).
    const members = await db
      .select({ email: users.email, displayName: users.displayName })
      .from(consultationMembers)
      .innerJoin(users, eq(users.id, consultationMembers.userId))
      .where(eq(consultationMembers.consultationId, created.id));
    for (const m of members) {
      if (!m.email) {
        continue;
      }
      const mail = consultationMail('opened', { displayName: m.displayName, title: created.title, question: created.question, deadline: new Date(created.deadline), url: `${ctx.publicUrl()}/consultations/${created.id}` });
      await ctx.mailer.send(m.email, mail.subject, mail.text).catch((err: unknown) => req.log.warn({ err }, 'consultation notice mail failed'));
    }
    return reply.status(201).send(created);
  });

  app.get('/api/consultations/:id', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const { row } = await consultationFor(db, id, user);
    return toConsultation(db, row, user);
  });

  app.post('/api/consultations/:id/answers', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const body = parse(AnswerRequest, req.body, 'body');
    return reply.status(201).send(await answerConsultation(ctx, id, user, body));
  });

  app.post('/api/consultations/:id/close', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const body = parse(CloseRequest, req.body ?? {}, 'body');
    return closeConsultation(ctx, id, user, body.lang);
  });

  app.get('/api/consultations/:id/report', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const { row } = await consultationFor(db, id, user);
    if (!row.reportSha256) {
      throw notFound('Report (the consultation is not closed yet)');
    }
    return reply.type('application/pdf').header('content-disposition', contentDisposition(`Ket qua lay y kien - ${row.title}.pdf`)).send(ctx.blobs.read(row.reportSha256));
  });

  app.post('/api/consultations/:id/documents', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const { row, canManage } = await consultationFor(db, id, user);
    if (!canManage) {
      throw new AppError(403, 'FORBIDDEN', 'Only the secretariat adds documents');
    }
    if (row.status === 'closed') {
      throw invalidState('The consultation is closed: its documents can no longer change');
    }
    if (!req.isMultipart()) {
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the document as multipart/form-data with a "file" part');
    }
    const file = await req.file();
    if (!file || file.fieldname !== 'file') {
      throw badRequest('Missing the "file" part');
    }
    const staged = await ctx.blobs.stage(file.file, { sniff: pdfSniff, sniffBytes: PDF_SNIFF_BYTES });
    let pages: number;
    try {
      pages = await countPdfPages(staged.tmpPath);
    } catch (err) {
      await ctx.blobs.discard(staged);
      throw err;
    }
    const stored = await ctx.blobs.commit(staged);
    const name = (file.filename.split(/[\\/]/).pop() ?? '').replace(/\p{Cc}/gu, '').slice(0, 300) || 'document.pdf';
    const doc = await db.transaction(async (tx) => {
      await recordBlob(tx, stored);
      const [d] = await tx.insert(consultationDocuments).values({ consultationId: id, name, sha256: stored.sha256, size: stored.size, pages }).returning();
      if (!d) {
        throw new Error('insert returned nothing');
      }
      await appendAudit(tx, { actorId: user.id, meetingId: null, action: 'consultation.document', data: { consultationId: id, documentId: d.id, sha256: stored.sha256 } });
      return d;
    });
    return reply.status(201).send({ id: doc.id, name: doc.name, size: doc.size, pages: doc.pages, url: `/api/consultations/${id}/documents/${doc.id}/content` });
  });

  app.get('/api/consultations/:id/documents/:docId/content', async (req, reply) => {
    const user = requireUser(req);
    const { id, docId } = parse(DocParams, req.params, 'params');
    await consultationFor(db, id, user);
    const [d] = await db
      .select()
      .from(consultationDocuments)
      .where(and(eq(consultationDocuments.id, docId), eq(consultationDocuments.consultationId, id)))
      .limit(1);
    if (!d) {
      throw notFound('Document');
    }
    return reply
      .type('application/pdf')
      .header('etag', `"${d.sha256}"`)
      .header('cache-control', 'private, no-cache')
      .header('content-disposition', contentDisposition(d.name))
      .send(ctx.blobs.read(d.sha256));
  });
}
