/**
 * Marking a copied secret so clipboard history, cloud sync and clipboard managers skip it: extra
 * clipboard formats written together with the text, which those tools look for.
 *  - macOS: org.nspasteboard.ConcealedType and TransientType (http://nspasteboard.org: presence
 *    of the type is the mark; password managers and clipboard managers honour it).
 *  - Windows: ExcludeClipboardContentFromMonitorProcessing (present), and CanIncludeInClipboardHistory
 *    / CanUploadToCloudClipboard as a DWORD 0 (Windows 10 1809+ clipboard history and cloud clipboard;
 *    https://learn.microsoft.com/windows/win32/dataxchg/clipboard-formats#cloud-clipboard-and-clipboard-history-formats).
 *  - Linux: x-kde-passwordManagerHint = "secret" (KDE Klipper skips it; wl-copy --sensitive sets it).
 *
 * Electron 39 cannot write them WITH the text: every clipboard.write*() call is its own
 * ui::ScopedClipboardWriter, which replaces the whole clipboard when it commits (see
 * shell/common/api/electron_api_clipboard.cc, WriteText and WriteBuffer, at v39.8.9), so
 * writeText then writeBuffer leaves only the marker, and clipboard.write({ text }) takes no raw
 * formats (electron/electron#41462, #11838). Only an atomic multi-format write can carry them — the
 * W3C-style clipboard.write([ClipboardItem]) with `electron application/osclipboard;format="…"`
 * entries (electron/electron#51707, Electron 44+). Until the app runs on such a version the marks
 * are not written; the text is never traded for them.
 */
export interface ClipboardFormat {
  format: string;
  data: Buffer;
}

const dwordZero = () => Buffer.alloc(4, 0);

export function concealmentFormats(platform: NodeJS.Platform): ClipboardFormat[] {
  switch (platform) {
    case 'darwin':
      return [
        { format: 'org.nspasteboard.ConcealedType', data: Buffer.alloc(0) },
        { format: 'org.nspasteboard.TransientType', data: Buffer.alloc(0) },
      ];
    case 'win32':
      return [
        { format: 'ExcludeClipboardContentFromMonitorProcessing', data: dwordZero() },
        { format: 'CanIncludeInClipboardHistory', data: dwordZero() },
        { format: 'CanUploadToCloudClipboard', data: dwordZero() },
      ];
    case 'linux':
    case 'freebsd':
    case 'openbsd':
      return [{ format: 'x-kde-passwordManagerHint', data: Buffer.from('secret', 'utf8') }];
    default:
      return [];
  }
}
