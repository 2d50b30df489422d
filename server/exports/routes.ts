import type { FastifyInstance } from 'fastify';
import { ExportParams, ExportQuery } from '../../shared/api/exports';
import { appendAuditAlone } from '../audit/log';
import { forbidden } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { meetingAccess } from '../meetings/access';
import { toCsv, toXlsx } from './encode';
import { attendanceTable, voteTables } from './tables';

/** Exports of a meeting's record for the secretariat: vote records and attendance, CSV and XLSX. */
export function registerExportRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;

  app.get('/api/meetings/:id/exports/:file', async (req, reply) => {
    const user = requireUser(req);
    const { id, file } = parse(ExportParams, req.params, 'params');
    const { lang } = parse(ExportQuery, req.query, 'query');
    const access = await meetingAccess(db, id, user);
    // Staff only: the named lists are public to the meeting in the room, but a file leaves it.
    if (!access.isAdmin && access.role !== 'secretary' && access.role !== 'chair') {
      throw forbidden('Only the chair, the secretary or an administrator can export the meeting record');
    }
    const { timeZone } = access;
    let body: Buffer;
    let type: string;
    if (file === 'meeting.xlsx') {
      const [votes, ballots] = await voteTables(db, id, lang, timeZone);
      body = await toXlsx([votes, ballots, await attendanceTable(db, id, lang)]);
      type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    } else {
      const table =
        file === 'attendance.csv' ? await attendanceTable(db, id, lang) : (await voteTables(db, id, lang, timeZone))[file === 'votes.csv' ? 0 : 1];
      body = toCsv(table);
      type = 'text/csv; charset=utf-8';
    }
    await appendAuditAlone(db, { actorId: user.id, meetingId: id, action: 'meeting.export', data: { file, lang } });
    const name = `${id.slice(0, 8)}-${file}`;
    return reply
      .header('content-type', type)
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(body);
  });
}
