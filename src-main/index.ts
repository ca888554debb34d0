// Electron entry: everything Electron-specific lives in ./electron; the core stays plain Node.
import './electron/main.js';
