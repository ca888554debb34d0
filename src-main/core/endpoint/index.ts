export { startEndpoint, type Endpoint, type EndpointOptions } from './server.js';
export { DEFAULT_ENDPOINT_PORT, ENDPOINT_ROUTES, endpointUrl } from './constants.js';
export { ensureEndpointSecret, readEndpointSecret } from './secret.js';
export { readAccessLog, accessLogFile } from './access-log.js';
export { setEndpointPort, allowProduction, allowedProduction, endpointPort, probeEndpoint, type EndpointProbe } from './settings.js';
export { maskSecret } from '../app/state-view.js';
export { makeScopedSecret } from './scoped-secret.js';
export { scopeEntries } from './scope-gate.js';
export { liveExport, type LiveFormat } from './live-export.js';
