import type { ApiMethod } from '../src-main/contract/api.js';

/**
 * The contract's method names. Typed against ApiMethod so adding a method to the contract fails the
 * type check here until the preload exposes it (and a unit test checks it equals `apiMethods`).
 * Kept as a literal so the sandboxed preload bundle does not pull in zod and the schemas.
 */
const methods: Record<ApiMethod, true> = {
  getState: true,
  addEnvironment: true,
  updateEnvironment: true,
  removeEnvironment: true,
  signIn: true,
  signUp: true,
  signOut: true,
  switchIdentity: true,
  setActiveAccount: true,
  getTokenDetails: true,
  listVariables: true,
  copy: true,
  saveExport: true,
  importPostman: true,
  startDemo: true,
  updateSettings: true,
  openExternal: true,
};

export const PRELOAD_METHODS = Object.keys(methods) as ApiMethod[];
