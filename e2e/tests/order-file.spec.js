// "Vérifier un fichier": the order file is checked in the browser, in a worker, nothing sent.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const { base, contextWithCard } = require('./cards');

const examples = path.resolve(__dirname, '../../schemas/examples');

test('un fichier valide est déclaré valide sans être envoyé au serveur', async ({ browser }) => {
  const context = await contextWithCard(browser, null);
  const page = await context.newPage();
  const uploads = [];
  page.on('request', (r) => { if (r.method() !== 'GET') uploads.push(r.url()); });
  await page.goto(base() + '/verifier-un-fichier');
  await page.getByLabel('choisissez un fichier').setInputFiles(path.join(examples, 'commande-complete.xml'));
  await expect(page.getByText('Le fichier est valide.')).toBeVisible();
  await expect(page.getByText(/commande-complete\.xml : \d+ opération\(s\)/)).toBeVisible();
  expect(uploads).toEqual([]);
  await context.close();
});

test('les erreurs sont listées avec leur ligne, triables et téléchargeables en CSV', async ({ browser }) => {
  const context = await contextWithCard(browser, null);
  const page = await context.newPage();
  await page.goto(base() + '/verifier-un-fichier');
  // Two errors in one file: a FINESS key and a postal code pattern.
  const good = fs.readFileSync(path.join(examples, 'commande-complete.xml'), 'utf8');
  const finess = good.match(/<finess>(\d{9})<\/finess>/)[1];
  const broken = good.replace(`<finess>${finess}</finess>`, `<finess>${finess.slice(0, 8)}${(Number(finess[8]) + 1) % 10}</finess>`)
    .replace(/<codePostal>\d{5}<\/codePostal>/, '<codePostal>75A01</codePostal>');
  const file = path.join(os.tmpdir(), 'commande-deux-erreurs.xml');
  fs.writeFileSync(file, broken);
  await page.getByLabel('choisissez un fichier').setInputFiles(file);
  await expect(page.getByText(/Le fichier contient des erreurs : 2 erreur\(s\)/)).toBeVisible();
  const rows = page.getByRole('table', { name: /Erreurs du fichier/ }).getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('finess_cle_invalide');
  await expect(rows.nth(2)).toContainText('format_invalide');
  // Sort by code, descending: format_invalide comes first.
  await page.getByRole('button', { name: 'Code' }).click();
  await page.getByRole('button', { name: 'Code' }).click();
  await expect(rows.nth(1)).toContainText('format_invalide');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Télécharger la liste des erreurs (CSV)' }).click(),
  ]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe('\ufeffligne;colonne;champ;code;gravité;message');
  expect(csv).toContain('"finess_cle_invalide"');
  expect(csv).toContain('"format_invalide"');
  await context.close();
});

test('le schéma XSD et le modèle de commande se téléchargent', async ({ browser }) => {
  const context = await contextWithCard(browser, null);
  const page = await context.newPage();
  await page.goto(base() + '/verifier-un-fichier');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Télécharger le schéma/ }).click(),
  ]);
  const xsd = fs.readFileSync(await download.path(), 'utf8');
  expect(xsd).toContain('targetNamespace="urn:tom:commande:v1"');
  await context.close();
});
