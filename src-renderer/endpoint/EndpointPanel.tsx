import { useCallback, useEffect, useState } from 'react';
import type { EndpointLogEntry, EndpointView } from '../../src-main/contract/endpoint.js';
import { errorMessage } from '../api/types.js';
import { copiedText } from '../copy/perform.js';
import { writeClipboard } from '../copy/web-clipboard.js';
import { timeOfDay } from '../lib/format.js';
import { useDesk, useDeskStore } from '../store.js';
import { Badge } from '../ui/Badge.js';
import { Button } from '../ui/Button.js';
import { CopyIcon } from '../ui/icons.js';
import { InlineError } from '../ui/Field.js';

/** A call's outcome in a word, next to its status code. */
function outcome(e: EndpointLogEntry): string {
  if (e.status === 200) return 'served';
  if (e.code === 'production_not_allowed') return 'production, not allowed';
  if (e.code === 'unauthorized') return 'wrong or missing secret';
  if (e.code === 'out_of_scope') return "outside the secret's scope";
  if (e.code === 'session_expired' || e.code === 'not_signed_in') return 'session ended';
  return e.code ?? 'refused';
}

/**
 * The local credential endpoint (issue 23): where it listens, whether this app serves it, its secret
 * (never shown, only copied), and who asked for what (the access log, never a token). Re-read when
 * calls arrive (the service's coalesced endpoint-called event).
 */
export function EndpointPanel() {
  const store = useDeskStore();
  const api = useDesk((s) => s.api);
  const toast = useDesk((s) => s.toast);
  const now = useDesk((s) => s.app?.now ?? 0);
  const [view, setView] = useState<EndpointView>();
  const [error, setError] = useState<string>();

  const load = useCallback(() => {
    api.getEndpoint({}).then(
      (v) => {
        setView(v);
        setError(undefined);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [api]);
  useEffect(() => {
    load();
    return api.onEvent((e) => {
      if (e.type === 'endpoint-called') load();
    });
  }, [api, load]);

  const copyUrl = async () => {
    if (!view) return;
    await writeClipboard(view.url, null);
    toast('success', 'Copied the endpoint URL', view.url, { slot: 'copy' });
  };
  const copySecret = async () => {
    try {
      const r = await store.getState().api.copyEndpointSecret({});
      if (r.text !== undefined) await writeClipboard(r.text, r.clearsInSeconds);
      const { text, detail } = copiedText(r.label, r.clearsInSeconds);
      toast('success', text, detail, { slot: 'copy' });
    } catch (e) {
      toast('error', 'Nothing was copied', errorMessage(e), { slot: 'copy' });
    }
  };

  if (!view) return <InlineError>{error}</InlineError>;
  return (
    <div className="endpoint-panel">
      <p className="muted">Any tool on this computer gets a fresh token from here, without copying: send the secret as <code className="mono-sm">Authorization: Bearer …</code>.</p>
      <dl className="endpoint-facts">
        <dt>URL</dt>
        <dd>
          <code className="mono">{view.url}</code>
          <Button size="sm" variant="ghost" icon={<CopyIcon />} onClick={() => void copyUrl()} aria-label="Copy the endpoint URL">
            Copy
          </Button>
        </dd>
        <dt>State</dt>
        <dd>
          {view.running ? <Badge tone="accent">Running</Badge> : <Badge tone="danger">Not running</Badge>}
          <span className="muted">{view.running ? 'served by this app while it runs' : (view.error ?? 'start it with tokendesk serve')}</span>
        </dd>
        <dt>Secret</dt>
        <dd>
          <code className="mono" aria-label="Endpoint secret (hidden)">
            {view.secret}
          </code>
          <Button size="sm" variant="ghost" icon={<CopyIcon />} onClick={() => void copySecret()} aria-label="Copy the endpoint secret">
            Copy
          </Button>
        </dd>
        <dt>Production</dt>
        <dd className="muted">{view.allowedProduction.length > 0 ? `Served: ${view.allowedProduction.map((a) => a.name).join(', ')}` : 'No production environment is served until you allow it'}</dd>
      </dl>
      <p className="mono-sm endpoint-example">curl -H "Authorization: Bearer $SECRET" "{view.url}/v1/token?env=staging"</p>
      <h3 className="endpoint-log-title">Access log</h3>
      {view.logError ? (
        <p className="notice notice-warning" role="status" data-testid="endpoint-log-error">
          {view.logError}
        </p>
      ) : null}
      {view.log.length === 0 ? (
        <p className="muted">No calls yet.</p>
      ) : (
        <div className="endpoint-log" role="region" aria-label="Endpoint access log" tabIndex={0}>
          <table>
            <colgroup>
              <col className="time" />
              <col />
              <col />
              <col />
              <col className="result" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Caller</th>
                <th scope="col">Asked for</th>
                <th scope="col">Identity</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {view.log.map((e, i) => (
                <tr key={`${e.time}-${i}`} className={e.status === 200 ? undefined : 'refused'}>
                  <td>{timeOfDay(e.time, now || e.time)}</td>
                  <td className="mono-sm">
                    {e.userAgent || '—'}
                    {e.scoped ? <span className="endpoint-scoped">scoped secret · {e.scoped}</span> : null}
                  </td>
                  <td>
                    <span className="mono-sm">{e.route}</span> {e.env ?? ''}
                  </td>
                  <td>{e.identity ?? '—'}</td>
                  <td>
                    {e.status} {outcome(e)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
