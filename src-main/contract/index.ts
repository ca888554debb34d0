export * from './api.js';
export type * from './types.js';
export * from './validators.js';
