/**
 * The web shell writes its own clipboard. Clearing is best effort: only if the clipboard still holds
 * what we copied (reading may be denied, in which case we leave it alone rather than erase
 * something the user copied since).
 */
const timers = new Set<ReturnType<typeof setTimeout>>();

export async function writeClipboard(text: string, clearsInSeconds: number | null, onCleared?: (cleared: boolean) => void): Promise<void> {
  if (!navigator.clipboard?.writeText) throw new Error('This browser does not allow writing the clipboard here (it needs http://127.0.0.1 or https)');
  await navigator.clipboard.writeText(text);
  if (clearsInSeconds === null || clearsInSeconds <= 0) return;
  const timer = setTimeout(() => {
    timers.delete(timer);
    void clearIfUnchanged(text).then((cleared) => onCleared?.(cleared));
  }, clearsInSeconds * 1000);
  timers.add(timer);
}

async function clearIfUnchanged(text: string): Promise<boolean> {
  try {
    const now = await navigator.clipboard.readText();
    if (now !== text) return false;
    await navigator.clipboard.writeText('');
    return true;
  } catch {
    return false;
  }
}

export function cancelClipboardTimers(): void {
  for (const t of timers) clearTimeout(t);
  timers.clear();
}

/** Saves a file from the web shell: a Blob behind a temporary download link. */
export function downloadFile(fileName: string, content: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
