export { bearerProvider } from './provider.js';
