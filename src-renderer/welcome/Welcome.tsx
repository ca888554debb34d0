import { useAction } from '../lib/use-action.js';
import { OpenImportButton } from '../import/ImportControls.js';
import { OpenProjectFile } from '../environments/ProjectFiles.js';
import { useDesk, useDeskStore } from '../store.js';
import { Button } from '../ui/Button.js';
import { InlineError } from '../ui/Field.js';
import { PlusIcon } from '../ui/icons.js';

/** First run: teach by doing — a demo server with real sign-in, or your own environment. */
export function Welcome() {
  const store = useDeskStore();
  const setDialog = useDesk((s) => s.setDialog);
  const { busy, error, run } = useAction();

  async function startDemo(): Promise<void> {
    await run(true, () => store.getState().api.startDemo({}), { refresh: true, toast: ['Demo server running', 'Pick a demo account under Identities to sign in'] });
  }

  return (
    <main className="welcome">
      <div className="welcome-card">
        <div className="logo" aria-hidden="true">
          TD
        </div>
        <h1>Welcome to TokenDesk</h1>
        <p className="lead">Sign in once per environment. TokenDesk keeps every session fresh, keeps secrets in the OS keychain, and puts the right header on your clipboard in one click.</p>
        <ol className="steps">
          <li>
            <strong>Add an environment</strong> — a Supabase project or your own session API, local, staging or production.
          </li>
          <li>
            <strong>Sign in</strong> as one or more test users, and switch between them in one click.
          </li>
          <li>
            <strong>Copy</strong> the Authorization header, a curl command or Postman variables — always a fresh token.
          </li>
        </ol>
        <div className="welcome-actions">
          <Button variant="primary" busy={busy} onClick={() => void startDemo()}>
            Try the demo server
          </Button>
          <Button icon={<PlusIcon />} onClick={() => setDialog({ kind: 'add-env' })}>
            Add environment
          </Button>
          <OpenImportButton variant="ghost" />
        </div>
        {/* A teammate's first run: the team's environments are in the repository's tokendesk.json (issue 24). */}
        <div className="welcome-project">
          <OpenProjectFile />
        </div>
        <InlineError>{error}</InlineError>
        <p className="muted small">The demo runs on this computer only: a Supabase-style and a session-style API with test accounts, so you can try everything without a backend.</p>
      </div>
    </main>
  );
}
