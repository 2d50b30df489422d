import { createHash, verify as rsaVerify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { userCertificates } from '../db/schema';
import { readableDocument } from '../documents/service';
import { AppError, badRequest, conflict, forbidden, notFound } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { minutesRecord } from '../minutes/registry';
import { noticeRecord, noticeSlots } from '../minutes/notice';
import { IdParams } from '../../shared/api/common';
import { CompleteSigningRequest, PrepareSigningRequest } from '../../shared/signatures/minutes';
import { checkChain } from './chain';
import { assembleCms, cadesSignedAttributes } from './cms-sign';
import { certInfo, pemToDer } from './cert-info';
import { stampFromCertificate } from './stamp';
import { embedCms, PdfSignError, preparePdfSignature } from './pdf-sign';
import { acceptSignedRevision, assertMinutesOrder } from './revision-accept';
import { createSession, dropSession, loadSession } from './signing-sessions';
import { loadTrustStore } from './trust-store';
import { caExists } from './ca-store';
import { localTimestamper, timestampedCms } from './timestamper';

const SessionParams = IdParams.extend({ sessionId: z.uuid() });


/**
 * Remote signing: the server prepares the new
 * revision (field, visible stamp, placeholder) and returns the CAdES signed attributes; the desktop
 * vault signs their SHA-256 with the key it never releases; the server checks that signature against
 * the certificate, embeds the CMS and records the revision exactly like an uploaded signed PDF.
 */
export function registerSigningRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;

  app.post('/api/documents/:id/signing', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const body = parse(PrepareSigningRequest, req.body ?? {}, 'body');
    const { doc, access } = await readableDocument(db, id, user);
    if (!access.isAdmin && access.role !== 'chair' && access.role !== 'secretary') {
      throw forbidden('Only the meeting chair or secretary can sign meeting documents');
    }
    const ders = pemToDer(body.certificate);
    const [signerDer] = ders;
    if (!signerDer) {
      throw badRequest('certificate must hold at least one PEM certificate');
    }
    let signer;
    try {
      signer = certInfo(signerDer);
    } catch {
      throw badRequest('certificate is not a readable X.509 certificate');
    }
    // The signature must name the person who signs in the app: one of their registered certificates.
    const [registered] = await db
      .select({ serial: userCertificates.serialHex })
      .from(userCertificates)
      .where(and(eq(userCertificates.userId, user.id), eq(userCertificates.certSha256, signer.sha256), isNull(userCertificates.revokedAt)))
      .limit(1);
    if (!registered) {
      throw new AppError(400, 'INVALID_SIGNATURE', 'This certificate is not registered to your account (or was revoked): ask an administrator');
    }
    const chain = checkChain(signer, ders.slice(1).map(certInfo), await loadTrustStore(ctx.config.dataDir), new Date());
    if (!chain.trusted) {
      throw new AppError(400, 'INVALID_SIGNATURE', `The certificate cannot sign now: ${chain.problems.join('; ')}`);
    }
    const minutes = await minutesRecord(db, doc.meetingId, doc.id);
    // The conclusion notice (server/minutes/notice.ts) has one box, the chair's.
    const notice = minutes ? null : await noticeRecord(db, doc.id);
    const slot = (minutes?.slots ?? (notice ? noticeSlots(notice) : [])).find((s) => s.fieldName === body.fieldName);
    if (minutes) {
      await assertMinutesOrder(ctx, doc, access.role, [body.fieldName]);
    }
    if (notice && slot && !access.isAdmin && access.role !== 'chair') {
      throw forbidden("Only the meeting's chair signs the conclusion notice");
    }
    const page = slot?.page ?? body.page;
    const rect = slot?.rect ?? body.rect;
    if (page === undefined || !rect) {
      throw badRequest('This document has no predefined box named like that: send page and rect');
    }
    const current = await readFile(ctx.blobs.pathOf(doc.sha256));
    const lang = minutes?.lang ?? notice?.lang ?? body.lang;
    let prepared;
    try {
      prepared = await preparePdfSignature(current, ders, {
        fieldName: body.fieldName,
        page,
        rect,
        stamp: stampFromCertificate(signer, { lang }),
        reason: body.reason,
        // PAdES B-T: the organization TSA time-stamps the signature when it is completed.
        reserveTimestamp: caExists(ctx.config.dataDir),
        // Minutes and notice: the first signature (the chair's) certifies the document, later ones approve it.
        certify: minutes || notice ? 'ifFirst' : undefined,
      });
    } catch (e) {
      if (e instanceof PdfSignError) {
        throw badRequest(e.message);
      }
      throw e;
    }
    const signedAttributes = cadesSignedAttributes(prepared.digest, signerDer);
    const session = await createSession(
      ctx.config.dataDir,
      {
        documentId: doc.id,
        userId: user.id,
        baseSha256: doc.sha256,
        fieldName: body.fieldName,
        certificates: ders.map((d) => Buffer.from(d).toString('base64')),
        signedAttributes: Buffer.from(signedAttributes).toString('base64'),
        contentsStart: prepared.contentsStart,
        contentsEnd: prepared.contentsEnd,
      },
      prepared.pdf,
    );
    return reply.status(201).send({
      sessionId: session.id,
      fieldName: body.fieldName,
      signedAttributes: session.signedAttributes,
      digest: createHash('sha256').update(signedAttributes).digest('base64'),
      expiresAt: new Date(session.expiresAt).toISOString(),
    });
  });

  app.post('/api/documents/:id/signing/:sessionId', async (req, reply) => {
    const user = requireUser(req);
    const { id, sessionId } = parse(SessionParams, req.params, 'params');
    const body = parse(CompleteSigningRequest, req.body ?? {}, 'body');
    const { doc, access } = await readableDocument(db, id, user);
    const session = await loadSession(ctx.config.dataDir, sessionId);
    if (!session || session.documentId !== doc.id || session.userId !== user.id) {
      throw notFound('Signing session');
    }
    if (session.baseSha256 !== doc.sha256) {
      await dropSession(ctx.config.dataDir, sessionId);
      throw conflict('The document changed while you were signing: prepare again');
    }
    const certificates = session.certificates.map((c) => Buffer.from(c, 'base64'));
    const signedAttributes = Buffer.from(session.signedAttributes, 'base64');
    const signature = Buffer.from(body.signature, 'base64');
    const signer = certInfo(certificates[0] ?? new Uint8Array());
    // Checked here for a clear answer; the full verification below would reject it as well.
    if (!rsaVerify('sha256', signedAttributes, signer.publicKey, signature)) {
      throw new AppError(400, 'INVALID_SIGNATURE', 'The signature does not match the prepared document and certificate (another key signed it?)');
    }
    const cms = caExists(ctx.config.dataDir)
      ? await timestampedCms(signedAttributes, signature, certificates, localTimestamper(ctx.config.dataDir, ctx.config.publicUrl))
      : assembleCms(signedAttributes, signature, certificates);
    let next: Buffer;
    try {
      next = Buffer.from(embedCms({ pdf: session.pdf, contentsStart: session.contentsStart, contentsEnd: session.contentsEnd, digest: new Uint8Array() }, cms));
    } catch (e) {
      // A session prepared before the CA existed has no room for the time-stamp token.
      if (e instanceof PdfSignError) {
        await dropSession(ctx.config.dataDir, sessionId);
        throw conflict('The signature no longer fits the prepared document: prepare again');
      }
      throw e;
    }
    const current = await readFile(ctx.blobs.pathOf(doc.sha256));
    const result = await acceptSignedRevision(ctx, { doc, user, role: access.role, current, next, store: () => ctx.blobs.put(next) });
    await dropSession(ctx.config.dataDir, sessionId);
    return reply.status(201).send(result);
  });
}
