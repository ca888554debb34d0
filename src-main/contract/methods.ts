/**
 * The API's method names and IPC channels, declared once. Pure data without imports, so the
 * sandboxed preload and the renderer bundle it without zod; api.ts keys its schemas by this list
 * (the compiler refuses a method without a schema, or a schema without a method).
 */
export const API_METHODS = [
  'getState',
  'addEnvironment',
  'updateEnvironment',
  'removeEnvironment',
  'signIn',
  'beginSignIn',
  'continueSignIn',
  'cancelSignIn',
  'signUp',
  'signOut',
  'forgetIdentity',
  'switchIdentity',
  'setActiveAccount',
  'getTokenDetails',
  'listVariables',
  'copy',
  'saveExport',
  'importPostman',
  'startDemo',
  'updateSettings',
  'openExternal',
  'startOverVault',
  'checkSessions',
  'getEndpoint',
  'copyEndpointSecret',
  'allowEndpointProduction',
  'renewSession',
  'linkProjectFile',
  'editProjectEnvironment',
  'copyProjectEnvironment',
  'openProjectFile',
] as const;
export type ApiMethod = (typeof API_METHODS)[number];

/** Channel names: one IPC channel for calls, one for events. */
export const IPC_CALL_CHANNEL = 'tokendesk:call';
export const IPC_EVENT_CHANNEL = 'tokendesk:event';
