import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../support/chromium.js';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}
