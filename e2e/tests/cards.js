// A browser context presenting one of the generated test cards, as a browser with the card's
// certificate imported would.
const path = require('node:path');

const fs = require('node:fs');

const base = () => process.env.TOM_BASE_URL;
const manifest = () => JSON.parse(fs.readFileSync(path.join(process.env.TOM_E2E_DATA, 'pki', 'cards', 'manifest.json'), 'utf8'));

// `pkcs12: true` presents the card's .p12 file with its passphrase, as a user imports it.
async function contextWithCard(browser, card, { pkcs12 = false } = {}) {
  const options = { ignoreHTTPSErrors: true, locale: 'fr-FR' };
  if (card) {
    const dir = path.join(process.env.TOM_E2E_DATA, 'pki', 'cards');
    options.clientCertificates = [pkcs12
      ? { origin: base(), pfxPath: path.join(dir, `${card}.p12`), passphrase: manifest().passphrase }
      : { origin: base(), certPath: path.join(dir, `${card}.pem`), keyPath: path.join(dir, `${card}.key`) }];
  }
  return browser.newContext(options);
}

// Letters only, different on every run (names must be letters; the server is shared by tests).
const tag = () => String(Date.now()).slice(-7).replace(/\d/g, (d) => 'ABCDEFGHIJ'[d]);

// A browser presenting `card`, logged in from the home page ("Se connecter avec ma carte").
async function loggedIn(browser, card, options = {}) {
  const { expect } = require('@playwright/test');
  const context = await contextWithCard(browser, card);
  const page = await context.newPage();
  if (options.viewport) await page.setViewportSize(options.viewport);
  await page.goto(base() + '/');
  await expect(page.getByText('Votre carte est reconnue.')).toBeVisible();
  await page.getByRole('button', { name: 'Se connecter avec ma carte' }).click();
  await expect(page.getByRole('heading', { name: /Bienvenue/ })).toBeVisible();
  return { context, page };
}

module.exports = { base, contextWithCard, loggedIn, tag };
