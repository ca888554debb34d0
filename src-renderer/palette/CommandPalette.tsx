import { Command } from 'cmdk';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { errorMessage } from '../api/types.js';
import { copyActions, moreCopyActions, variableAction } from '../copy/items.js';
import { performCopy, performExport } from '../copy/perform.js';
import { performCheck } from '../identities/check.js';
import { openImportPicker } from '../import/ImportControls.js';
import { THEME_CHOICES, themeLabel } from '../lib/theme.js';
import { activeIdentity, environments, selectedEnv, useDesk, useDeskStore, variablesOf } from '../store.js';

/** Ctrl/Cmd+K: jump to an environment or identity, copy, add, import. */
export function CommandPalette() {
  const store = useDeskStore();
  const open = useDesk((s) => s.paletteOpen);
  const setPalette = useDesk((s) => s.setPalette);
  const envs = useDesk(environments);
  const env = useDesk(selectedEnv);
  const vars = useDesk(variablesOf(env?.id));
  const who = activeIdentity(env);
  const includeRefreshToken = useDesk((s) => s.includeRefreshToken);

  // Focus comes back where it was when the palette closes (Escape, or after a copy); a jump to an
  // environment moves it to that environment's heading. Captured in a layout effect: it runs before
  // the dialog's own effect moves focus into the input.
  const returnTo = useRef<HTMLElement | null>(null);
  const focusHeading = useRef(false);
  const wasOpen = useRef(false);
  useLayoutEffect(() => {
    if (open && !wasOpen.current) {
      const active = document.activeElement;
      returnTo.current = active instanceof HTMLElement && active !== document.body ? active : null;
    }
  }, [open]);
  useEffect(() => {
    if (open) {
      wasOpen.current = true;
      return;
    }
    if (!wasOpen.current) return;
    wasOpen.current = false;
    const timer = setTimeout(() => {
      const heading = focusHeading.current ? document.querySelector<HTMLElement>('[data-env-heading]') : null;
      focusHeading.current = false;
      const active = document.activeElement;
      const lost = !active || active === document.body;
      if (heading) heading.focus();
      else if (lost && returnTo.current?.isConnected) returnTo.current.focus();
      returnTo.current = null;
    }, 0);
    return () => clearTimeout(timer);
  }, [open]);

  const run = (fn: () => unknown, opts: { focusHeading?: boolean } = {}) => () => {
    focusHeading.current = Boolean(opts.focusHeading);
    setPalette(false);
    void fn();
  };
  const st = () => store.getState();
  const theme = useDesk((s) => s.theme);
  const signedIn = who && who.status !== 'signed_out' && who.status !== 'ended' ? who : undefined;
  // Every signed-in identity's other tenant accounts, in every environment: typing "globex" finds them
  // from wherever the user is (issue 25), not only under the selected environment's active identity.
  const accountMoves = envs.flatMap((e) =>
    e.identities
      .filter((i) => i.status !== 'signed_out' && i.status !== 'ended')
      .flatMap((i) => {
        const current = i.activeAccountId ?? i.profile?.primaryAccountId;
        return (i.profile?.accounts ?? []).filter((a) => a.id !== current).map((a) => ({ env: e, identity: i, account: a }));
      }),
  );

  return (
    <Command.Dialog open={open} onOpenChange={setPalette} label="Command palette" className="palette" overlayClassName="overlay palette-overlay" contentClassName="palette-content" loop>
      <Command.Input placeholder="Jump to an environment, identity or action…" />
      <Command.List>
        <Command.Empty>Nothing matches.</Command.Empty>
        {env && who ? (
          <Command.Group heading={`Copy · ${who.label} · ${env.name}`}>
            {[...copyActions(env, who, includeRefreshToken), ...moreCopyActions(includeRefreshToken)].map((a) => (
              <Command.Item key={a.id} value={a.label} onSelect={run(() => performCopy(store, env.id, a.item))}>
                {a.label}
              </Command.Item>
            ))}
            {vars.map((v) => {
              const a = variableAction(v);
              return (
                <Command.Item key={a.id} value={a.label} onSelect={run(() => performCopy(store, env.id, a.item))}>
                  {a.label}
                </Command.Item>
              );
            })}
          </Command.Group>
        ) : null}
        <Command.Group heading="Environments">
          {envs.map((e) => (
            <Command.Item key={e.id} value={`Go to ${e.name}`} keywords={[e.provider, e.baseUrl]} onSelect={run(() => st().select(e.id), { focusHeading: true })}>
              <span className="env-dot" style={{ background: e.color }} aria-hidden="true" />
              Go to {e.name}
              {e.production ? <span className="prod-tag">PROD</span> : null}
            </Command.Item>
          ))}
        </Command.Group>
        <Command.Group heading="Identities">
          {envs.flatMap((e) =>
            e.identities.map((i) => (
              <Command.Item
                key={i.id}
                value={`Switch to ${i.label} in ${e.name}`}
                onSelect={run(async () => {
                  st().select(e.id);
                  await st().api.switchIdentity({ envId: e.id, identityId: i.id }).catch((err: unknown) => st().toast('error', `Could not switch to ${i.label}`, errorMessage(err)));
                  await st().refresh();
                }, { focusHeading: true })}
              >
                Switch to {i.label} <span className="muted">in {e.name}</span>
              </Command.Item>
            )),
          )}
        </Command.Group>
        {accountMoves.length > 0 ? (
          <Command.Group heading="Accounts">
            {accountMoves.map(({ env: e, identity: i, account: a }) => (
              <Command.Item
                key={`${i.id}:${a.id}`}
                value={`Switch account to ${a.name} (${a.id}) for ${i.label} in ${e.name}`}
                onSelect={run(async () => {
                  st().select(e.id);
                  try {
                    // The account belongs to this identity: it becomes the environment's active one first.
                    if (activeIdentity(e)?.id !== i.id) await st().api.switchIdentity({ envId: e.id, identityId: i.id });
                    await st().api.setActiveAccount({ identityId: i.id, accountId: a.id });
                    st().toast('success', `${i.label} now acts in ${a.name}`, e.name);
                  } catch (err) {
                    st().toast('error', `Could not switch to ${a.name}`, errorMessage(err));
                  }
                  await st().refresh();
                }, { focusHeading: true })}
              >
                Switch account to {a.name}{' '}
                <span className="muted">
                  {a.id} · {i.label} in {e.name}
                </span>
              </Command.Item>
            ))}
          </Command.Group>
        ) : null}
        {env && signedIn ? (
          <Command.Group heading={`${signedIn.label} · ${env.name}`}>
            <Command.Item value={`Reveal token of ${signedIn.label}`} onSelect={run(() => st().requestReveal())}>
              Reveal token of {signedIn.label}
            </Command.Item>
            <Command.Item
              value={`Sign out ${signedIn.label} (this session only)`}
              onSelect={run(async () => {
                try {
                  const r = await st().api.signOut({ identityId: signedIn.id });
                  st().toast(r.warning ? 'info' : 'success', `Signed out ${signedIn.label}`, r.warning ?? 'This session only');
                } catch (err) {
                  st().toast('error', `Could not sign out ${signedIn.label}`, errorMessage(err));
                }
                await st().refresh();
              })}
            >
              Sign out {signedIn.label} <span className="muted">this session only</span>
            </Command.Item>
          </Command.Group>
        ) : null}
        <Command.Group heading="Theme">
          {THEME_CHOICES.map((t) => (
            <Command.Item key={t} value={`Theme: ${themeLabel[t]}`} keywords={['dark mode', 'light mode', 'appearance']} onSelect={run(() => st().setTheme(t))}>
              Theme: {themeLabel[t]}
              {t === 'system' ? <span className="muted"> follow the OS</span> : null}
              {t === theme ? <span className="muted"> · current</span> : null}
            </Command.Item>
          ))}
        </Command.Group>
        <Command.Group heading="Actions">
          {env ? (
            <Command.Item value={`Sign in to ${env.name} as another user`} onSelect={run(() => st().openSignIn({ envId: env.id, mode: 'signin' }))}>
              Sign in to {env.name} as another user
            </Command.Item>
          ) : null}
          {env ? (
            <Command.Item value={`Save Postman environment (${env.name}, no secrets)`} onSelect={run(() => performExport(store, env.id, false))}>
              Save Postman environment ({env.name}, no secrets)
            </Command.Item>
          ) : null}
          {env ? (
            <Command.Item value={`Save live Postman environment (${env.name})`} keywords={['endpoint', 'fresh', 'newman']} onSelect={run(() => performExport(store, env.id, true, 'postman-live'))}>
              Save live Postman environment ({env.name})
            </Command.Item>
          ) : null}
          {env ? (
            <Command.Item value={`Save Postman pre-request script (${env.name})`} keywords={['endpoint', 'fresh', 'newman']} onSelect={run(() => performExport(store, env.id, false, 'postman-script'))}>
              Save Postman pre-request script ({env.name})
            </Command.Item>
          ) : null}
          <Command.Item value="Check sessions with their servers now" keywords={['check now', 'revoked', 'valid']} onSelect={run(() => performCheck(store))}>
            Check sessions with their servers now
          </Command.Item>
          <Command.Item value="Add environment" onSelect={run(() => st().setDialog({ kind: 'add-env' }))}>
            Add environment
          </Command.Item>
          <Command.Item value="Import Postman file" onSelect={run(openImportPicker)}>
            Import Postman file
          </Command.Item>
        </Command.Group>
      </Command.List>
    </Command.Dialog>
  );
}
