// Measures the order-file check in Chromium: the SPA's "Vérifier un fichier" page validates the
// file in its Web Worker (wasm); the duration is the one the page shows in its summary line
// "… opérations, X Mo vérifiés en Y s.". Five runs, each on a freshly loaded page; prints each
// run, then the median as the last line `median_s=Y`.
//
//   node e2e/bench/validate-in-browser.js https://127.0.0.1:18555 /tmp/commande-100000.xml [runs]
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('@playwright/test');

async function main() {
  const [base, file, runsArg] = process.argv.slice(2);
  if (!base || !file) {
    console.error('usage : node validate-in-browser.js URL_DE_BASE FICHIER.xml [mesures]');
    process.exit(2);
  }
  const runs = Number(runsArg || 5);
  const xml = path.resolve(file);
  const size = fs.statSync(xml).size;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const durations = [];
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR' });
    for (let i = 1; i <= runs; i++) {
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`erreur de la page : ${e.message}`));
      await page.goto(base.replace(/\/$/, '') + '/verifier-un-fichier');
      await page.getByLabel('choisissez un fichier').setInputFiles(xml);
      await page.getByText('Le fichier est valide.').waitFor({ timeout: 10 * 60 * 1000 });
      // « fichier.xml : 100000 opération(s), 93,2 Mo vérifiés en 2,36 s. » (French decimals)
      const summary = await page.getByText(/opération\(s\), [\d,]+ Mo vérifiés en [\d,]+ s\./).first().innerText();
      const m = summary.match(/(\d+) opération\(s\), ([\d,]+) Mo vérifiés en ([\d,]+) s\./);
      if (!m) throw new Error(`ligne de résumé illisible : ${summary}`);
      const seconds = Number(m[3].replace(',', '.'));
      durations.push(seconds);
      console.log(`mesure ${i}/${runs} : ${m[1]} opérations, ${m[2]} Mo en ${seconds.toFixed(2)} s`);
      await page.close();
    }
    await context.close();
  } finally {
    await browser.close();
  }
  const sorted = [...durations].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  console.log(`${path.basename(xml)} (${(size / 1e6).toFixed(1)} Mo) : médiane ${median.toFixed(2)} s sur ${runs} mesures, ${(size / 1e6 / median).toFixed(0)} Mo/s`);
  console.log(`median_s=${median}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
