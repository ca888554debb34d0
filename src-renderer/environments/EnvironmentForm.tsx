import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useAction } from '../lib/use-action.js';
import { capabilitiesOf, loopbackRedirectUri, PROVIDER_KINDS, providerInfo, type SettingInfo } from '../../src-main/contract/providers.js';
import { settingShortWords } from '../../src-main/contract/settings.js';
import { changesServers, describeMove } from '../../src-main/contract/servers.js';
import type { EnvironmentUpdate, EnvironmentView, ProviderKind } from '../../src-main/contract/types.js';
import { environments, useDesk, useDeskStore } from '../store.js';
import { Button } from '../ui/Button.js';
import { ExternalLink } from '../ui/ExternalLink.js';
import { Checkbox, Field, FieldNotes, InlineError, notesFor } from '../ui/Field.js';
import { AccountTransportPicker, ColorPicker, ProviderPicker } from './pickers.js';
import type { Preset } from './presets.js';
import { projectFilePatch, type FileFields } from './project-edit.js';
import { draftTransport, looksLikeProduction, settingField, validateDraft, type EnvDraft } from './validate.js';

function initialDraft(env?: EnvironmentView): EnvDraft {
  return {
    // The catalogue's first kind is the one a new environment starts with.
    provider: env?.provider ?? PROVIDER_KINDS[0],
    name: env?.name ?? '',
    baseUrl: env?.baseUrl ?? '',
    // Plain settings start from what is stored; secrets are never shown back (empty keeps the stored one).
    settings: { ...env?.settings },
    removeSecrets: {},
    color: env?.color ?? '#2563eb',
    label: env?.label ?? '',
    production: env?.production ?? false,
    accountKind: env?.accountTransport.kind ?? 'none',
    accountName: env && env.accountTransport.kind !== 'none' ? env.accountTransport.name : '',
  };
}

/**
 * Said before an environment moves to another server (the core's rule, contract/servers.ts: the base
 * URL's scheme, host or port, or a setting naming a server such as an OpenID issuer): who gets signed
 * out, and that nothing stored goes to the new server. Undefined when it stays put.
 */
export function originChangeNotice(env: EnvironmentView, next: { baseUrl: string; settings: Readonly<Record<string, string>> }, supplied: ReadonlySet<string> = new Set()): string | undefined {
  // As the core reads an edit: typed plain settings on top of the stored ones, '' back to the default.
  const settings = Object.fromEntries(Object.entries({ ...env.settings, ...next.settings }).filter(([, v]) => v.trim() !== ''));
  const to = { provider: env.provider, baseUrl: next.baseUrl.trim().replace(/\/+$/, ''), settings };
  if (!changesServers(env, to)) return undefined;
  const move = describeMove(env, to);
  const byUrl = move.what === 'URL';
  // The core removes the secret settings given for the old server unless this save gives new ones (EnvironmentService.edit).
  const keys = [
    ...providerInfo(env.provider).settings.filter((s) => s.secret && env.secretSettings.includes(s.name) && !supplied.has(s.name)).map(settingShortWords),
    ...(env.secretVariables ?? []).map((n) => `secret variable “${n}”`),
  ];
  const keyText =
    keys.length === 0 ? '' : ` Its stored ${keys.length === 1 ? keys[0]! : `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]!}`} will be removed: enter ${keys.length === 1 ? 'it' : 'them'} again for the new server.`;
  const signedIn = env.identities.filter((i) => i.expiresAt !== undefined || i.rememberPassword).map((i) => i.label);
  const who =
    signedIn.length === 0
      ? 'Nobody is signed in to it.'
      : `${signedIn.length === 1 ? `${signedIn[0]} will be signed out` : `Its ${signedIn.length} identities (${signedIn.join(', ')}) will be signed out`}: their sessions are ended at ${move.from}, and no token or password is sent to ${byUrl ? 'the new URL' : 'the new server'}.`;
  return `Another server: ${move.from} → ${move.to}. ${who}${keyText}`;
}

/** Anything typed that differs from what the form opened with (Escape then asks before discarding). */
function isDirty(d: EnvDraft, start: EnvDraft): boolean {
  const same = (a: unknown, b: unknown): boolean =>
    typeof a === 'string' && typeof b === 'string' ? a.trim() === b.trim() : typeof a === 'object' && a && b ? JSON.stringify(a) === JSON.stringify(b) : a === b;
  return (Object.keys(start) as Array<keyof EnvDraft>).some((k) => !same(d[k], start[k]));
}

/** The secret settings this save gives a value or removes: the ones a move does not remove. */
function suppliedSecrets(d: EnvDraft): Set<string> {
  return new Set(providerInfo(d.provider).settings.filter((s) => s.secret && ((d.settings[s.name] ?? '').trim() !== '' || d.removeSecrets[s.name])).map((s) => s.name));
}

/** The plain (non-secret) settings as typed: a move is judged on these, never on a secret. */
function plainSettings(d: EnvDraft): Record<string, string> {
  return Object.fromEntries(providerInfo(d.provider).settings.filter((s) => !s.secret).map((s) => [s.name, d.settings[s.name] ?? '']));
}

/** What a save sends of the declared settings: typed plain values (on edit '' restores the default), typed secrets, removals. */
function settingsPayload(d: EnvDraft, editing: boolean): { settings?: Record<string, string>; secrets?: Record<string, string | null> } {
  const settings: Record<string, string> = {};
  const secrets: Record<string, string | null> = {};
  for (const info of providerInfo(d.provider).settings) {
    const v = (d.settings[info.name] ?? '').trim();
    if (info.secret) {
      if (d.removeSecrets[info.name]) secrets[info.name] = null;
      else if (v !== '') secrets[info.name] = v;
    } else if (v !== '' || editing) {
      settings[info.name] = info.repeatable ? (d.settings[info.name] ?? '') : v;
    }
  }
  return { ...(Object.keys(settings).length > 0 && { settings }), ...(Object.keys(secrets).length > 0 && { secrets }) };
}

type Touched = Partial<Record<keyof EnvDraft, boolean>>;

/** Add or edit an environment, validated as you type; secrets go to the keychain, never shown back. */
export function EnvironmentForm({ env, onDone, onDirtyChange }: { env?: EnvironmentView; onDone: () => void; onDirtyChange?: (dirty: boolean) => void }) {
  const store = useDeskStore();
  const existing = useDesk(environments);
  const [start] = useState<EnvDraft>(() => initialDraft(env));
  const [d, setD] = useState<EnvDraft>(start);
  const formRef = useRef<HTMLFormElement>(null);
  const [failedSubmits, setFailedSubmits] = useState(0);
  const [touched, setTouched] = useState<Touched>({});
  const [submitted, setSubmitted] = useState(false);
  const [productionTouched, setProductionTouched] = useState(Boolean(env));
  const [preset, setPreset] = useState<Preset | undefined>();
  // A production environment moves to another server only once this is ticked (the core asks the same).
  const [confirmMove, setConfirmMove] = useState(false);
  const [moveError, setMoveError] = useState<string | undefined>();
  const action = useAction();
  // A project environment (issue 24) is edited in its file: the revision the form opened on, so a file changed meanwhile is not overwritten.
  const projectFile = env?.project?.file;
  const [revision] = useState(() => env?.project?.revision ?? null);
  const { error: serverError, setError: setServerError } = action;
  const busy = action.busy !== undefined;
  const { errors, warnings, suggestions } = useMemo(() => validateDraft(d, { editing: env, existing }), [d, env, existing]);
  const dirty = isDirty(d, start);
  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange]);
  // After a submit that was refused here, focus goes to the first field that needs fixing.
  useEffect(() => {
    if (failedSubmits === 0) return;
    formRef.current?.querySelector<HTMLInputElement>('input[aria-invalid="true"]')?.focus();
  }, [failedSubmits]);
  const show = (k: keyof EnvDraft) => (submitted || touched[k] ? errors[k as keyof typeof errors] : undefined);
  // Judged once what names the servers is valid: the base URL and the settings marked `origin` (an issuer).
  const serversValid = errors.baseUrl === undefined && providerInfo(d.provider).settings.every((s) => !s.origin || errors[settingField(s.name)] === undefined);
  const moveNotice = env && serversValid ? originChangeNotice(env, { baseUrl: d.baseUrl, settings: plainSettings(d) }, suppliedSecrets(d)) : undefined;
  const moveNeedsConfirm = moveNotice !== undefined && (env?.production === true || d.production);

  function patch(p: Partial<EnvDraft>): void {
    setServerError(undefined);
    setD((cur) => {
      const next = { ...cur, ...p };
      if (!productionTouched && (p.name !== undefined || p.baseUrl !== undefined)) {
        const prod = looksLikeProduction(next.name, next.baseUrl);
        if (prod !== next.production) {
          next.production = prod;
          if (prod) next.color = '#d92d20';
        }
      }
      return next;
    });
    setTouched((t) => ({ ...t, ...Object.fromEntries(Object.keys(p).map((k) => [k, true])) }));
  }

  function applyPreset(p: Preset): void {
    setPreset(p);
    const taken = existing.some((e) => e.name.toLowerCase() === p.name);
    // The settings the previous preset filled are emptied first, so Google's extra parameters do not stay on for Entra.
    const cleared = Object.fromEntries(Object.keys(preset?.settings ?? {}).map((k) => [k, '']));
    setD((cur) => ({ ...cur, name: taken ? `${p.name}-2` : p.name, baseUrl: p.baseUrl, color: p.color, production: Boolean(p.production), settings: { ...cur.settings, ...cleared, ...p.settings } }));
    setProductionTouched(true);
  }

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    setSubmitted(true);
    if (Object.values(errors).some((e) => e !== undefined)) {
      setFailedSubmits((n) => n + 1);
      return;
    }
    if (moveNeedsConfirm && !confirmMove) {
      setMoveError('This is a production environment: tick the box to move it to the new server, or undo the change');
      return;
    }
    const { api } = store.getState();
    await action.run(true, async () => {
      const common = {
        name: d.name.trim(),
        baseUrl: d.baseUrl.trim(),
        color: d.color,
        production: d.production,
        ...(d.label.trim() ? { label: d.label.trim() } : {}),
        ...(capabilitiesOf(d.provider).hasAccounts ? { accountTransport: draftTransport(d) } : {}),
      };
      const { settings, secrets } = settingsPayload(d, env !== undefined);
      if (env && projectFile) {
        await saveInFile(env, projectFile, { ...common, label: d.label.trim(), settings }, secrets);
        return;
      }
      let saved: EnvironmentView;
      let moved: EnvironmentUpdate | undefined;
      if (env) {
        saved = moved = await api.updateEnvironment({ id: env.id, patch: { ...common, ...(settings && { settings }), ...(secrets && { secrets }), ...(moveNeedsConfirm && confirmMove && { confirmOriginChange: true }) } });
      } else {
        // Nothing is stored yet, so nothing to remove: only typed values.
        const given = Object.fromEntries(Object.entries(secrets ?? {}).filter((e): e is [string, string] => e[1] !== null));
        saved = await api.addEnvironment({ ...common, provider: d.provider, ...(settings && { settings }), ...(Object.keys(given).length > 0 && { secrets: given }) });
      }
      await store.getState().refresh();
      store.getState().select(saved.id);
      // What a move to another server did beyond the save: who must sign in again, and an old server that was not told.
      const signedOut = moved?.signedOut?.length ? `Moved to another server: signed out ${moved.signedOut.join(', ')}. Sign in again.` : undefined;
      store.getState().toast('success', env ? `Saved ${saved.name}` : `Added ${saved.name}`, env ? signedOut : 'Sign in to get a token');
      if (moved?.warnings?.length) store.getState().toast('info', 'The old server could not be told', moved.warnings.join(' '));
      onDone();
    });
  }

  /** The file's fields to the file (only what changed), then the user's own keys to the vault, as for any environment. */
  async function saveInFile(env: EnvironmentView, file: string, fields: FileFields, secrets: Record<string, string | null> | undefined): Promise<void> {
    const { api } = store.getState();
    const patch = projectFilePatch(env, fields);
    const wrote = Object.keys(patch).length > 0;
    if (wrote) await api.editProjectEnvironment({ envId: env.id, patch, revision });
    if (secrets) await api.updateEnvironment({ id: env.id, patch: { secrets } });
    await store.getState().refresh();
    store.getState().select(env.id);
    store.getState().toast('success', wrote ? `Saved to ${file}` : `Saved ${env.name}`, wrote ? 'Commit the file to share the change with your team' : 'Your keys are in the OS keychain');
    onDone();
  }

  // A move removes the stored keys (the notice above says so): "leave empty to keep it" would be wrong then.
  const keptHint = moveNotice ? 'Stored for the old server: removed with the move unless you enter the new one here.' : 'Stored in the OS keychain. Leave empty to keep it.';

  return (
    <form ref={formRef} className="form env-form" onSubmit={(e) => void submit(e)} noValidate aria-label={env ? `Edit ${env.name}` : 'New environment'}>
      {projectFile ? (
        <p className="notice project-notice" data-testid="project-file-notice">
          <span>
            Changes are written to the project file <span className="mono selectable">{projectFile}</span>, which your team shares: commit it to share them. Keys stay in your OS keychain, never in the file.
          </span>
        </p>
      ) : null}
      {env ? null : (
        <>
          <ProviderPicker value={d.provider} onChange={(p: ProviderKind) => { setPreset(undefined); patch({ provider: p }); }} />
          <div className="presets" role="group" aria-label="Presets">
            <span className="presets-label">Start from</span>
            {providerInfo(d.provider).presets.map((p) => (
              <button key={p.id} type="button" className={preset?.id === p.id ? 'chip chip-on' : 'chip'} aria-pressed={preset?.id === p.id} onClick={() => applyPreset(p)}>
                {p.title}
              </button>
            ))}
          </div>
          {preset?.hint ? <p className="field-hint">{preset.hint}</p> : null}
        </>
      )}
      <div className="form-grid">
        {/* The name is the environment's identity in its file (its keys and sessions are kept under it): renamed there, not here. */}
        <Field label="Name" value={d.name} onChange={(e) => patch({ name: e.target.value })} error={show('name')} placeholder="staging" autoComplete="off" readOnly={projectFile !== undefined} hint={projectFile ? 'Named in the project file' : undefined} data-autofocus={projectFile ? undefined : true} />
        <Field label="Base URL" value={d.baseUrl} onChange={(e) => patch({ baseUrl: e.target.value })} error={show('baseUrl')} hint={
            suggestions.baseUrl && show('baseUrl') ? (
              <button type="button" className="link-btn" onClick={() => patch({ baseUrl: suggestions.baseUrl })}>
                Use {suggestions.baseUrl}
              </button>
            ) : (
              warnings.baseUrl
            )
          } placeholder={providerInfo(d.provider).urlPlaceholder} autoComplete="off" spellCheck={false} data-autofocus={projectFile ? true : undefined} />
      </div>
      {moveNotice ? (
        <div className="notice notice-warning" role="status" data-testid="origin-change">
          <span>{moveNotice}</span>
          {moveNeedsConfirm ? (
            <Checkbox
              label="Move this production environment to the new server"
              checked={confirmMove}
              onChange={(v) => {
                setConfirmMove(v);
                setMoveError(undefined);
              }}
            />
          ) : null}
          <InlineError>{moveError}</InlineError>
        </div>
      ) : null}
      {providerInfo(d.provider).settings.map((info) => (
        <SettingField
          key={info.name}
          info={info}
          value={d.settings[info.name] ?? ''}
          stored={env?.secretSettings.includes(info.name) === true}
          removing={d.removeSecrets[info.name] === true}
          keptHint={keptHint}
          error={submitted || touched.settings ? errors[settingField(info.name)] : undefined}
          onChange={(v) => patch({ settings: { ...d.settings, [info.name]: v } })}
          onRemove={(v) => patch({ removeSecrets: { ...d.removeSecrets, [info.name]: v }, settings: { ...d.settings, [info.name]: '' } })}
          redirect={providerInfo(d.provider).loopbackRedirect?.portSetting === info.name ? loopbackRedirectUri(d.provider, d.settings) : undefined}
        />
      ))}
      {capabilitiesOf(d.provider).hasAccounts ? (
        <AccountTransportPicker kind={d.accountKind} name={d.accountName} error={show('accountName')} onChange={(accountKind, accountName) => patch({ accountKind, accountName })} />
      ) : null}
      <div className="form-grid">
        <ColorPicker value={d.color} onChange={(c) => patch({ color: c })} />
        <Field label="Label (optional)" value={d.label} onChange={(e) => patch({ label: e.target.value })} placeholder="e.g. team EU" maxLength={50} />
      </div>
      <Checkbox
        label="Production-like"
        hint="Shown in red, with a band across the window while selected. Detected from the name or host; change it here."
        checked={d.production}
        onChange={(v) => {
          setProductionTouched(true);
          patch({ production: v, ...(v ? { color: '#d92d20' } : {}) });
        }}
      />
      <InlineError>{serverError}</InlineError>
      <div className="form-actions">
        {/* A project environment comes back with the next read of its file: it is removed from the file, not here. */}
        {env && !projectFile ? <RemoveButton env={env} onDone={onDone} /> : null}
        <span className="spacer" />
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button variant="primary" type="submit" busy={busy}>
          {projectFile ? 'Save to file' : env ? 'Save environment' : 'Add environment'}
        </Button>
      </div>
    </form>
  );
}

/**
 * One declared setting (catalogue `settings`), rendered from its declaration: label, help (and its
 * page), placeholder or default. A secret is a password field that is never filled back: empty keeps
 * the stored value, and an optional stored one can be removed.
 */
function SettingField(p: {
  info: SettingInfo;
  value: string;
  stored: boolean;
  removing: boolean;
  keptHint: string;
  error: string | undefined;
  onChange: (v: string) => void;
  onRemove: (v: boolean) => void;
  /** For the setting that fixes a loopback redirect's port: the redirect URI to register, as typed so far. */
  redirect?: { uri: string; anyPort: boolean } | undefined;
}) {
  const { info } = p;
  const areaId = useId();
  const help = info.help ? (
    <>
      {info.help}
      {info.helpUrl ? (
        <>
          {' '}(<ExternalLink href={info.helpUrl}>where to find it</ExternalLink>)
        </>
      ) : null}
      {info.secret ? '. Stored in the OS keychain, never in a file.' : '.'}
    </>
  ) : undefined;
  const placeholder = info.secret
    ? p.stored
      ? '•••••••• (stored)'
      : (info.placeholder ?? (info.required ? '' : 'optional'))
    : (info.placeholder ?? (info.defaultValue !== undefined ? `${info.defaultValue.replace(/\n/g, ', ')} (default)` : info.required ? '' : 'optional'));
  if (info.choices) {
    // A fixed list (client authentication): a select, with "unset" first when the setting may be left out.
    const described = notesFor(areaId, p.error, help);
    return (
      <div className={p.error ? 'field field-invalid' : 'field'}>
        <label htmlFor={areaId}>{info.label}</label>
        <select id={areaId} className="input mono" value={p.value} onChange={(e) => p.onChange(e.target.value)} aria-invalid={p.error ? true : undefined} aria-describedby={described}>
          {info.required ? null : <option value="">{info.placeholder ?? 'default'}</option>}
          {info.choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <FieldNotes id={areaId} error={p.error} hint={help} />
      </div>
    );
  }
  if (info.secret && info.multiline) {
    // A PEM key: pasted, or read from a file here in the window; never shown back once stored.
    const multilineHint = p.stored ? p.keptHint : help;
    const described = notesFor(areaId, p.error, multilineHint);
    return (
      <div className={p.error ? 'field field-invalid' : 'field'}>
        <label htmlFor={areaId}>{info.label}</label>
        <textarea id={areaId} className="input textarea mono" rows={3} value={p.value} disabled={p.removing} onChange={(e) => p.onChange(e.target.value)} placeholder={placeholder} spellCheck={false} autoComplete="off" aria-invalid={p.error ? true : undefined} aria-describedby={described} />
        <input
          type="file"
          aria-label={`Read the ${settingShortWords(info).toLowerCase()} from a file`}
          disabled={p.removing}
          onChange={(e) => {
            const file = e.target.files?.[0];
            // A key is a few KiB: a bigger file is not one, and checkSetting refuses it with its own words.
            if (file) void file.slice(0, 64 * 1024).text().then(p.onChange);
          }}
        />
        <FieldNotes id={areaId} error={p.error} hint={multilineHint} />
        {!info.required && p.stored ? <Checkbox label={`Remove the stored ${settingShortWords(info)}`} checked={p.removing} onChange={p.onRemove} /> : null}
      </div>
    );
  }
  if (info.repeatable) {
    // One FIELD=path per line (the CLI's repeatable flag): a text area, same look as a field.
    // Labelled by id (a wrapping label would take the typed lines into its name), described by its
    // error and its help: the help says the FIELD=PATH syntax, still needed while fixing a line.
    const described = notesFor(areaId, p.error, help);
    return (
      <div className={p.error ? 'field field-invalid' : 'field'}>
        <label htmlFor={areaId}>{info.label}</label>
        <textarea id={areaId} className="input textarea mono" rows={3} value={p.value} onChange={(e) => p.onChange(e.target.value)} placeholder={placeholder} spellCheck={false} aria-invalid={p.error ? true : undefined} aria-describedby={described} />
        <FieldNotes id={areaId} error={p.error} hint={help} />
      </div>
    );
  }
  return (
    <>
      <Field
        label={info.label}
        mono
        type={info.secret ? 'password' : 'text'}
        value={p.value}
        disabled={p.removing}
        onChange={(e) => p.onChange(e.target.value)}
        error={p.error}
        hint={info.secret && p.stored ? p.keptHint : p.redirect ? (
            <>
              {help} Register <span className="mono selectable">{p.redirect.uri}</span>{p.redirect.anyPort ? ' (any port)' : ''} at the provider.
            </>
          ) : help}
        placeholder={placeholder}
        autoComplete={info.secret ? 'new-password' : 'off'}
        spellCheck={false}
      />
      {info.secret && !info.required && p.stored ? <Checkbox label={`Remove the stored ${settingShortWords(info)}`} checked={p.removing} onChange={p.onRemove} /> : null}
    </>
  );
}

function RemoveButton({ env, onDone }: { env: EnvironmentView; onDone: () => void }) {
  const store = useDeskStore();
  return (
    <Button
      variant="danger"
      onClick={() => {
        onDone();
        store.getState().setDialog({
          kind: 'confirm',
          title: `Remove ${env.name}?`,
          body: removeDialogText(env.identities.length),
          confirmLabel: `Remove ${env.name}`,
          danger: true,
          onConfirm: async () => {
            await store.getState().api.removeEnvironment({ id: env.id });
            await store.getState().refresh();
            store.getState().toast('success', `Removed ${env.name}`);
          },
        });
      }}
    >
      Remove…
    </Button>
  );
}

/** The removal warning, in words that fit the count ("its 0 identities" read oddly). */
export function removeDialogText(identities: number): string {
  const what =
    identities === 0 ? 'the environment and its keys' : identities === 1 ? 'the environment, its identity and its secrets' : `the environment, its ${identities} identities and their secrets`;
  return `This signs nobody out on the server, but deletes ${what} from this computer's keychain.`;
}
