// Light and dark themes: the system's preference (prefers-color-scheme) unless the user picked one,
// which is kept in localStorage. The stylesheet keys its colours on <html data-theme>; ag-grid reads
// the same CSS variables; Monaco and charts ask for the theme and listen for changes.
export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const KEY = 'sortkey.theme';
const listeners = new Set<(theme: Theme) => void>();
let media: MediaQueryList | undefined;

export function themeChoice(): ThemeChoice {
  const saved = localStorage.getItem(KEY);
  return saved === 'light' || saved === 'dark' ? saved : 'system';
}

/** The theme in effect now. */
export function currentTheme(): Theme {
  const choice = themeChoice();
  if (choice !== 'system') return choice;
  media ??= window.matchMedia('(prefers-color-scheme: dark)');
  return media.matches ? 'dark' : 'light';
}

function apply(): void {
  const theme = currentTheme();
  if (document.documentElement.dataset.theme === theme) return;
  document.documentElement.dataset.theme = theme;
  for (const l of listeners) l(theme);
}

export function setThemeChoice(choice: ThemeChoice): void {
  if (choice === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, choice);
  apply();
}

/** Applies the theme and follows the system's preference from now on. */
export function startTheme(): void {
  media ??= window.matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', apply);
  // Another window of the studio changed the choice.
  window.addEventListener('storage', (e) => {
    if (e.key === KEY) apply();
  });
  apply();
}

export function onThemeChange(listener: (theme: Theme) => void): void {
  listeners.add(listener);
}
