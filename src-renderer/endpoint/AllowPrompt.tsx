import { useAction } from '../lib/use-action.js';
import { useDesk } from '../store.js';
import { Button } from '../ui/Button.js';
import { InlineError } from '../ui/Field.js';

/**
 * Asked when a tool requested a production environment's token from the endpoint: it is refused until
 * the user allows it here once (or with tokendesk endpoint allow NAME). "Not now" changes nothing.
 */
export function AllowPrompt({ envId, name, userAgent, onDone }: { envId: string; name: string; userAgent: string; onDone: () => void }) {
  const api = useDesk((s) => s.api);
  const { busy, error, run } = useAction();
  return (
    <div className="endpoint-allow">
      <p>
        <strong>{userAgent || 'A program without a User-Agent'}</strong> asked the endpoint for a token of <strong>{name}</strong>, a production environment. It was refused.
      </p>
      <p className="muted">Allow it, and the endpoint serves this environment&apos;s tokens to any program on this computer that has the endpoint secret, from now on.</p>
      <InlineError>{error}</InlineError>
      <div className="form-actions">
        <span className="spacer" />
        <Button variant="ghost" onClick={onDone} data-autofocus>
          Not now
        </Button>
        <Button
          variant="danger"
          busy={busy}
          onClick={async () => {
            if (await run(true, () => api.allowEndpointProduction({ envId }), { toast: [`The endpoint now serves ${name}`, 'Callers asking again get its token'] })) onDone();
          }}
        >
          Allow {name}
        </Button>
      </div>
    </div>
  );
}
