import { IPC_CALL_CHANNEL, type ApiResult } from '../contract/api.js';
import type { AppService } from '../core/app/types.js';
import { createElectronDispatch, runCall, type Dispatch, type ShellActions } from './dispatch.js';
import { failure } from '../shell-common/envelope.js';
import type { IpcSenderLike } from './policies/navigation.js';

/** The slice of Electron's ipcMain used here (mocked in tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSenderLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface RegisterIpcOptions {
  /** Sender check (isTrustedSender bound to the app's URL). */
  isTrustedSender(event: IpcSenderLike): boolean;
  shell: ShellActions;
  /** Called with the method name only (never the input) when a call is refused. */
  onRefused?(reason: string): void;
}

export async function handleIpcCall(
  dispatch: Dispatch,
  opts: Pick<RegisterIpcOptions, 'isTrustedSender' | 'onRefused'>,
  event: IpcSenderLike,
  method: unknown,
  input: unknown,
): Promise<ApiResult<unknown>> {
  if (!opts.isTrustedSender(event)) {
    opts.onRefused?.('untrusted sender');
    return failure('forbidden', 'This request did not come from the TokenDesk window.');
  }
  const r = await runCall(dispatch, method, input);
  if (!r.ok && r.error.code === 'invalid_input') opts.onRefused?.(`invalid call to ${typeof method === 'string' ? method.slice(0, 60) : typeof method}`);
  return r;
}

/** Registers the single call channel; returns a function that removes it. */
export function registerIpc(ipcMain: IpcMainLike, service: AppService, opts: RegisterIpcOptions): () => void {
  const dispatch = createElectronDispatch(service, opts.shell);
  ipcMain.handle(IPC_CALL_CHANNEL, (event, method, input) => handleIpcCall(dispatch, opts, event, method, input));
  return () => ipcMain.removeHandler(IPC_CALL_CHANNEL);
}
