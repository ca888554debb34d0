import { ConfigSchema, EnvironmentSchema, IdentitySchema, SettingsSchema, type Config } from './schema.js';

/**
 * Fields a newer TokenDesk of the same format version may have added, which this one does not know.
 * They are carried from the file into the next write unchanged, so writing never loses what another
 * version stored. Only fields read from the file are carried: a field some code adds is still dropped
 * by the schema (config.json has no place for a secret), and a carried field never replaces a known
 * one, which is always the validated value.
 */
type Fields = [key: string, value: unknown][];

export interface UnknownFields {
  top: Fields;
  settings: Fields;
  /** By environment id / identity id: an entry keeps its fields through renames and reordering. */
  environments: Map<string, Fields>;
  identities: Map<string, Fields>;
}

const knownKeys = (shape: object) => new Set(Object.keys(shape));
const KNOWN = {
  top: knownKeys(ConfigSchema.shape),
  settings: knownKeys(SettingsSchema.shape),
  environment: knownKeys(EnvironmentSchema.shape),
  identity: knownKeys(IdentitySchema.shape),
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownOf(value: unknown, known: ReadonlySet<string>): Fields {
  if (!isObject(value)) return [];
  return Object.keys(value)
    .filter((k) => !known.has(k))
    .map((k) => [k, value[k]]);
}

function byId(list: unknown, known: ReadonlySet<string>): Map<string, Fields> {
  const out = new Map<string, Fields>();
  if (!Array.isArray(list)) return out;
  for (const item of list) {
    const id = isObject(item) ? item.id : undefined;
    const fields = unknownOf(item, known);
    if (typeof id === 'string' && fields.length > 0 && !out.has(id)) out.set(id, fields);
  }
  return out;
}

/** The unknown fields of a parsed config.json (the JSON before the schema stripped them). */
export function unknownFields(json: unknown): UnknownFields {
  const top = isObject(json) ? json : {};
  return {
    top: unknownOf(top, KNOWN.top),
    settings: unknownOf(top.settings, KNOWN.settings),
    environments: byId(top.environments, KNOWN.environment),
    identities: byId(top.identities, KNOWN.identity),
  };
}

/** A copy of `target` with `fields` appended; defined, not assigned, so a `__proto__` key stays data. */
function withFields<T extends object>(target: T, fields: Fields | undefined): T {
  if (!fields || fields.length === 0) return target;
  const out = { ...target } as Record<string, unknown>;
  for (const [key, value] of fields) {
    if (Object.hasOwn(out, key)) continue;
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}

/** The validated config with the file's unknown fields put back, ready to be serialised. */
export function restoreUnknownFields(cfg: Config, extra: UnknownFields): object {
  return withFields(
    {
      ...cfg,
      environments: cfg.environments.map((e) => withFields(e, extra.environments.get(e.id))),
      identities: cfg.identities.map((i) => withFields(i, extra.identities.get(i.id))),
      settings: withFields(cfg.settings, extra.settings),
    },
    extra.top,
  );
}
