import type { ReactNode } from 'react';
import type { SessionStatus } from '../../src-main/contract/types.js';
import { cx } from './cx.js';

export function Badge({ tone = 'neutral', children, title }: { tone?: 'neutral' | 'danger' | 'accent'; children: ReactNode; title?: string }) {
  return (
    <span className={cx('badge', `badge-${tone}`)} title={title}>
      {children}
    </span>
  );
}

const glyph: Record<SessionStatus, string> = {
  valid: '●',
  refreshing: '↻',
  expiring: '▲',
  expired: '✕',
  signed_out: '○',
  error: '!',
  ended: '⊘',
};

/** The one place status colours are decided: sidebar, identity rows and token panel agree. */
export function StatusBadge({ status, text, className, srWord }: { status: SessionStatus; text: string; className?: string; srWord?: string }) {
  return (
    <span className={cx('status', `status-${status}`, className)} data-status={status} title={srWord ? `${srWord} · ${text} left` : undefined}>
      <span className="status-glyph" aria-hidden="true">
        {glyph[status]}
      </span>
      {srWord ? <span className="sr-only">{srWord}, </span> : null}
      <span className="status-text">{text}</span>
    </span>
  );
}
