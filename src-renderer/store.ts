import { createContext, createElement, useContext, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { AppState, EnvironmentView, IdentityView, ImportResult, VariableView } from '../src-main/contract/types.js';
import { errorCode, errorMessage, type DeskApi } from './api/types.js';
import { readTheme, saveTheme, type ThemeChoice } from './lib/theme.js';

export type ToastKind = 'success' | 'error' | 'info';
/** Notifications shown at once; an older one gives way to a newer one. */
export const MAX_TOASTS = 2;
export interface ToastItem {
  id: number;
  kind: ToastKind;
  text: string;
  /** A second line (e.g. when the clipboard clears). */
  detail?: string;
  /** Toasts of one slot (every copy) are one toast that updates in place instead of a stack. */
  slot?: string;
  /** Bumped on each update in place: restarts the toast's timer. */
  rev: number;
}

export type DialogState =
  | { kind: 'add-env' }
  | { kind: 'edit-env'; envId: string }
  /** A project environment copied to the user's own (issue 24). */
  | { kind: 'copy-env'; envId: string }
  | { kind: 'import-result'; result: ImportResult }
  | { kind: 'endpoint' }
  | { kind: 'endpoint-allow'; envId: string; name: string; userAgent: string }
  | { kind: 'confirm'; title: string; body: string; confirmLabel: string; danger?: boolean; onConfirm: () => void | Promise<void> };

export interface SignInTarget {
  envId: string;
  email?: string;
  mode: 'signin' | 'signup';
  /** Opened from "Remember password": the checkbox starts ticked. */
  remember?: boolean;
}

export interface DeskState {
  api: DeskApi;
  app?: AppState;
  /** Set when the first getState failed: the app shows it with a Retry button instead of a blank page. */
  loadError?: string;
  /** The contract's code for loadError ('unauthorized': the web page lacks this run's secret). */
  loadErrorCode?: string;
  /** main-process clock minus ours, so countdowns agree with the core. */
  clockOffset: number;
  selectedEnvId?: string;
  /** The sign-in form opened explicitly for an environment (it is also shown when there is no identity). */
  signIn?: SignInTarget;
  variables: { envId?: string; identityId?: string; list: VariableView[]; error?: string };
  toasts: ToastItem[];
  dialog: DialogState | null;
  paletteOpen: boolean;
  /**
   * Copies of all variables and exports with secrets carry the Supabase refresh token only when this is
   * ticked: it is single-use, and a tool that spends a copy ends TokenDesk's own session. Not persisted.
   */
  includeRefreshToken: boolean;
  theme: ThemeChoice;
  /** Bumped by the palette's "Reveal token": the token panel reveals (or hides) the active token. */
  revealRequest: number;

  refresh(): Promise<void>;
  select(envId: string): void;
  openSignIn(target: SignInTarget | undefined): void;
  loadVariables(envId: string, force?: boolean): Promise<void>;
  toast(kind: ToastKind, text: string, detail?: string, opts?: { slot?: string }): void;
  dismissToast(id: number): void;
  setDialog(d: DialogState | null): void;
  setPalette(open: boolean): void;
  setIncludeRefreshToken(v: boolean): void;
  setTheme(t: ThemeChoice): void;
  requestReveal(): void;
}

const SELECTED_KEY = 'tokendesk.selectedEnv';

function remembered(): string | undefined {
  try {
    return localStorage.getItem(SELECTED_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export type DeskStore = StoreApi<DeskState>;

export function createDeskStore(api: DeskApi): DeskStore {
  let inFlight: Promise<void> | undefined;
  let again = false;
  let toastSeq = 0;

  return createStore<DeskState>()((set, get) => ({
    api,
    clockOffset: 0,
    variables: { list: [] },
    toasts: [],
    dialog: null,
    paletteOpen: false,
    includeRefreshToken: false,
    theme: readTheme(),
    revealRequest: 0,

    /** Re-reads the state; bursts of events coalesce into at most one extra read. */
    refresh() {
      if (inFlight) {
        again = true;
        return inFlight;
      }
      const run = async (): Promise<void> => {
        do {
          again = false;
          try {
            const app = await api.getState({});
            const envs = app.environments;
            const cur = get().selectedEnvId ?? remembered();
            const selectedEnvId = envs.some((e) => e.id === cur) ? cur : envs[0]?.id;
            set({ app, loadError: undefined, loadErrorCode: undefined, clockOffset: app.now - Date.now(), selectedEnvId });
          } catch (e) {
            if (!get().app) set({ loadError: errorMessage(e), loadErrorCode: errorCode(e) });
            else get().toast('error', 'Could not refresh the state', errorMessage(e));
          }
        } while (again);
      };
      inFlight = run().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },

    select(envId) {
      try {
        localStorage.setItem(SELECTED_KEY, envId);
      } catch {
        /* not essential */
      }
      set({ selectedEnvId: envId, signIn: undefined });
    },

    openSignIn(target) {
      set({ signIn: target });
    },

    async loadVariables(envId, force = false) {
      const env = get().app?.environments.find((e) => e.id === envId);
      const identityId = env?.activeIdentityId;
      const cur = get().variables;
      if (!force && cur.envId === envId && cur.identityId === identityId && !cur.error) return;
      try {
        const list = await api.listVariables({ envId });
        set({ variables: { envId, identityId, list } });
      } catch (e) {
        set({ variables: { envId, identityId, list: [], error: errorMessage(e) } });
      }
    },

    toast(kind, text, detail, opts) {
      const slot = opts?.slot;
      set((s) => {
        const same = slot !== undefined ? s.toasts.find((t) => t.slot === slot) : undefined;
        if (same) {
          // Same place, same id: the toast updates where it is (and its timer restarts).
          return { toasts: s.toasts.map((t) => (t === same ? { id: t.id, kind, text, detail, slot, rev: t.rev + 1 } : t)) };
        }
        // The same message again replaces the old toast instead of stacking a twin. Newest first, and
        // at most MAX_TOASTS: a pile of them hid the panel the user was working in (issue 25).
        const others = s.toasts.filter((t) => t.text !== text || t.detail !== detail);
        return { toasts: [{ id: ++toastSeq, kind, text, detail, slot, rev: 0 }, ...others.slice(0, MAX_TOASTS - 1)] };
      });
    },
    dismissToast(id) {
      set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
    },
    setDialog(dialog) {
      set({ dialog });
    },
    setPalette(paletteOpen) {
      set({ paletteOpen });
    },
    setIncludeRefreshToken(includeRefreshToken) {
      set({ includeRefreshToken });
    },
    setTheme(theme) {
      saveTheme(theme);
      set({ theme });
    },
    requestReveal() {
      set((s) => ({ revealRequest: s.revealRequest + 1 }));
    },
  }));
}

const StoreContext = createContext<DeskStore | null>(null);

export function StoreProvider({ store, children }: { store: DeskStore; children: ReactNode }) {
  return createElement(StoreContext.Provider, { value: store }, children);
}

export function useDeskStore(): DeskStore {
  const s = useContext(StoreContext);
  if (!s) throw new Error('StoreProvider is missing');
  return s;
}

export function useDesk<T>(selector: (s: DeskState) => T): T {
  return useStore(useDeskStore(), selector);
}

// ----------------------------------------------------------------- selectors

export function selectedEnv(s: DeskState): EnvironmentView | undefined {
  return s.app?.environments.find((e) => e.id === s.selectedEnvId);
}

export function activeIdentity(env: EnvironmentView | undefined): IdentityView | undefined {
  if (!env) return undefined;
  return env.identities.find((i) => i.id === env.activeIdentityId) ?? env.identities.find((i) => i.active);
}

/** Stable empty values: a selector must not return a fresh [] on every call. */
const NO_ENVS: EnvironmentView[] = [];
const NO_VARS: VariableView[] = [];

export function environments(s: DeskState): EnvironmentView[] {
  return s.app?.environments ?? NO_ENVS;
}

export function variablesOf(envId: string | undefined) {
  return (s: DeskState): VariableView[] => (envId !== undefined && s.variables.envId === envId ? s.variables.list : NO_VARS);
}
