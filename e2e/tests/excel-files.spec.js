// Spreadsheets as real establishments save them (../shared/cases/files), converted in the
// browser page as the README of the cases says: a CSV in Windows-1252 keeps its Š, a workbook in
// the 1904 date system keeps the birth date Excel shows, and no control character reaches the XML.
const fs = require('node:fs');
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const { base, loggedIn } = require('./cards');

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
