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

module.exports = { base, contextWithCard };
