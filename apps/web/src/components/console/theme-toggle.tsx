'use client';

import { useEffect, useState } from 'react';

type Theme = 'light' | 'dark';
import { themeStorageKey as storageKey } from './theme-script';

function currentTheme(): Theme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Light/dark switch; without a saved choice the console follows prefers-color-scheme. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme | null>(null);
  useEffect(() => setTheme(currentTheme()), []);
  const toggle = () => {
    const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    window.localStorage.setItem(storageKey, next);
    setTheme(next);
  };
  // The button names what a click does; showing the current theme ("Light theme") read as the action.
  const next = theme === null ? null : theme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" className="button-secondary" onClick={toggle} data-testid="theme-toggle"
      aria-label={next ? `Switch to ${next} theme` : 'Switch theme'}>
      {next === 'light' ? '☀ Light' : next === 'dark' ? '☾ Dark' : 'Theme'}
    </button>
  );
}
