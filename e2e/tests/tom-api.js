// Calls of TOM's API as the SPA makes them, for the arrangements of end-to-end scenarios (a
// card ordered and fabricated, a decision): what each scenario checks goes through the pages.
const fs = require('node:fs');
const path = require('node:path');
const { expect } = require('@playwright/test');
const { base } = require('./cards');

const STRUCTURE_A = '1940000011';
const MODEL = fs.readFileSync(path.join(__dirname, '../../schemas/examples/modele-commande-cpe.xml'), 'utf8');

// A call of TOM's API from a logged-in page, as the SPA makes it (CSRF token, same origin).
async function api(page, method, url, data, headers = {}) {
  const me = await (await page.request.get(base() + '/api/me')).json();
  const response = await page.request.fetch(base() + url, {
    method,
    data,
    headers: { 'x-csrf-token': me.csrf_token, origin: base(), ...headers },
  });
  return response;
}

// A CPE for A ordered by file, accepted and fabricated by the operator: its serial and its
// PKCS#12 with the PIN of its letter.
async function fabricatedCard(mandataire, operator, name, matricule = name) {
  const xml = MODEL.replaceAll('760021832', '940000011').replace('PHARMA-2026-001', name)
    .replaceAll('000000018', matricule).replace('<nomNaissance>LOUIN', `<nomNaissance>${name}`);
  const sent = await api(mandataire, 'POST', `/api/structures/${STRUCTURE_A}/orders`, xml,
    { 'content-type': 'application/xml', 'idempotency-key': `cle-${name}-${matricule}`, 'x-order-source': 'fichier' });
  expect(sent.status(), await sent.text()).toBe(201);
  const order = (await sent.json()).order.id;
  for (const action of ['accepter', 'fabriquer']) {
    const r = await api(operator, 'POST', `/api/operator/lines/${order}/1/${action}`);
    expect(r.status(), await r.text()).toBe(200);
  }
  const line = await (await api(operator, 'GET', `/api/orders/${order}`)).json();
  const serial = line.lines[0].card.serial;
  const pfx = await (await operator.request.get(`${base()}/api/operator/lines/${order}/1/carte.p12`)).body();
  const pdf = (await (await operator.request.get(`${base()}/api/operator/lines/${order}/1/courrier-codes.pdf`)).body()).toString('latin1');
  const pin = pdf.match(/Code porteur \\\(PIN\\\) : (\d{4})/)[1];
  return { serial, pfx, pin };
}

module.exports = { api, fabricatedCard, MODEL, STRUCTURE_A };
