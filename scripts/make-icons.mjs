#!/usr/bin/env node
/**
 * Renders the extension's icons and the Chrome Web Store promo tile from their
 * SVG sources in docs/store/ (run by hand after changing a source; the PNGs
 * are committed, so a build needs neither a browser nor this script):
 *
 *   docs/store/icon.svg                -> public/icon/{16,32,48,96,128}.png
 *   docs/store/promo-small-440x280.svg -> docs/store/promo-small-440x280.png
 *
 * WXT puts public/icon/<size>.png into the manifest's `icons` by itself.
 * The SVGs stay out of public/ so that they are not shipped in the extension.
 * Uses Debian's Chromium (never a downloaded browser), headless, offline.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, QUIET_FLAGS } from '../tests/support/extension-browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const storeDir = path.join(root, 'docs/store');
const iconDir = path.join(root, 'public/icon');

/**
 * Transparent margin per size. Chrome's image guidelines ask for 96×96 of art
 * inside the 128×128 store icon; the toolbar sizes stay full-bleed so that the
 * dot and ring remain legible at 16 px.
 */
const ICON_PADDING = { 16: 0, 32: 1, 48: 2, 96: 8, 128: 16 };

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: QUIET_FLAGS });

try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const iconSvg = await readFile(path.join(storeDir, 'icon.svg'));
  const iconUrl = `data:image/svg+xml;base64,${iconSvg.toString('base64')}`;

  for (const [size, padding] of Object.entries(ICON_PADDING).map(([s, p]) => [Number(s), p])) {
    const art = size - 2 * padding;
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<body style="margin:0;background:transparent"><img src="${iconUrl}" width="${art}" height="${art}" style="display:block;margin:${padding}px"></body>`,
    );
    await page.locator('img').evaluate((img) => img.decode());
    const file = path.join(iconDir, `${size}.png`);
    await page.screenshot({ path: file, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    console.log(`wrote ${path.relative(root, file)}`);
  }

  // The tile refers to icon.svg beside it: open it from its own folder.
  await page.setViewportSize({ width: 440, height: 280 });
  await page.goto(pathToFileURL(path.join(storeDir, 'promo-small-440x280.svg')).href);
  await page.evaluate(() => Promise.all([...document.images].map((image) => image.decode?.().catch(() => {}))));
  const tile = path.join(storeDir, 'promo-small-440x280.png');
  await page.screenshot({ path: tile, clip: { x: 0, y: 0, width: 440, height: 280 } });
  console.log(`wrote ${path.relative(root, tile)}`);
} finally {
  await browser.close();
}
