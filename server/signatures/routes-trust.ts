import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/log';
import { userCertificates, users } from '../db/schema';
import { AppError, notFound } from '../errors';
import { requireRole, requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { IssueCertificateRequest, RevokeRequest, SerialParams, type IssueCertificateResponse, type TrustResponse } from '../../shared/signatures/api';
import { exportPkcs12, issueMemberCert, publishCrl, revokeCert } from './ca';
import { caExists, loadCa, loadCrlDer } from './ca-store';
import { certInfo, derToPem } from './cert-info';
import { parseCrl } from './crl';
import { loadTrustStore } from './trust-store';

function requireCa(ctx: AppContext): void {
  if (!caExists(ctx.config.dataDir)) {
    throw new AppError(409, 'INVALID_STATE', 'No organization CA yet: run `npm run cli -- ca init` (or `ca import`) on the server');
  }
}

/** Trust store and organization CA routes; CA operations are admin-only. */
export function registerTrustRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;

  app.get('/api/signatures/trust', async (req): Promise<TrustResponse> => {
    requireUser(req);
    const store = await loadTrustStore(ctx.config.dataDir);
    const crlDer = await loadCrlDer(ctx.config.dataDir);
    const crl = crlDer ? parseCrl(crlDer) : undefined;
    const orgCa = caExists(ctx.config.dataDir) ? store.roots[0] : undefined;
    return {
      roots: store.roots.map((r) => ({ subject: r.x509.subject.replace(/\n/g, ', '), sha256: r.sha256, notAfter: r.notAfter.toISOString(), pem: derToPem(r.der) })),
      organizationCa: orgCa?.sha256 ?? null,
      crl: crl ? { thisUpdate: crl.thisUpdate.toISOString(), nextUpdate: crl.nextUpdate?.toISOString() ?? null, revoked: crl.revoked.size } : null,
    };
  });

  // The CRL is public by nature (RFC 5280): relying parties fetch it without an account.
  app.get('/api/signatures/crl', async (_req, reply) => {
    const der = await loadCrlDer(ctx.config.dataDir);
    if (!der) {
      throw notFound('CRL');
    }
    return reply.type('application/pkix-crl').send(Buffer.from(der));
  });

  // AIA caIssuers of every certificate the organization CA issues: public like the CRL.
  app.get('/api/signatures/ca-certificate', async (_req, reply) => {
    if (!caExists(ctx.config.dataDir)) {
      throw notFound('CA certificate');
    }
    const ca = await loadCa(ctx.config.dataDir);
    return reply.type('application/pkix-cert').send(Buffer.from(ca.certDer));
  });

  app.post('/api/signatures/certificates', async (req, reply) => {
    const admin = requireRole(req, 'admin');
    const body = parse(IssueCertificateRequest, req.body, 'body');
    requireCa(ctx);
    const [user] = await db.select().from(users).where(eq(users.id, body.userId)).limit(1);
    if (!user) {
      throw notFound('User');
    }
    const issued = await issueMemberCert(ctx.config.dataDir, {
      commonName: user.displayName,
      title: user.title ?? undefined,
      username: user.username,
      days: body.days,
      publicUrl: ctx.config.publicUrl,
    });
    const info = certInfo(issued.certDer);
    await db.transaction(async (tx) => {
      await tx.insert(userCertificates).values({ serialHex: issued.serialHex, userId: user.id, certSha256: info.sha256, certPem: issued.certPem, notAfter: info.notAfter });
      await appendAudit(tx, { actorId: admin.id, meetingId: null, action: 'certificate.issued', data: { userId: user.id, serial: issued.serialHex } });
    });
    const out: IssueCertificateResponse = {
      serialHex: issued.serialHex,
      certPem: issued.certPem,
      pkcs12Base64: Buffer.from(exportPkcs12(issued.keyPem, issued.certDer, issued.chainDer, body.password, user.displayName)).toString('base64'),
    };
    return reply.status(201).send(out);
  });

  app.post('/api/signatures/certificates/:serial/revoke', async (req) => {
    const admin = requireRole(req, 'admin');
    const { serial } = parse(SerialParams, req.params, 'params');
    const body = parse(RevokeRequest, req.body ?? {}, 'body');
    requireCa(ctx);
    let rec;
    try {
      rec = await revokeCert(ctx.config.dataDir, serial.toLowerCase(), body.reason);
    } catch {
      throw notFound('Certificate');
    }
    const crl = await publishCrl(ctx.config.dataDir);
    await db.transaction(async (tx) => {
      await tx.update(userCertificates).set({ revokedAt: new Date(rec.revokedAt ?? Date.now()) }).where(eq(userCertificates.serialHex, rec.serialHex));
      await appendAudit(tx, { actorId: admin.id, meetingId: null, action: 'certificate.revoked', data: { serial: rec.serialHex, reason: rec.revocationReason } });
    });
    return { serialHex: rec.serialHex, revokedAt: rec.revokedAt, crlRevoked: crl.revoked };
  });
}
