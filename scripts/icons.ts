// Renders public/favicon.svg into the PNG icons the web app manifest needs: `npx tsx scripts/icons.ts`.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
const svg = fs.readFileSync('public/favicon.svg', 'utf8');
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const [size, maskable] of [
  [192, false],
  [512, false],
  [512, true],
] as const) {
  const p = await b.newPage({ viewport: { width: size, height: size } });
  // Maskable icons need their content inside the centre 80% safe zone, on a full-bleed background.
  const inner = maskable
    ? `<div style="width:100vw;height:100vh;background:#2f5d8a;display:grid;place-items:center"><div style="width:70%;height:70%">${svg.replace('rx="14"', 'rx="0"')}</div></div>`
    : svg;
  await p.setContent(
    `<style>html,body{margin:0;background:transparent}svg{width:100%;height:100%;display:block}</style>${inner}`,
  );
  await p.screenshot({ path: `public/icons/icon-${size}${maskable ? '-maskable' : ''}.png`, omitBackground: true });
}
await b.close();
