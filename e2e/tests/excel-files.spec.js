// Spreadsheets as real establishments save them (../shared/cases/files), converted in the
// browser page as the README of the cases says: a CSV in Windows-1252 keeps its Š, a workbook in
// the 1904 date system keeps the birth date Excel shows, and no control character reaches the XML.
const fs = require('node:fs');
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const os = require('node:os');
const { base, loggedIn, contextWithCard } = require('./cards');

const STRUCTURE_A = '1940000011';
const cases = path.resolve(__dirname, '../../../shared/cases/files');
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u0080-\u009F]/;

async function convertedXml(browser, file) {
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/deposer`);
  await page.getByLabel('Votre adresse électronique (émetteur de la commande)').fill('sophie.martin@example.fr');
  await page.getByLabel('choisissez un fichier').setInputFiles(path.join(cases, file));
  await expect(page.getByText('Le fichier est valide.')).toBeVisible();
  const [xml] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Télécharger le fichier XML produit' }).click(),
  ]);
  const text = fs.readFileSync(await xml.path(), 'utf8');
  await context.close();
  return text;
}

test('12-cp1252.csv : le lieu de naissance garde son Š, aucun caractère de contrôle', async ({ browser }) => {
  const xml = await convertedXml(browser, '12-cp1252.csv');
  expect(xml).toContain('<lieuNaissance>Šibenik</lieuNaissance>');
  expect(xml).not.toMatch(CONTROL);
});

test('11-date1904.xlsx : la date de naissance est celle que montre Excel', async ({ browser }) => {
  const xml = await convertedXml(browser, '11-date1904.xlsx');
  expect(xml).toContain('<dateNaissance>1988-04-09</dateNaissance>');
  expect(xml).not.toMatch(CONTROL);
});

for (const file of ['01-iso-8859-1.xml', '01b-iso-8859-1-ascii.xml']) {
  test(`${file} : déclaré ISO-8859-1, le fichier est valide`, async ({ browser }) => {
    const context = await contextWithCard(browser, null);
    const page = await context.newPage();
    await page.goto(base() + '/verifier-un-fichier');
    await page.getByLabel('choisissez un fichier').setInputFiles(path.join(cases, file));
    await expect(page.getByText('Le fichier est valide.')).toBeVisible();
    await context.close();
  });
}

test('un téléphone qu\'Excel a pris pour un nombre est signalé à sa ligne et à sa colonne, avec le remède', async ({ browser }) => {
  // The template's own CSV (titles from the case file), the phone without its leading zero and
  // the PIN-code address left empty (the card's address), as Excel saves it in Windows-1252.
  const lines = fs.readFileSync(path.join(cases, '12-cp1252.csv'), 'latin1').split('\r\n');
  const titles = lines[0].split(';');
  const values = lines[1].split(';');
  const phone = titles.findIndex((t) => t.replace(/"/g, '') === 'T\u00e9l\u00e9phone');
  expect(phone).toBeGreaterThan(0);
  values[phone] = '235000000';
  titles.forEach((t, i) => { if (t.startsWith('Codes')) values[i] = ''; });
  const file = path.join(os.tmpdir(), 'commande-telephone-nombre.csv');
  fs.writeFileSync(file, Buffer.from([lines[0], values.join(';'), ''].join('\r\n'), 'latin1'));
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/deposer`);
  await page.getByLabel('Votre adresse électronique (émetteur de la commande)').fill('sophie.martin@example.fr');
  await page.getByLabel('choisissez un fichier').setInputFiles(file);
  await expect(page.getByText(/Le fichier contient des erreurs : 1 erreur\(s\)/)).toBeVisible();
  const rows = page.getByRole('table', { name: /Erreurs du fichier/ }).getByRole('row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('2');
  await expect(rows.nth(1)).toContainText('Téléphone');
  await expect(rows.nth(1)).toContainText('format Texte');
  await expect(page.getByRole('button', { name: 'Envoyer la commande' })).toHaveCount(0);
  await context.close();
});
