import { useId, type ReactNode } from 'react';
import { cx } from './cx.js';

/** A titled card of the environment view. */
export function Section({ title, actions, children, className }: { title: string; actions?: ReactNode; children: ReactNode; className?: string }) {
  const id = useId();
  return (
    <section className={cx('card', className)} aria-labelledby={id}>
      <header className="card-head">
        <h2 id={id}>{title}</h2>
        {actions ? <div className="card-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}
