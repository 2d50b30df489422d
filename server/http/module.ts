import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context';

/**
 * One module per domain (docs/architecture.md "Layout"). `routes` registers REST routes; `start` runs after
 * the HTTP server exists (Socket.IO attaches here) and returns what to close on shutdown.
 */
export interface ServerModule {
  readonly name: string;
  routes?(app: FastifyInstance, ctx: AppContext): void;
  start?(app: FastifyInstance, ctx: AppContext): Promise<Closable | void>;
}

export interface Closable {
  close(): Promise<void>;
}
