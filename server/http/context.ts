import type { RoomTimings } from '../timings';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config';
import type { Database, Db } from '../db/client';
import { AppError, forbidden } from '../errors';
import type { AuthUser } from '../auth/sessions';
import type { BlobStore } from '../documents/blob-store';
import type { DocumentNotices } from '../documents/notices';
import type { Mailer } from '../mail/mailer';
import type { LiveSessions } from './live-sessions';
import type { MeetingNotices } from './meeting-notices';
import type { UserRole } from '../../shared/roles';

/** What every domain module receives: no globals, so tests can run many servers in one process. */
export interface AppContext {
  readonly config: ServerConfig;
  readonly database: Database;
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly log: Logger;
  /** `documents:changed` to the live room, sent by REST modules after their commit. */
  readonly documentNotices: DocumentNotices;
  /** `meeting:state` / `speakers:update` to the live room after a REST status change. */
  readonly meetingNotices: MeetingNotices;
  /** Outgoing mail (server/mail/): SMTP when SMTP_URL is set, else the log. */
  readonly mailer: Mailer;
  /** Base URL for links in mail, without a trailing slash (config.publicUrl, else the listen URL). */
  publicUrl(): string;
  /** Closes or re-scopes live sockets after logout, password and membership changes. */
  readonly liveSessions: LiveSessions;
  /** How fast the live room answered its events, and how late the event loop ran (server/timings.ts). */
  readonly roomTimings: RoomTimings;
}

declare module 'fastify' {
  interface FastifyRequest {
    authUser: AuthUser | null;
    authToken: string | null;
  }
}

export function requireUser(req: FastifyRequest): AuthUser {
  if (!req.authUser) {
    throw new AppError(401, 'UNAUTHENTICATED', 'Sign in first: missing, invalid or expired token');
  }
  return req.authUser;
}

export function requireRole(req: FastifyRequest, ...roles: readonly UserRole[]): AuthUser {
  const user = requireUser(req);
  if (!roles.includes(user.role)) {
    throw forbidden(`This action needs one of the roles: ${roles.join(', ')}`);
  }
  return user;
}
