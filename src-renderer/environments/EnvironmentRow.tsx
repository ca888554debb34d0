import { memo } from 'react';
import type { EnvironmentView } from '../../src-main/contract/types.js';
import { useNow } from '../lib/clock.js';
import { hasTimeLeft, liveStatus, statusText, statusWord } from '../lib/status.js';
import { activeIdentity } from '../store.js';
import { StatusBadge } from '../ui/Badge.js';
import { cx } from '../ui/cx.js';
import { providerName } from './filter.js';

function RowStatus({ env }: { env: EnvironmentView }) {
  const now = useNow();
  const who = activeIdentity(env);
  // "nobody signed in" is on the second line already: no badge to repeat it.
  if (!who) return null;
  const status = liveStatus(who, now);
  const timed = hasTimeLeft(status) && who.expiresAt !== undefined;
  return <StatusBadge status={status} text={statusText(who, now, true)} srWord={timed ? statusWord[status] : undefined} />;
}

export const EnvironmentRow = memo(function EnvironmentRow({ env, selected, onSelect }: { env: EnvironmentView; selected: boolean; onSelect: (id: string) => void }) {
  const who = activeIdentity(env);
  return (
    <li>
      <button
        type="button"
        className={cx('env-row', selected && 'selected', env.production && 'prod')}
        aria-current={selected ? 'true' : undefined}
        onClick={() => onSelect(env.id)}
        data-testid="env-row"
      >
        <span className="env-dot" style={{ background: env.color }} aria-hidden="true" />
        <span className="env-name-line">
          <span className="env-name" title={env.name}>
            {env.name}
          </span>
        </span>
        <RowStatus env={env} />
        <span className="env-sub">
          {env.production ? <span className="prod-tag">PROD</span> : null}
          {/* The label: an identity without an email (a pasted token) still names who is signed in. */}
          {who ? who.label : 'nobody signed in'}
          <span className="env-provider"> · {providerName(env.provider)}</span>
        </span>
      </button>
    </li>
  );
});
