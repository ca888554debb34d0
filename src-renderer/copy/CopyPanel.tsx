import { useEffect, useId, useState } from 'react';
import type { CopyItem } from '../../src-main/contract/api.js';
import type { EnvironmentView, IdentityView } from '../../src-main/contract/types.js';
import { copyShortcut } from '../lib/shortcuts.js';
import { useAction } from '../lib/use-action.js';
import { useDesk, useDeskStore } from '../store.js';
import { Button } from '../ui/Button.js';
import { Checkbox, InlineError } from '../ui/Field.js';
import { CopyIcon, DownloadIcon } from '../ui/icons.js';
import { Section } from '../ui/Section.js';
import { copyActions, hasRefreshToken, POSTMAN_SCRIPT_ACTION, variableAction } from './items.js';
import { performCopy, performExport } from './perform.js';

/** useAction keyed by the button that runs (its spinner); performCopy toasts, the error also shows in place. */
function useCopy(envId: string) {
  const store = useDeskStore();
  const { busy, error, setError, run } = useAction<string>();
  async function copy(id: string, item: CopyItem): Promise<void> {
    await run(id, async () => {
      const failed = await performCopy(store, envId, item);
      if (failed !== undefined) throw new Error(failed);
    });
  }
  return { busy, error, copy, setError };
}

function Variables({ env }: { env: EnvironmentView }) {
  const vars = useDesk((s) => (s.variables.envId === env.id ? s.variables : undefined));
  // A keychain or vault problem is explained once, in the banner at the top: not again here.
  const keychainDown = useDesk((s) => s.app?.keychain.ok === false);
  const { busy, error, copy } = useCopy(env.id);
  if (!vars) return <p className="muted">Loading Postman variables…</p>;
  if (vars.error && keychainDown) return <p className="muted">Postman variables are unavailable until the keychain problem above is fixed.</p>;
  if (vars.error) return <InlineError>{vars.error}</InlineError>;
  if (vars.list.length === 0) return null;
  return (
    <details className="vars">
      <summary>
        Postman variables <span className="muted">({vars.list.length})</span>
      </summary>
      <ul>
        {vars.list.map((v) => {
          const a = variableAction(v);
          return (
            <li key={v.key} className="var">
              <span className="mono var-key">{v.key}</span>
              <span className="mono var-preview muted" title={v.secret ? 'Secret: masked here' : undefined}>
                {v.preview}
              </span>
              <Button size="sm" variant="ghost" icon={<CopyIcon />} busy={busy === a.id} aria-label={a.label} onClick={() => void copy(a.id, a.item)}>
                Copy
              </Button>
            </li>
          );
        })}
      </ul>
      <InlineError>{error}</InlineError>
    </details>
  );
}

/**
 * The live pair for Postman and newman (`tokendesk export --format postman-script`, `--format postman
 * --live`): the script asks the local endpoint for fresh variables, so no token is pasted to go stale.
 */
function LivePostman({ env }: { env: EnvironmentView }) {
  const store = useDeskStore();
  const { busy, error, copy, setError } = useCopy(env.id);
  const [saving, setSaving] = useState(false);
  async function save(): Promise<void> {
    setSaving(true);
    setError(await performExport(store, env.id, true, 'postman-live'));
    setSaving(false);
  }
  const a = POSTMAN_SCRIPT_ACTION;
  const titleId = useId();
  return (
    <div className="live-postman" role="group" aria-labelledby={titleId}>
      <p id={titleId} className="live-postman-title">
        Postman with fresh tokens
      </p>
      <div className="live-postman-row">
        <Button size="sm" icon={<CopyIcon />} busy={busy === a.id} aria-label={a.label} onClick={() => void copy(a.id, a.item)}>
          {a.short}
        </Button>
        <Button size="sm" icon={<DownloadIcon />} busy={saving} onClick={() => void save()} title="The endpoint’s URL and secret, no token">
          Save live environment
        </Button>
      </div>
      <p className="field-hint">Both fetch fresh tokens from TokenDesk’s local endpoint, so it must be running: this app runs it while it is open (or tokendesk serve).</p>
      <InlineError>{error}</InlineError>
    </div>
  );
}

export function CopyPanel({ env, identity }: { env: EnvironmentView; identity?: IdentityView }) {
  const store = useDeskStore();
  const loadVariables = useDesk((s) => s.loadVariables);
  // The keychain or vault coming back (unlocked, or a start-over) changes what can be listed.
  const keychainOk = useDesk((s) => s.app?.keychain.ok);
  const { busy, error, copy, setError } = useCopy(env.id);
  const [exporting, setExporting] = useState<boolean | undefined>();

  useEffect(() => {
    void loadVariables(env.id, true);
  }, [loadVariables, env.id, env.activeIdentityId, identity?.expiresAt, identity?.activeAccountId, keychainOk]);

  async function save(includeSecrets: boolean): Promise<void> {
    const go = async () => {
      setExporting(includeSecrets);
      setError(await performExport(store, env.id, includeSecrets));
      setExporting(undefined);
    };
    if (includeSecrets && env.production) {
      store.getState().setDialog({
        kind: 'confirm',
        title: 'Save production secrets to a file?',
        body: `The file will contain ${env.name}'s live token and keys in plain text. Keep it out of shared Postman workspaces and repositories.`,
        confirmLabel: 'Save with secrets',
        danger: true,
        onConfirm: go,
      });
      return;
    }
    await go();
  }

  const includeRefreshToken = useDesk((s) => s.includeRefreshToken);
  const setIncludeRefreshToken = useDesk((s) => s.setIncludeRefreshToken);
  const shortcut = copyShortcut(useDesk((s) => s.app?.shell));
  const actions = copyActions(env, identity, includeRefreshToken);
  return (
    <Section title="Copy" className="copy" actions={<span className="muted kbd-hint">{shortcut.label} copies the Authorization header</span>}>
      {identity ? (
        <div className="copy-grid">
          {actions.map((a, i) => (
            <Button key={a.id} variant={i === 0 ? 'primary' : 'secondary'} icon={<CopyIcon />} busy={busy === a.id} aria-label={a.label} aria-keyshortcuts={i === 0 ? shortcut.aria : undefined} onClick={() => void copy(a.id, a.item)}>
              {a.short}
            </Button>
          ))}
        </div>
      ) : (
        <p className="muted">Sign in to copy headers and tokens. Variables without secrets can still be exported.</p>
      )}
      {hasRefreshToken(env) ? (
        <Checkbox
          label="Include the refresh token"
          checked={includeRefreshToken}
          onChange={setIncludeRefreshToken}
          hint="In “All Postman variables” and “Save with secrets”. It is single-use: once Postman or a script spends a copy, TokenDesk’s own session ends at its next renewal."
        />
      ) : null}
      <InlineError>{error}</InlineError>
      <Variables env={env} />
      <div className="export-row">
        <Button size="sm" icon={<DownloadIcon />} busy={exporting === false} onClick={() => void save(false)}>
          Save Postman environment
        </Button>
        <Button size="sm" busy={exporting === true} onClick={() => void save(true)} title="The file will hold the token and keys in plain text">
          Save with secrets
        </Button>
      </div>
      <LivePostman env={env} />
    </Section>
  );
}
