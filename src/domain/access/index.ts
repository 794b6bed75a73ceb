export * from './actor.ts';
export * from './claims.ts';
export * from './decisions.ts';
export * from './permissions.ts';
