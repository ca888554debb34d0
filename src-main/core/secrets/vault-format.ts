import type * as NodeCrypto from 'node:crypto';

/**
 * node:crypto on first use, not when this module loads: the CLI's token fast path (vault-peek.ts)
 * loads it while the keychain answers instead of before asking (loading it takes 3–4 ms of a 100 ms
 * process). process.getBuiltinModule: Node 20.16+, 22.3+ (Electron 39 ships Node 22).
 */
export const nodeCrypto = (): typeof NodeCrypto => process.getBuiltinModule('node:crypto');

/**
 * The vault file: `TDVAULT` + a format-version byte + the folder id (12 bytes) + (format 2) the
 * generation (4 bytes, big-endian) + a nonce (12 bytes), then the AES-256-GCM ciphertext of the
 * whole secret map and its 16-byte tag.
 *
 * Associated data = magic + version + folder id + generation + the folder's keychain service name, so:
 * - a vault copied from another config folder fails here: that folder's key (a different folder id,
 *   or another service name bound in) cannot open it (a folder copied whole, its service record
 *   with it, uses the original's key: service-record.ts);
 * - a vault sealed under an earlier data key of this folder (one kept from before a start-over) has
 *   another folder id and is told apart from a damaged file;
 * - a flipped, cut or appended byte fails the GCM tag;
 * - an older vault of the same folder and key put back in place (a rollback: a session signed out
 *   since, a refresh token spent since) carries a lower generation than the one kept with the data
 *   key in the keychain, and the generation cannot be edited without the key (vault.ts compares them).
 * Format 1 (no generation field) is read as generation 0; every write makes format 2.
 */
export const VAULT_VERSION = 2;
const MAGIC = Buffer.from('TDVAULT', 'ascii');
const FOLDER_ID_BYTES = 12;
const GENERATION_BYTES = 4;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Where the nonce starts: after the folder id (format 1) or after the generation (format 2). */
const nonceAt = (version: number) => MAGIC.length + 1 + FOLDER_ID_BYTES + (version >= 2 ? GENERATION_BYTES : 0);
/** Generations count writes; 2^32 − 1 is some 490,000 years of hourly renewals. */
export const MAX_GENERATION = 0xffff_ffff;

/**
 * The one keychain item of a config folder: a random 256-bit key, the folder id it seals for, and
 * the generation of the last vault written with it (absent in items of earlier versions: 0).
 */
export interface DataKey {
  key: Buffer;
  folderId: Buffer;
  generation?: number;
}

/** What openVault gives: the content and the generation sealed into the file (0 for format 1). */
export type OpenedVault = VaultContent & { generation: number };

export interface VaultContent {
  entries: Map<string, string>;
}

export type VaultFault = 'truncated' | 'not-a-vault' | 'future-version' | 'other-folder' | 'tampered' | 'bad-content';

export class VaultFormatError extends Error {
  constructor(
    readonly fault: VaultFault,
    readonly version?: number,
  ) {
    super(`vault ${fault}`);
    this.name = 'VaultFormatError';
  }
}

export function newDataKey(): DataKey {
  const { randomBytes } = nodeCrypto();
  return { key: randomBytes(32), folderId: randomBytes(FOLDER_ID_BYTES), generation: 0 };
}

/**
 * ~100 bytes of JSON: far below Windows' 2,560-byte credential blob limit. `v` stays 1: an earlier
 * TokenDesk reads the item as before (it ignores `g`), so it can still say its vault is too new.
 */
export function encodeDataKey(k: DataKey): string {
  return JSON.stringify({ v: 1, k: k.key.toString('base64'), f: k.folderId.toString('base64'), g: k.generation ?? 0 });
}

const isGeneration = (g: unknown): g is number => typeof g === 'number' && Number.isInteger(g) && g >= 0 && g <= MAX_GENERATION;

/** `undefined` for an item that is not a data key this version can use (never a crash). */
export function decodeDataKey(text: string): DataKey | undefined {
  try {
    const o = JSON.parse(text) as { v?: unknown; k?: unknown; f?: unknown; g?: unknown };
    if (o.v !== 1 || typeof o.k !== 'string' || typeof o.f !== 'string') return undefined;
    // An item written before generations existed has none: 0, the generation of its format-1 vault.
    if (o.g !== undefined && !isGeneration(o.g)) return undefined;
    const key = Buffer.from(o.k, 'base64');
    const folderId = Buffer.from(o.f, 'base64');
    if (key.length !== 32 || folderId.length !== FOLDER_ID_BYTES) return undefined;
    return { key, folderId, generation: o.g ?? 0 };
  } catch {
    return undefined;
  }
}

/** Everything before the nonce (the generation included) and the service name. */
function associatedData(header: Buffer, version: number, service: string): Buffer {
  return Buffer.concat([header.subarray(0, nonceAt(version)), Buffer.from(service, 'utf8')]);
}

/** Seals `content` as generation `generation` (vault.ts: one more than the last one written). */
export function sealVault(content: VaultContent, k: DataKey, service: string, generation = k.generation ?? 0): Buffer {
  if (!isGeneration(generation)) throw new RangeError('vault generation out of range');
  const { createCipheriv, randomBytes } = nodeCrypto();
  const gen = Buffer.alloc(GENERATION_BYTES);
  gen.writeUInt32BE(generation);
  const header = Buffer.concat([MAGIC, Buffer.from([VAULT_VERSION]), k.folderId, gen, randomBytes(NONCE_BYTES)]);
  const nonce = header.subarray(nonceAt(VAULT_VERSION));
  const plain = Buffer.from(
    JSON.stringify({ entries: Object.fromEntries(content.entries) }),
    'utf8',
  );
  const cipher = createCipheriv('aes-256-gcm', k.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(header, VAULT_VERSION, service));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}

/**
 * The header alone: what can be said about a file without its key. The generation is only claimed
 * here; openVault proves it (it is in the associated data).
 */
export function readHeader(bytes: Buffer): { version: number; folderId: Buffer; generation: number; headerBytes: number } {
  if (bytes.length < MAGIC.length + 1) throw new VaultFormatError(bytes.length === 0 ? 'truncated' : 'not-a-vault');
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new VaultFormatError('not-a-vault');
  const version = bytes[MAGIC.length]!;
  if (version > VAULT_VERSION) throw new VaultFormatError('future-version', version);
  if (version !== 1 && version !== 2) throw new VaultFormatError('not-a-vault');
  const headerBytes = nonceAt(version) + NONCE_BYTES;
  if (bytes.length < headerBytes + TAG_BYTES) throw new VaultFormatError('truncated');
  const idAt = MAGIC.length + 1;
  const generation = version >= 2 ? bytes.readUInt32BE(idAt + FOLDER_ID_BYTES) : 0;
  return { version, folderId: bytes.subarray(idAt, idAt + FOLDER_ID_BYTES), generation, headerBytes };
}

export function openVault(bytes: Buffer, k: DataKey, service: string): OpenedVault {
  const { createDecipheriv, timingSafeEqual } = nodeCrypto();
  const { version, folderId, generation, headerBytes } = readHeader(bytes);
  if (!timingSafeEqual(folderId, k.folderId)) throw new VaultFormatError('other-folder');
  const header = bytes.subarray(0, headerBytes);
  const nonce = header.subarray(nonceAt(version));
  const decipher = createDecipheriv('aes-256-gcm', k.key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(header, version, service));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  let plain: Buffer;
  try {
    // GCM is a stream cipher: update() gives every byte and final() only checks the tag (no copy).
    plain = decipher.update(bytes.subarray(headerBytes, bytes.length - TAG_BYTES));
    decipher.final();
  } catch {
    throw new VaultFormatError('tampered');
  }
  return { ...parseContent(plain), generation };
}

function parseContent(plain: Buffer): VaultContent {
  let json: unknown;
  try {
    json = JSON.parse(plain.toString('utf8'));
  } catch {
    throw new VaultFormatError('bad-content');
  }
  const o = json as { entries?: unknown } | null;
  if (typeof o !== 'object' || o === null || typeof o.entries !== 'object' || o.entries === null) throw new VaultFormatError('bad-content');
  const entries = new Map<string, string>();
  const record = o.entries as Record<string, unknown>;
  // Object.keys, not Object.entries: no pair array per entry (a third of the open time at 100 identities).
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (typeof value !== 'string') throw new VaultFormatError('bad-content');
    entries.set(key, value);
  }
  return { entries };
}
