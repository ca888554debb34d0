import { useEffect } from 'react';
import { Sidebar } from '../environments/Sidebar.js';
import { ImportHost } from '../import/ImportControls.js';
import { modKey } from '../lib/format.js';
import { nextTheme, themeLabel, type ThemeChoice } from '../lib/theme.js';
import { CommandPalette } from '../palette/CommandPalette.js';
import { selectedEnv, useDesk, useDeskStore } from '../store.js';
import { Button } from '../ui/Button.js';
import { cx } from '../ui/cx.js';
import { ErrorBoundary } from '../ui/ErrorBoundary.js';
import { SearchIcon } from '../ui/icons.js';
import { ToastRegion } from '../ui/Toast.js';
import { Welcome } from '../welcome/Welcome.js';
import { BridgeTokenHelp } from './BridgeTokenHelp.js';
import { Dialogs } from './Dialogs.js';
import { EnvironmentView } from './EnvironmentView.js';
import { RenewalWarnings } from './RenewalWarnings.js';
import { useAppEvents } from './useAppEvents.js';
import { useShortcuts } from './useShortcuts.js';

/** The two states where the vault cannot be used and starting over is offered. */
const START_OVER_CODES = new Set(['vault_key_missing', 'vault_rolled_back']);

/**
 * The vault's key is gone from the keychain (vault_key_missing), or the vault is an older copy put
 * back (vault_rolled_back): say so and offer to start over, which moves the old vault aside (kept)
 * after a confirmation.
 */
function StartOverBanner({ code }: { code: string }) {
  const store = useDeskStore();
  return (
    <div className="banner banner-danger" role="alert">
      {code === 'vault_rolled_back' ? (
        <>
          <strong>The secrets vault was restored from an older copy.</strong> Its sessions may have been signed out since and their refresh tokens spent, so nothing is sent
          to a server from it, and nothing was changed.
        </>
      ) : (
        <>
          <strong>The secrets vault's key is gone from the OS keychain.</strong> The sessions and keys it holds cannot be read, and nothing was changed.
        </>
      )}{' '}
      Starting over moves the old vault aside (it is kept) and begins with an empty one: you sign in again and re-enter the environments' keys.{' '}
      <Button
        variant="danger"
        onClick={() =>
          store.getState().setDialog({
            kind: 'confirm',
            title: 'Start over with an empty vault?',
            body: "The old vault is moved aside, not deleted. Every identity here is signed out, and each environment needs its keys again (Supabase: the anon key; any X-API-Key or secret variable): use Edit on each.",
            confirmLabel: 'Move it aside and start over',
            danger: true,
            onConfirm: async () => {
              try {
                const { movedTo } = await store.getState().api.startOverVault({});
                store.getState().toast('success', 'Started over with an empty vault', `The old vault is kept at ${movedTo}`);
              } finally {
                // Refused too (the key was found after all): the banner then goes with the state it came from.
                await store.getState().refresh();
              }
            },
          })
        }
      >
        Start over…
      </Button>
    </div>
  );
}

/** The file secret store (TOKENDESK_SECRET_STORE=file) is not the keychain: its problems say so. */
function bannerTitle(code: string): string {
  if (code === 'passphrase_wrong' || code === 'passphrase_missing') return 'Secrets key file locked';
  if (code === 'secret_store_mismatch') return 'Secrets key kept elsewhere';
  return code === 'keychain_locked' ? 'Keychain is locked' : 'Keychain unavailable';
}

function Banners() {
  const keychain = useDesk((s) => s.app?.keychain);
  const configError = useDesk((s) => s.app?.configError);
  return (
    <>
      {keychain && !keychain.ok && START_OVER_CODES.has(keychain.code) ? <StartOverBanner code={keychain.code} /> : null}
      {keychain && !keychain.ok && !START_OVER_CODES.has(keychain.code) ? (
        <div className="banner banner-danger" role="alert">
          <strong>{bannerTitle(keychain.code)}:</strong> {keychain.message} Nothing will be stored until it is fixed — TokenDesk never falls back to a plain file.
        </div>
      ) : null}
      {configError ? (
        <div className="banner" role="alert">
          <strong>Your configuration could not be read.</strong> {configError}
        </div>
      ) : null}
    </>
  );
}

const themeGlyph: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };

/** One button: System → Light → Dark; the palette offers the same three by name. */
function ThemeToggle() {
  const theme = useDesk((s) => s.theme);
  const setTheme = useDesk((s) => s.setTheme);
  const next = nextTheme(theme);
  return (
    <button type="button" className="theme-toggle" onClick={() => setTheme(next)} aria-label={`Theme: ${themeLabel[theme]}. Switch to ${themeLabel[next]}`} title={`Theme: ${themeLabel[theme]} (click for ${themeLabel[next]})`}>
      <span aria-hidden="true">{themeGlyph[theme]}</span>
      <span className="theme-toggle-text">{themeLabel[theme]}</span>
    </button>
  );
}

function TopBar() {
  const setPalette = useDesk((s) => s.setPalette);
  const env = useDesk(selectedEnv);
  return (
    <header className="topbar">
      <span className="brand">
        <span className="logo small" aria-hidden="true">
          TD
        </span>
        TokenDesk
      </span>
      {env?.production ? (
        <span className="prod-band" role="status">
          PRODUCTION · {env.name}<span className="prod-band-more"> — tokens here act on real data</span>
        </span>
      ) : (
        <span className="spacer" />
      )}
      <ThemeToggle />
      {/* No aria-label: the visible words are the name (WCAG 2.5.3 Label in Name), so a voice user can say them. */}
      <button type="button" className="palette-trigger" onClick={() => setPalette(true)} aria-haspopup="dialog" aria-keyshortcuts="Control+K Meta+K">
        <SearchIcon />
        <span>Jump to environment, identity, action…</span>
        <kbd>{modKey}+K</kbd>
      </button>
    </header>
  );
}

function Body() {
  const app = useDesk((s) => s.app);
  const env = useDesk(selectedEnv);
  if (!app) return null;
  if (app.environments.length === 0) return <Welcome />;
  return (
    <div className="layout">
      <Sidebar />
      {env ? <EnvironmentView env={env} /> : <main className="env-view muted">Choose an environment.</main>}
    </div>
  );
}

export function App() {
  const app = useDesk((s) => s.app);
  const loadError = useDesk((s) => s.loadError);
  const loadErrorCode = useDesk((s) => s.loadErrorCode);
  const refresh = useDesk((s) => s.refresh);
  const production = useDesk((s) => Boolean(selectedEnv(s)?.production));
  useAppEvents();
  useShortcuts();
  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <div className={cx('app', production && 'app-prod')}>
      <TopBar />
      <Banners />
      {app ? (
        <ErrorBoundary area="main view">
          <Body />
        </ErrorBoundary>
      ) : loadError && loadErrorCode === 'unauthorized' ? (
        <BridgeTokenHelp reason={loadError} />
      ) : loadError ? (
        <div className="crash" role="alert">
          <h2>TokenDesk could not load its state</h2>
          <p>{loadError}</p>
          <Button variant="primary" onClick={() => void refresh()}>
            Retry
          </Button>
        </div>
      ) : (
        <div className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> Loading…
        </div>
      )}
      <Dialogs />
      <CommandPalette />
      <ImportHost />
      <ToastRegion />
      {app ? <RenewalWarnings /> : null}
    </div>
  );
}
