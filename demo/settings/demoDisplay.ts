import { useEffect } from 'react';
import { en } from '../../src/react.js';
import type { Locale } from '../../src/react.js';
import { de } from '../../src/react/locales/de.js';
import { zhCN } from '../../src/react/locales/zh-CN.js';
import type { LanguageSetting, ThemeSetting } from './demoSettings.js';

const LOCALES: Readonly<Record<LanguageSetting, Locale>> = { en, de, 'zh-CN': zhCN };

export function localeOf(language: LanguageSetting): Locale {
  return LOCALES[language];
}

/**
 * The theme as data-theme on <html>, where both the widget's variables and the page's read it;
 * 'system' removes it, so prefers-color-scheme decides.
 */
export function useDocumentTheme(theme: ThemeSetting): void {
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}
