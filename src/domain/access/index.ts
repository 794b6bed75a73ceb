export * from './actor.ts';
export * from './claims.ts';
export * from './console-config.ts';
export * from './decisions.ts';
export * from './permissions.ts';
