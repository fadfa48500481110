import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from './extension-browser.mjs';

/**
 * Takes a full-page screenshot (so the page must render), and writes it over
 * the README's image in docs/ only when asked: `SCREENSHOTS=1 npm run test:e2e`.
 * Those images are tracked files, which a test run leaves unchanged.
 * @param {import('playwright-core').Page} page @param {string} name
 * @returns {Promise<Buffer>}
 */
export async function readmeScreenshot(page, name) {
  const image = await page.screenshot({ fullPage: true });
  if (process.env.SCREENSHOTS === '1') writeFileSync(resolve(ROOT, 'docs', name), image);
  return image;
}
