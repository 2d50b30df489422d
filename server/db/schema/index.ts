// One schema for PGlite and PostgreSQL. Each domain keeps its tables in its own file here;
// after editing, run `flock /tmp/ecab-db.lock npm run db:generate` to add a versioned migration.
export * from './core';
export * from './room';
export * from './signatures';
export * from './notes';
export * from './paper';
export * from './consultations';
export * from './security';
export * from './minutes';
export * from './tasks';
export * from './calendar';
