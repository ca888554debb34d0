export { oauth2Provider } from './provider.js';
