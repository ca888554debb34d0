import { useState, type FormEvent } from 'react';
import { Button } from '../ui/Button.js';
import { Field } from '../ui/Field.js';

/**
 * Where a pasted address (or a bare secret) should take the page: the bridge's URL with its
 * ?token=…, on a loopback host. Returns an error in the user's words otherwise.
 */
export function bridgeTarget(pasted: string, here: string): { url: string } | { error: string } {
  const v = pasted.trim();
  if (!v) return { error: 'Paste the address the terminal printed' };
  if (/^[A-Za-z0-9_-]{16,}$/.test(v)) {
    const u = new URL(here);
    u.search = `?token=${v}`;
    u.hash = '';
    return { url: u.href };
  }
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return { error: 'That is not an address: copy the whole line that starts with http://127.0.0.1:' };
  }
  if (u.protocol !== 'http:' || (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost')) {
    return { error: 'The web UI only runs on this computer: its address starts with http://127.0.0.1:' };
  }
  if (!u.searchParams.get('token')) return { error: 'That address has no ?token=… part: copy the whole line, up to its end' };
  return { url: u.href };
}

/**
 * The address to look for, on this page's own host and port: the bridge serves this page, so its
 * origin is the one the terminal printed (5179 by default, TOKENDESK_WEB_PORT or the next free port
 * otherwise); a fixed port here sent people looking for a line that was never printed.
 */
export function exampleAddress(here: string): string {
  try {
    const u = new URL(here);
    if (u.protocol === 'http:' || u.protocol === 'https:') return `${u.origin}/?token=…`;
  } catch {
    // fall through
  }
  return 'http://127.0.0.1:…/?token=…';
}

/**
 * The web UI opened without this run's secret (a bookmark, a typed address, a bridge restarted with a
 * new one): say where the right address is and take it pasted, instead of a dead-end Retry.
 */
export function BridgeTokenHelp({
  reason,
  navigate = (url) => window.location.assign(url),
  here = window.location.href,
}: {
  reason: string;
  navigate?: (url: string) => void;
  /** This page's address (a test passes its own). */
  here?: string;
}) {
  const example = exampleAddress(here);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const stale = /wrong/i.test(reason);

  function submit(e: FormEvent): void {
    e.preventDefault();
    const t = bridgeTarget(value, here);
    if ('error' in t) {
      setError(t.error);
      return;
    }
    navigate(t.url);
  }

  return (
    <div className="crash bridge-help" role="alert">
      <h2>{stale ? 'This page has the secret of an earlier run' : 'This page needs the address with this run’s secret'}</h2>
      <p>
        The web UI only answers a page that carries the secret of this run. The terminal that started it (<code>npm run web</code>, or <code>npm start</code> when it
        opened the browser) printed the address, a line like <code className="selectable">{example}</code>. Open that address, or paste it here.
      </p>
      {stale ? <p className="muted">Each start of the web UI makes a new secret: the one this tab remembers is from before a restart.</p> : null}
      <form className="form bridge-help-form" onSubmit={submit} noValidate aria-label="Open the web UI with its secret">
        <Field
          label="Address from the terminal"
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setError(undefined);
          }}
          error={error}
          placeholder={example}
          autoComplete="off"
          spellCheck={false}
          mono
          autoFocus
        />
        <div className="form-actions">
          <Button variant="primary" type="submit">
            Open
          </Button>
        </div>
      </form>
    </div>
  );
}
