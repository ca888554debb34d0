/** Light, dark, or whatever the OS says (the default). Kept in localStorage: a preference, not a secret. */
export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_KEY = 'tokendesk.theme';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
export const themeLabel: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

export function readTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

/** Sets data-theme on <html> (styles.css switches color-scheme on it); 'system' removes it. */
export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement): void {
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

export function saveTheme(choice: ThemeChoice): void {
  try {
    if (choice === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, choice);
  } catch {
    /* storage disabled: the choice lasts for this page */
  }
  applyTheme(choice);
}

/** The next choice for a one-button toggle: system → light → dark → system. */
export function nextTheme(choice: ThemeChoice): ThemeChoice {
  return THEME_CHOICES[(THEME_CHOICES.indexOf(choice) + 1) % THEME_CHOICES.length]!;
}
