export { sessionApiProvider, localExpiry } from './provider.js';
export { sessionApiError, serverMessage, type SessionApiOperation } from './errors.js';
export { profileFromSessionBody } from './profile.js';
