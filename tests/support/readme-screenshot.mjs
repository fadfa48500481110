import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isFirefox } from './driver.mjs';
import { ROOT } from './extension-browser.mjs';

/**
 * Takes a full-page screenshot (so the page must render), and writes it over
 * the README's image in docs/ only when asked: `SCREENSHOTS=1 npm run test:e2e`.
 * Those images are tracked files, which a test run leaves unchanged; they are
 * Chromium's (a Firefox run renders them, and writes nothing).
 * @param {import('playwright-core').Page} page @param {string} name
 * @returns {Promise<Buffer>}
 */
export async function readmeScreenshot(page, name) {
  const image = await page.screenshot({ fullPage: true });
  if (process.env.SCREENSHOTS === '1' && !isFirefox) writeFileSync(resolve(ROOT, 'docs', name), image);
  return image;
}

/**
 * The Chrome Web Store wants screenshots of exactly 1280×800: when asked
 * (SCREENSHOTS=1), the given images are laid side by side on the icon's indigo
 * in a page of that size, in the same browser, and written to docs/store/.
 * @param {import('playwright-core').BrowserContext} context @param {Buffer[]} images @param {string} name
 */
export async function storeScreenshot(context, images, name) {
  if (process.env.SCREENSHOTS !== '1' || isFirefox) return; // the Chrome Web Store's, from Chromium
  const page = await context.newPage();
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    const tags = images.map((image) => `<img src="data:image/png;base64,${image.toString('base64')}" style="max-height:760px;box-shadow:0 8px 32px #0006;border-radius:8px">`);
    await page.setContent(`<body style="margin:0;height:800px;display:flex;gap:48px;align-items:center;justify-content:center;background:#2a2f8f">${tags.join('')}</body>`);
    await page.screenshot({ path: resolve(ROOT, 'docs/store', name) });
  } finally {
    await page.close();
  }
}

/**
 * A page's top 1280×800, for the Chrome Web Store, written to docs/store/ only
 * when asked (SCREENSHOTS=1); the page's viewport is given back afterwards.
 * @param {import('playwright-core').Page} page @param {string} name
 */
export async function storeViewportScreenshot(page, name) {
  if (process.env.SCREENSHOTS !== '1' || isFirefox) return;
  const before = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: resolve(ROOT, 'docs/store', name) });
  if (before) await page.setViewportSize(before);
}
