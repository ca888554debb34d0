import { isMac, modKey } from './format.js';

export type Shell = 'electron' | 'web';

/**
 * The "copy the Authorization header" shortcut. In a browser Ctrl+Shift+C is Chromium's "inspect
 * element" and never reaches the page, so the web UI offers Alt+Shift+C (⌥⇧C) instead; the app has both.
 */
export function copyShortcut(shell: Shell | undefined): { label: string; aria: string } {
  if (shell === 'web') return { label: `${isMac ? '⌥' : 'Alt'}+Shift+C`, aria: 'Alt+Shift+C' };
  return { label: `${modKey}+Shift+C`, aria: isMac ? 'Meta+Shift+C' : 'Control+Shift+C' };
}

/** True for the copy shortcut in either form. `code`, not `key`: ⌥ on a Mac turns C into Ç. */
export function isCopyShortcut(e: Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'key' | 'code'>): boolean {
  if (!e.shiftKey) return false;
  const c = e.code === 'KeyC' || e.key.toLowerCase() === 'c';
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !e.altKey) return c;
  if (e.altKey && !mod) return c;
  return false;
}
