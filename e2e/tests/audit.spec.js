// The audit journal as the legal representative meets it: an order deposited, the journal of
// the structure shows it, and the CSV download opens as French Excel reads it. A mandataire is
// told the journal is the legal representative's.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const { base, contextWithCard, loggedIn, tag } = require('./cards');

const STRUCTURE_A = '1940000011';
const examples = path.resolve(__dirname, '../../schemas/examples');

test("le représentant légal voit la commande dans le journal et télécharge le CSV", async ({ browser }) => {
  const name = `JOURNAL${tag()}`;
  const reference = `REF-${name}`;
  const order = fs.readFileSync(path.join(examples, 'modele-commande-cpe.xml'), 'utf8')
    .replace('<finess>760021832</finess>', '<finess>940000011</finess>')
    .replace('PHARMA-2026-001', reference)
    .replace('<nomNaissance>LOUIN</nomNaissance>', `<nomNaissance>${name}</nomNaissance>`)
    .replace('<matricule>000000018</matricule>', `<matricule>${name}</matricule>`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tom-e2e-')), 'journal.xml');
  fs.writeFileSync(file, order);

  const { context, page } = await loggedIn(browser, 'representant-legal-a');
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/deposer`);
  await page.getByLabel('Votre adresse électronique (émetteur de la commande)').fill('claire.durand@example.fr');
  await page.getByLabel('choisissez un fichier').setInputFiles(file);
  await page.getByRole('button', { name: 'Envoyer la commande' }).click();
  await expect(page.getByText('Commande enregistrée.')).toBeVisible();

  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}`);
  await page.getByRole('link', { name: "Journal d'audit de la structure" }).click();
  await expect(page.getByRole('heading', { name: "Journal d'audit" })).toBeVisible();
  await expect(page).toHaveTitle("Journal d'audit — TOM");
  await page.getByLabel('Action').selectOption({ label: 'Commande soumise' });
  const row = page.getByRole('row').filter({ hasText: 'Commande soumise' }).first();
  await expect(row).toContainText('représentant légal');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Télécharger le journal filtré/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^journal-${STRUCTURE_A}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const bytes = fs.readFileSync(await download.path());
  // As Excel opens it: UTF-8 with a byte-order mark, ";" between cells, CRLF between rows.
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = bytes.toString('utf8').slice(1).split('\r\n').filter((r) => r).map((r) => r.split(';'));
  expect(rows[0].slice(0, 4)).toEqual(['N°', 'Date (heure de Paris)', 'Action', 'Objet']);
  const mine = rows.find((r) => r.join(';').includes(reference));
  expect(mine, 'la commande déposée est dans le fichier').toBeTruthy();
  expect(mine[2]).toBe('Commande soumise');
  expect(mine[1]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
  expect(rows.slice(1).every((r) => r[2] === 'Commande soumise')).toBe(true);
  await context.close();
});

test("un mandataire apprend que le journal est réservé au représentant légal", async ({ browser }) => {
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}`);
  await expect(page.getByRole('link', { name: "Journal d'audit de la structure" })).toHaveCount(0);
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/journal`);
  await expect(page.getByText('Réservé au représentant légal de la structure.')).toBeVisible();
  await context.close();
});
