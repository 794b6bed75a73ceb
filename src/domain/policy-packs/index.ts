export * from './model.ts';
export * from './overrides.ts';
export * from './resolution.ts';
