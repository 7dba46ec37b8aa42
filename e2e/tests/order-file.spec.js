// "Vérifier un fichier": the order file is checked in the browser, in a worker, nothing sent.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const { base, contextWithCard } = require('./cards');

const { execFileSync } = require('node:child_process');

const examples = path.resolve(__dirname, '../../schemas/examples');
const tom = process.env.TOM_BIN || path.resolve(__dirname, '../../target/debug/tom');

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

test('un gros fichier est lu en deux parties ; une erreur ou un porteur présent dans les deux est signalé', async ({ browser }) => {
  // 10 000 operations, about 9 MB: read in pieces by two workers, each its half.
  const file = path.join(os.tmpdir(), 'commande-10000.xml');
  execFileSync(tom, ['order', 'generate', '--lines', '10000', '--seed', '7', '-o', file]);
  const xml = fs.readFileSync(file, 'utf8');
  expect(xml.length).toBeGreaterThan(8 << 20);
  const context = await contextWithCard(browser, null);
  const page = await context.newPage();
  const check = async (name, text) => {
    const f = path.join(os.tmpdir(), name);
    fs.writeFileSync(f, text);
    await page.goto(base() + '/verifier-un-fichier');
    await page.getByLabel('choisissez un fichier').setInputFiles(f);
  };
  await check('commande-10000.xml', xml);
  await expect(page.getByText('Le fichier est valide.')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/commande-10000\.xml : 10000 opération\(s\)/)).toBeVisible();
  // The first card request's matricule given again to the last one (in the other half).
  const first = xml.indexOf('<matricule>', xml.indexOf('<demandeCarte>'));
  const matricule = xml.slice(first + '<matricule>'.length, xml.indexOf('</matricule>', first));
  const last = xml.indexOf('<matricule>', xml.lastIndexOf('<demandeCarte>'));
  const end = xml.indexOf('</matricule>', last);
  const twice = xml.slice(0, last) + `<matricule>${matricule}` + xml.slice(end);
  await check('commande-porteur-en-double.xml', twice);
  await expect(page.getByText(/Le fichier contient des erreurs : 1 erreur\(s\)/)).toBeVisible({ timeout: 60_000 });
  const rows = page.getByRole('table', { name: /Erreurs du fichier/ }).getByRole('row');
  await expect(rows.nth(1)).toContainText('porteur_en_double');
  await expect(rows.nth(1)).toContainText(`matricule ${matricule}`);
  // A postal code broken near the end: found by the helper, reported at its line.
  const at = xml.lastIndexOf('<codePostal>');
  const broken = xml.slice(0, at) + '<codePostal>750' + xml.slice(at + '<codePostal>'.length + 4);
  const before = broken.slice(0, at).split('\n');
  const line = before.length;
  const column = before[before.length - 1].length + 1;
  await check('commande-code-postal.xml', broken);
  await expect(page.getByText(/Le fichier contient des erreurs : 1 erreur\(s\)/)).toBeVisible({ timeout: 60_000 });
  await expect(rows.nth(1)).toContainText('format_invalide');
  await expect(rows.nth(1).getByRole('cell').first()).toHaveText(`${line}:${column}`);
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
