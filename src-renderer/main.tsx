import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pickApi } from './api/index.js';
import { App } from './app/App.js';
import { applyTheme, readTheme } from './lib/theme.js';
import { createDeskStore, StoreProvider } from './store.js';
import { ErrorBoundary } from './ui/ErrorBoundary.js';
import './styles.css';

// Before the first paint, so a chosen dark theme does not flash light.
applyTheme(readTheme());
const root = document.getElementById('root');
if (root) {
  const store = createDeskStore(pickApi());
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary>
        <StoreProvider store={store}>
          <App />
        </StoreProvider>
      </ErrorBoundary>
    </StrictMode>,
  );
}
