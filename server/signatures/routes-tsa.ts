import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors';
import type { AppContext } from '../http/context';
import { caExists } from './ca-store';
import { issueTimeStampToken, parseTimeStampRequest, timeStampRejection, timeStampResponse, TimeStampRequestError } from './tsa';
import { tsaIdentity } from './tsa-cert';

const QUERY = 'application/timestamp-query';
const REPLY = 'application/timestamp-reply';

/**
 * The organization's RFC 3161 time-stamp authority over HTTP (RFC 3161 3.4): closed hall networks reach
 * no public TSA, and PAdES B-T needs one. Open like the CRL: a token certifies only "this digest existed
 * at this time", it reveals nothing about the document. A malformed or unsupported request gets a
 * rejection TimeStampResp (HTTP 200, as the RFC's HTTP binding does), a wrong media type a JSON 415.
 */
export function registerTsaRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.addContentTypeParser(QUERY, { parseAs: 'buffer', bodyLimit: 16 * 1024 }, (_req, body, done) => {
    done(null, body);
  });

  app.post('/api/tsa', async (req, reply) => {
    if (req.headers['content-type']?.split(';')[0]?.trim() !== QUERY || !Buffer.isBuffer(req.body)) {
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send a DER TimeStampReq as ${QUERY}`);
    }
    if (!caExists(ctx.config.dataDir)) {
      throw new AppError(409, 'INVALID_STATE', 'No organization CA yet, hence no time-stamp authority: run `npm run cli -- ca init`');
    }
    let answer: Uint8Array;
    try {
      const request = parseTimeStampRequest(new Uint8Array(req.body));
      answer = timeStampResponse(issueTimeStampToken(request, await tsaIdentity(ctx.config.dataDir, ctx.config.publicUrl)));
    } catch (e) {
      if (!(e instanceof TimeStampRequestError)) {
        throw e;
      }
      answer = timeStampRejection(e);
    }
    return reply.type(REPLY).send(Buffer.from(answer));
  });
}
