import { isDeepStrictEqual } from 'node:util';
import { findNodeAtLocation, getNodeValue, parseTree, type JSONPath, type Node } from 'jsonc-parser';
import { TokenDeskError } from '../errors.js';
import { parseJson } from '../text/parse-json.js';
import { parseProjectFile } from './read.js';
import type { ProjectEnvironment } from './schema.js';

/** The fields of a project environment the app edits; `undefined` leaves one as it is, `null` removes it. */
export type ProjectEnvironmentPatch = { [K in keyof ProjectEnvironment]?: ProjectEnvironment[K] | null };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** How new text is laid out where it goes: the file's own line ending and indentation unit. */
interface Style {
  eol: string;
  unit: string;
}

/** The file's indentation unit (its first indented line): 2 spaces, 4, or a tab. */
function styleOf(text: string): Style {
  const m = /\n([ \t]+)\S/.exec(text);
  const unit = !m ? '  ' : m[1]!.startsWith('\t') ? '\t' : m[1]!;
  return { eol: text.includes('\r\n') ? '\r\n' : '\n', unit };
}

const end = (n: Node): number => n.offset + n.length;
const oneLine = (text: string, n: Node): boolean => !/[\r\n]/.test(text.slice(n.offset, end(n)));
const isObject = (v: unknown): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The whitespace a line starts with: where a new multi-line value's lines are indented from. */
function lineIndent(text: string, offset: number): string {
  const start = Math.max(text.lastIndexOf('\n', offset - 1) + 1, 0);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** A value as the file would hold it: on one line (`{ "a": "b" }`, `["a", "b"]`) or indented over several. */
function render(value: Json, inline: boolean, indent: string, style: Style): string {
  if (!inline) return JSON.stringify(value, null, style.unit).split('\n').join(style.eol + indent);
  if (Array.isArray(value)) return `[${value.map((v) => render(v, true, indent, style)).join(', ')}]`;
  if (isObject(value)) {
    const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${render(v, true, indent, style)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

const splice = (text: string, from: number, to: number, insert: string): string => text.slice(0, from) + insert + text.slice(to);

/** A key added after its last sibling, laid out like its siblings (their separator, their colon, their indentation). */
function insertProperty(text: string, obj: Node, key: string, value: Json, style: Style): string {
  const props = obj.children ?? [];
  const last = props.at(-1);
  if (!last) {
    // An empty object: inline when what holds it is on one line, else indented one step in from it.
    const holder = obj.parent?.parent;
    const indent = lineIndent(text, obj.offset);
    if (holder && oneLine(text, holder)) return splice(text, obj.offset + 1, end(obj) - 1, ` ${JSON.stringify(key)}: ${render(value, true, indent, style)} `);
    const inner = indent + style.unit;
    return splice(text, obj.offset + 1, end(obj) - 1, `${style.eol}${inner}${JSON.stringify(key)}: ${render(value, false, inner, style)}${style.eol}${indent}`);
  }
  const before = props.at(-2);
  const sep = before ? text.slice(end(before), last.offset) : `,${text.slice(obj.offset + 1, last.offset)}`;
  const [k, v] = last.children!;
  const colon = text.slice(end(k!), v!.offset);
  const inline = !/[\r\n]/.test(sep);
  return splice(text, end(last), end(last), `${sep}${JSON.stringify(key)}${colon}${render(value, inline, lineIndent(text, last.offset), style)}`);
}

/** A key taken out with its comma and the space before it, so its siblings keep their lines. */
function removeProperty(text: string, prop: Node): string {
  const obj = prop.parent!;
  const props = obj.children!;
  const i = props.indexOf(prop);
  if (props.length === 1) return splice(text, obj.offset + 1, end(obj) - 1, '');
  if (i > 0) return splice(text, end(props[i - 1]!), end(prop), '');
  return splice(text, prop.offset, props[1]!.offset, '');
}

/**
 * One value set (or removed, `undefined`) in the text, touching only its span. An object given for an
 * object is set key by key, so an unchanged key keeps its spelling and a one-line object stays one line.
 * The tree is read again after each change: every edit sees the offsets and siblings as they now are.
 */
function setValue(text: string, path: JSONPath, value: Json | undefined, style: Style): string {
  const node = findNodeAtLocation(parseTree(text)!, path);
  if (value === undefined) return node ? removeProperty(text, node.parent!) : text;
  if (!node) {
    const holder = findNodeAtLocation(parseTree(text)!, path.slice(0, -1));
    if (holder?.type !== 'object') throw new TokenDeskError('invalid_input', 'The project file does not have the shape TokenDesk expects: it was not changed');
    return insertProperty(text, holder, String(path.at(-1)), value, style);
  }
  if (isObject(value) && node.type === 'object') {
    const had = (node.children ?? []).map((p) => p.children![0]!.value as string);
    let out = text;
    for (const [k, v] of Object.entries(value)) out = setValue(out, [...path, k], v, style);
    for (const k of had) if (!(k in value)) out = setValue(out, [...path, k], undefined, style);
    return out;
  }
  if (isDeepStrictEqual(getNodeValue(node), value)) return text;
  return splice(text, node.offset, end(node), render(value, oneLine(text, node), lineIndent(text, node.offset), style));
}

/**
 * The text of a project file with one environment changed, for the app's "edit in the file": only the
 * edited values change in the text (a value's span replaced, a new key beside its siblings in their
 * layout, a removed key with its comma), so the file keeps its line endings, indentation, key order,
 * one-line objects and arrays, and every field TokenDesk does not know, and a one-field edit is a
 * one-line diff. The result is checked as a reader checks it (the secret guard included) before it is
 * returned, so the app never writes a secret into a repository.
 */
export function patchedProjectText(file: string, text: string, name: string, patch: ProjectEnvironmentPatch): string {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  let body = text.slice(bom.length);
  if (!parseJson(body).ok) throw new TokenDeskError('invalid_input', `The project file ${file} is not valid JSON: it was not changed`);
  const list = findNodeAtLocation(parseTree(body)!, ['environments']);
  const index = (list?.type === 'array' ? list.children! : []).findIndex((e) => {
    const n = e.type === 'object' ? findNodeAtLocation(e, ['name'])?.value : undefined;
    return typeof n === 'string' && n.toLowerCase() === name.toLowerCase();
  });
  if (index < 0) throw new TokenDeskError('not_found', `The project file ${file} has no environment named "${name}" any more`);
  const style = styleOf(body);
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) body = setValue(body, ['environments', index, key], value === null ? undefined : (value as Json), style);
  }
  const out = bom + body;
  parseProjectFile(file, out);
  return out;
}
