export * from './api.js';
export * from './providers.js';
export type * from './types.js';
export * from './validators.js';
