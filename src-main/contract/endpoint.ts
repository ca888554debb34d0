/**
 * The local credential endpoint as the window and the CLI see it (core/endpoint/). Pure types: the
 * preload and the renderer import them.
 */

/** One call to the endpoint, as its access log keeps it: never a token, never the secret. */
export interface EndpointLogEntry {
  /** Epoch ms. */
  time: number;
  /** The route asked for (/v1/token…), or what was refused before routing. */
  route: string;
  status: number;
  /** The caller's User-Agent (sanitised, cut short); '' when it sent none. */
  userAgent: string;
  /** The environment named in the call (as given, cut short), when there was one. */
  env?: string;
  /** The identity served (its label), or the one named in the call. */
  identity?: string;
  /** The error code of a refusal (unauthorized, production_not_allowed, session_expired…). */
  code?: string;
  /** The call came with a scoped secret (tokendesk exec's, for one command): what it was made for, e.g. `exec node`. Never the secret. */
  scoped?: string;
}

export interface EndpointView {
  url: string;
  port: number;
  /** Served by this app right now. */
  running: boolean;
  /** Why it is not served (the port is taken, the keychain is locked…). */
  error?: string;
  /** Masked, or the secret itself when asked for with `reveal`. */
  secret: string;
  revealed: boolean;
  /** The most recent calls first. */
  log: EndpointLogEntry[];
  /** Why the access log is not being written (a full disk, a read-only folder): calls are answered all the same. */
  logError?: string;
  /** Production environments served only after the user allowed them: those allowed so far. */
  allowedProduction: Array<{ envId: string; name: string }>;
}

/** A production environment was asked for and refused: the window asks the user whether to allow it. */
export interface EndpointProductionAsk {
  envId: string;
  name: string;
  userAgent: string;
}
