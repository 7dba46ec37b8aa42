// Measures the order-file check in Chromium: the SPA's validation Web Worker (wasm), as the page
// "Vérifier un fichier" runs it, is given the file and reports its durations: the total from the
// start to the verdict, reading the file included (what the page shows), and the time spent
// validating in each worker (the file is read in pieces, a large one in two parts by two
// workers). Five runs, each on a freshly loaded page; prints each run, then the medians:
// `median_s=T` (total), `median_busy_s=B` (the busier worker: the time if reading were instant)
// and `median_work_s=W` (both workers' validation time added).
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
  const runs_ = { total: [], busy: [], work: [] };
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR' });
    for (let i = 1; i <= runs; i++) {
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`erreur de la page : ${e.message}`));
      await page.goto(base.replace(/\/$/, '') + '/verifier-un-fichier');
      // A file input of our own: the page's would start its own check.
      await page.evaluate(() => {
        const input = document.createElement('input');
        input.type = 'file';
        input.id = 'banc';
        input.hidden = true;
        document.body.appendChild(input);
      });
      await page.setInputFiles('#banc', xml);
      const r = await page.evaluate(async () => {
        const url = document.querySelector('meta[name="tom-worker"]').content;
        const file = document.getElementById('banc').files[0];
        const worker = new Worker(url, { type: 'module' });
        // As on the page, the worker (and its helper) start before the file is chosen.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const d = new Date();
        const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
        const result = await new Promise((resolve, reject) => {
          worker.onmessage = (e) => {
            if (e.data.type === 'result') resolve(e.data);
            else if (e.data.type === 'error') reject(new Error(e.data.message));
          };
          worker.onerror = (e) => reject(new Error(e.message));
          worker.postMessage({ file, today });
        });
        worker.terminate();
        const outcome = JSON.parse(result.json);
        return { millis: result.millis, busy: result.busy, valid: outcome.valid, operations: outcome.operations };
      });
      if (!r.valid) throw new Error('le fichier est jugé invalide dans le navigateur');
      const total = r.millis / 1000;
      const busy = Math.max(...r.busy) / 1000;
      const work = r.busy.reduce((a, b) => a + b, 0) / 1000;
      runs_.total.push(total);
      runs_.busy.push(busy);
      runs_.work.push(work);
      console.log(`mesure ${i}/${runs} : ${r.operations} opérations, ${(size / 1e6).toFixed(1)} Mo en ${total.toFixed(3)} s `
        + `(validation : ${r.busy.map((b) => (b / 1000).toFixed(3)).join(' s + ')} s)`);
      await page.close();
    }
    await context.close();
  } finally {
    await browser.close();
  }
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const total = median(runs_.total);
  console.log(`${path.basename(xml)} (${(size / 1e6).toFixed(1)} Mo) : médiane ${total.toFixed(3)} s sur ${runs} mesures, `
    + `${(size / 1e6 / total).toFixed(0)} Mo/s, lecture du fichier comprise`);
  console.log(`median_busy_s=${median(runs_.busy)}`);
  console.log(`median_work_s=${median(runs_.work)}`);
  console.log(`median_s=${total}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
