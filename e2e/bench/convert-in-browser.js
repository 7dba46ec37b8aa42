// Measures the conversion of a filled spreadsheet template in Chromium: the SPA's validation Web
// Worker (wasm), as the page "Déposer une commande" drives it, is given the XLSX (or CSV) and
// converts it to the XML order (message {file, sheet: true, header} → 'table'); the XML is then
// sent back to the worker to be checked like a file ({file: Blob(xml), today} → 'result', valid
// expected). The page /verifier-un-fichier is only opened for the worker's URL (no login).
// Five runs, each on a freshly loaded page and worker; prints each run, then the medians:
// `median_convert_s=C` (post → 'table') and `median_total_s=T` (post → 'result': conversion,
// JSON, XML blob and check).
//
//   node e2e/bench/convert-in-browser.js https://127.0.0.1:18556 /tmp/commande-10000.xlsx [runs]
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('@playwright/test');

// The order's header, as the page fills it from the logged-in card and the structure.
const HEADER = {
  structure_kind: 'finess',
  structure_value: '940000011',
  issuer_national_id: null,
  issuer_last_name: 'MARTIN',
  issuer_first_name: 'Sophie',
  issuer_email: 's@example.fr',
  reference: 'TABLEUR-BANC',
  created_at: '2026-01-05T10:00:00Z',
};

async function main() {
  const [base, file, runsArg] = process.argv.slice(2);
  if (!base || !file) {
    console.error('usage : node convert-in-browser.js URL_DE_BASE FICHIER.xlsx [mesures]');
    process.exit(2);
  }
  const runs = Number(runsArg || 5);
  const sheet = path.resolve(file);
  const size = fs.statSync(sheet).size;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const measured = { convert: [], total: [], check: [] };
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
      await page.setInputFiles('#banc', sheet);
      const r = await page.evaluate(async (header) => {
        const url = document.querySelector('meta[name="tom-worker"]').content;
        const file = document.getElementById('banc').files[0];
        const worker = new Worker(url, { type: 'module' });
        // As on the page, the worker (and its helper) start before the file is chosen.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const d = new Date();
        const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
        const ask = (message, type) => new Promise((resolve, reject) => {
          worker.onmessage = (e) => {
            if (e.data.type === type) resolve(e.data);
            else if (e.data.type === 'error') reject(new Error(e.data.message));
          };
          worker.onerror = (e) => reject(new Error(e.message));
          worker.postMessage(message);
        });
        const started = performance.now();
        const table = await ask({ file, sheet: true, header: JSON.stringify(header) }, 'table');
        const converted_at = performance.now();
        const conversion = JSON.parse(table.json);
        if (!conversion.converted) {
          worker.terminate();
          return { failed: JSON.stringify(conversion.error) };
        }
        const xml = conversion.converted.xml;
        const blob = new Blob([xml], { type: 'application/xml' });
        const result = await ask({ file: blob, today }, 'result');
        const ended = performance.now();
        worker.terminate();
        const outcome = JSON.parse(result.json);
        return {
          convert: converted_at - started,
          total: ended - started,
          check: result.millis,
          lines: conversion.converted.lines.length,
          xmlBytes: blob.size,
          valid: outcome.valid,
          operations: outcome.operations,
          firstError: outcome.errors && outcome.errors[0],
        };
      }, HEADER);
      if (r.failed) throw new Error(`conversion refusée dans le navigateur : ${r.failed}`);
      if (!r.valid) {
        throw new Error(`la commande convertie est jugée invalide dans le navigateur : ${JSON.stringify(r.firstError)}`);
      }
      if (r.operations !== r.lines) {
        throw new Error(`${r.lines} lignes converties mais ${r.operations} opérations vérifiées`);
      }
      measured.convert.push(r.convert / 1000);
      measured.total.push(r.total / 1000);
      measured.check.push(r.check / 1000);
      console.log(`mesure ${i}/${runs} : ${r.lines} lignes (${(size / 1e6).toFixed(2)} Mo de tableur, `
        + `${(r.xmlBytes / 1e6).toFixed(1)} Mo de XML) : conversion ${(r.convert / 1000).toFixed(3)} s, `
        + `conversion et vérification ${(r.total / 1000).toFixed(3)} s (vérification ${(r.check / 1000).toFixed(3)} s)`);
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
  const convert = median(measured.convert);
  const total = median(measured.total);
  console.log(`${path.basename(sheet)} : médianes sur ${runs} mesures : conversion ${convert.toFixed(3)} s, `
    + `conversion et vérification ${total.toFixed(3)} s`);
  console.log(`median_check_s=${median(measured.check)}`);
  console.log(`median_convert_s=${convert}`);
  console.log(`median_total_s=${total}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
