import { API_METHODS, type ApiMethod } from '../src-main/contract/methods.js';

/**
 * The contract's method names, from the one list in contract/methods.ts: pure data, so the sandboxed
 * preload bundle does not pull in zod and the schemas (a unit test checks it equals `apiMethods`).
 */
export const PRELOAD_METHODS: readonly ApiMethod[] = API_METHODS;
