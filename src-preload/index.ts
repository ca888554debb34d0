// The preload: runs sandboxed in an isolated world and exposes one narrow, typed API as
// window.tokendesk. ipcRenderer itself never reaches the page.
import { contextBridge, ipcRenderer } from 'electron';
import { buildExposedApi } from './expose.js';

contextBridge.exposeInMainWorld('tokendesk', buildExposedApi(ipcRenderer));
