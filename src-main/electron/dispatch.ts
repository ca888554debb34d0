import type { ApiMethod, ApiOutput, ApiParsedInput, ApiResult } from '../contract/api.js';
import { isApiMethod, parseCall } from '../contract/api.js';
import type { AppService } from '../core/app/types.js';
import { errorEnvelope, failure } from '../shell-common/envelope.js';

/**
 * What the Electron shell does itself around the core: the clipboard is written in main (the page
 * never holds the secret), exports go through a save dialog, links through the guarded opener.
 */
export interface ShellActions {
  writeClipboard(text: string, clearsInSeconds: number | null): void;
  saveFile(fileName: string, content: string): Promise<string | undefined>;
  /** openExternalSafely bound to the allow-list. */
  openLinkSafely(url: string): Promise<boolean>;
  /** The native open dialog for a project file: the chosen path, undefined when cancelled. */
  chooseProjectFile(): Promise<string | undefined>;
}

export type Dispatch = <M extends ApiMethod>(method: M, input: ApiParsedInput<M>) => Promise<ApiOutput<M>>;

export function createElectronDispatch(service: AppService, shell: ShellActions): Dispatch {
  const dispatch = async (method: ApiMethod, input: unknown): Promise<unknown> => {
    switch (method) {
      case 'copy':
      case 'copyEndpointSecret': {
        const r = await (method === 'copy' ? service.handle('copy', input as ApiParsedInput<'copy'>) : service.handle('copyEndpointSecret', {}));
        const { text, ...rest } = r;
        if (typeof text === 'string') shell.writeClipboard(text, r.clearsInSeconds);
        return rest;
      }
      case 'saveExport': {
        const r = await service.handle('saveExport', input as ApiParsedInput<'saveExport'>);
        const { content, fileName, ...rest } = r;
        if (typeof content !== 'string') return rest;
        const savedTo = await shell.saveFile(fileName ?? 'tokendesk-export.txt', content);
        return savedTo === undefined ? { ...rest, fileName } : { ...rest, fileName, savedTo };
      }
      case 'openProjectFile': {
        const path = await shell.chooseProjectFile();
        return path === undefined ? {} : service.handle('linkProjectFile', { path });
      }
      case 'openExternal':
        return { opened: await shell.openLinkSafely((input as ApiParsedInput<'openExternal'>).url) };
      default:
        return service.handle(method, input as never);
    }
  };
  return dispatch as Dispatch;
}

/**
 * One untrusted call, start to end: method name and input validated against the contract before
 * anything runs; the answer is always an envelope. Shared by IPC (and usable by any shell).
 */
export async function runCall(dispatch: Dispatch, method: unknown, input: unknown): Promise<ApiResult<unknown>> {
  if (!isApiMethod(method)) {
    return failure('invalid_input', `Unknown request${typeof method === 'string' ? ` "${method.slice(0, 60)}"` : ''}.`);
  }
  const parsed = parseCall(method, input);
  if (!parsed.ok) return failure('invalid_input', parsed.message);
  try {
    return { ok: true, value: await dispatch(method, parsed.value) };
  } catch (e) {
    return errorEnvelope(e);
  }
}
