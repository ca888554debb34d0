/**
 * A sign-in is a flow of steps (issue 20): the provider says what it needs next — fields to fill, a
 * URL to open and a callback to wait for, a device code to show while it polls — and the window, the
 * web bridge and the CLI render each step without knowing the provider. Pure data without runtime
 * imports: main, preload and renderer bundle it as is.
 */
import type { IdentityView } from './types.js';

/** How a field is typed and shown: `secret` fields are masked and never echoed or kept in renderer state. */
export type FlowFieldKind = 'email' | 'text' | 'password' | 'code' | 'token' | 'textarea' | 'checkbox';

export interface FlowField {
  /** The key of the answer (`email`, `password`, `code`, `token`, `remember`). */
  name: string;
  label: string;
  kind: FlowFieldKind;
  /** Masked, never echoed, never logged: passwords, codes, pasted tokens. */
  secret: boolean;
  /** An empty answer is refused before the flow sees it. */
  required: boolean;
  help?: string;
  placeholder?: string;
  /** The HTML autocomplete hint (`username`, `current-password`, `one-time-code`). */
  autocomplete?: string;
  /** Prefilled value (never for a secret field). */
  value?: string;
}

/** What a flow waits for now. Every step but `done` carries the flow's id, to continue or cancel it. */
export type FlowStepView =
  | { kind: 'done'; identity: IdentityView; warning?: string }
  | {
      kind: 'ask';
      flowId: string;
      title: string;
      message?: string;
      fields: FlowField[];
      submitLabel?: string;
      /** Why the previous answer was not taken (a wrong code): shown above the fields. */
      error?: string;
      /** Local-clock epoch ms when the flow gives up. */
      expiresAt: number;
    }
  | {
      kind: 'open-url';
      flowId: string;
      title: string;
      url: string;
      message: string;
      expiresAt: number;
      /** A value the user must take elsewhere while waiting (the redirect URL to allow at the provider): shown copyable. */
      copy?: FlowCopyable;
    }
  | {
      kind: 'device-code';
      flowId: string;
      title: string;
      userCode: string;
      verificationUrl: string;
      message: string;
      expiresAt: number;
    }
  | { kind: 'progress'; flowId: string; title: string; message: string; expiresAt: number; copy?: FlowCopyable };

/** A value shown beside a step for the user to copy (not a secret). */
export interface FlowCopyable {
  label: string;
  value: string;
}

/** Answers to an `ask` step, by field name. Checkboxes answer 'true' or 'false'. */
export type FlowAnswers = Record<string, string>;

/** A sign-in method as the UI offers it (declared in the provider catalogue). */
export interface SignInMethodInfo {
  /** Stable id, the CLI's `--method` value: `password`, `token`, `browser-session`. */
  id: string;
  /** Button/tab label in the window: "Email and password", "Paste a token". */
  label: string;
  /** One line under it. */
  summary: string;
  /** The fields of its first step, so the window can show them at once (a flow may ask more later). */
  fields: readonly FlowField[];
  /**
   * The setting naming the request field the `email` answer is sent in: when the environment sets it
   * to anything but `email`, that answer is any identifier (a user name), asked as text (settings.ts signInFields).
   */
  identifierSetting?: string;
  /**
   * One method per value of this setting (comma- or space-separated): `<id>:<value>`, labelled
   * `<label> <Value>`. Supabase's social sign-ins (`oauth:github`) are the environment's providers.
   * The method as declared is a template: contract/providers.ts signInMethodsOf expands it.
   */
  variantsFrom?: string;
  /**
   * Offered only when the environment sets this setting (a plain OAuth 2.0 server's endpoint for the
   * method: no authorization endpoint, no browser sign-in). contract/providers.ts signInMethodsOf drops it.
   */
  needsSetting?: string;
}

export const FLOW_DEFAULT_DEADLINE_MS = 10 * 60_000;
