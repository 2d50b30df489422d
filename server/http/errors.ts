import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors';
import type { ErrorCode } from '../../shared/errors';

function send(status: number, code: ErrorCode, message: string) {
  return { status, body: { error: { code, message } } };
}

/** Maps every failure to docs/architecture.md's error shape; internals never leak to the client. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    let out;
    if (err instanceof AppError) {
      out = send(err.status, err.code, err.message);
      void reply.headers(err.headers);
    } else if ('statusCode' in err && typeof err.statusCode === 'number' && err.statusCode < 500) {
      const status = err.statusCode;
      const fe = err;
      const code: ErrorCode =
        status === 413 || fe.code === 'FST_REQ_FILE_TOO_LARGE'
          ? 'PAYLOAD_TOO_LARGE'
          : status === 415
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : status === 429
              ? 'RATE_LIMITED'
              : status === 404
                ? 'NOT_FOUND'
                : 'VALIDATION_ERROR';
      out = send(code === 'PAYLOAD_TOO_LARGE' ? 413 : status, code, err.message);
    } else {
      req.log.error({ err }, 'unhandled error');
      out = send(500, 'INTERNAL', 'Internal server error');
    }
    void reply.status(out.status).send(out.body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `Route ${req.method} ${req.url} not found` } });
  });
}
