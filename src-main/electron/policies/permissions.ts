/**
 * The app needs no web permission (no camera, notifications from the page, clipboard from the page,
 * geolocation…): every request and check is denied.
 */
export function denyPermissionRequest(
  _webContents: unknown,
  _permission: string,
  callback: (granted: boolean) => void,
): void {
  callback(false);
}

export function denyPermissionCheck(): boolean {
  return false;
}
