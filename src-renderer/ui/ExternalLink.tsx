import type { ReactNode } from 'react';
import { errorMessage } from '../api/types.js';
import { useDesk, useDeskStore } from '../store.js';

/**
 * A link to a page outside TokenDesk. In a browser (web bridge) it opens a new tab as any link does.
 * In Electron the page may not navigate or open windows: the click asks the main process
 * (`openExternal`), which opens only allow-listed links (help hosts, the environments' own origins)
 * and says so when it refuses.
 */
export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  const store = useDeskStore();
  const shell = useDesk((s) => s.app?.shell);
  return (
    <a
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      onClick={(e) => {
        if (shell !== 'electron') return;
        e.preventDefault();
        store
          .getState()
          .api.openExternal({ url: href })
          .then(
            (r) => {
              if (!r.opened) store.getState().toast('error', 'TokenDesk did not open the link', href);
            },
            (err: unknown) => store.getState().toast('error', 'TokenDesk did not open the link', errorMessage(err)),
          );
      }}
    >
      {children}
    </a>
  );
}
