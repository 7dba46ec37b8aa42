// The back-office sees what it acts on: each row's order, holder, card and structure; the search
// by holder, structure or order number; the pages; each action confirmed, then its result said.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { test, expect } = require('@playwright/test');
const { base, loggedIn, tag } = require('./cards');

const STRUCTURE_A = '1940000011';
const examples = path.resolve(__dirname, '../../schemas/examples');
const tom = process.env.TOM_BIN || path.resolve(__dirname, '../../target/debug/tom');

function writeTemp(name, content) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tom-e2e-')), name);
  fs.writeFileSync(file, content);
  return file;
}

// Mandataire A sends an order file from the deposit page; its number.
async function deposit(page, name, xml) {
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/deposer`);
  await page.getByLabel('Votre adresse électronique (émetteur de la commande)').fill('sophie.martin@example.fr');
  await page.getByLabel('choisissez un fichier').setInputFiles(writeTemp(name, xml));
  await expect(page.getByText('Le fichier est valide.')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Envoyer la commande' }).click();
  const href = await page.getByRole('link', { name: 'Suivre cette commande' }).getAttribute('href');
  return href.split('/').pop();
}

async function search(page, text) {
  await page.getByRole('searchbox', { name: 'Rechercher un porteur, une structure ou une commande' }).fill(text);
  await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
}

test('le back-office cherche, pagine, fait confirmer chaque action et en dit le résultat', async ({ browser }) => {
  const name = `BO${tag()}`;
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  // 80 generated operations for A (the card requests wait for the operator; the operations on
  // existing cards are applied at once), and one CPE for Mme <name> Hélène.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tom-e2e-')), 'commande-55.xml');
  execFileSync(tom, ['order', 'generate', '--lines', '80', '--seed', '11', '-o', file]);
  const big = fs.readFileSync(file, 'utf8')
    .replace(/<finess>\d+<\/finess>/, '<finess>940000011</finess>')
    .replace(/<referenceEmetteur>[^<]*<\/referenceEmetteur>/, `<referenceEmetteur>GROS-${name}</referenceEmetteur>`);
  const bigOrder = await deposit(page, 'commande-55.xml', big);
  const waiting = (big.match(/<demandeCarte>/g) || []).length;
  expect(waiting).toBeGreaterThan(50);
  const one = fs.readFileSync(path.join(examples, 'modele-commande-cpe.xml'), 'utf8')
    .replace('<finess>760021832</finess>', '<finess>940000011</finess>')
    .replace('PHARMA-2026-001', `REF-${name}`)
    .replace('<nomNaissance>LOUIN</nomNaissance>', `<nomNaissance>${name}</nomNaissance>`)
    .replace('<prenoms>Julie</prenoms>', '<prenoms>Hélène</prenoms>')
    .replace('<matricule>000000018</matricule>', `<matricule>${name}</matricule>`);
  const order = await deposit(page, 'commande-1.xml', one);

  const op = await loggedIn(browser, 'operateur');
  await op.page.goto(base() + '/back-office');
  const p = op.page;
  const table = p.getByRole('table', { name: "Back-office du service d'émission" });
  const result = p.getByRole('status', { name: 'Résultat de la dernière action' });

  // By order number: its card requests, 50 on the first page, the rest on the second.
  await search(p, bigOrder);
  await expect(p.getByText(`${waiting} ligne(s) — page 1`)).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(51);
  await p.getByRole('button', { name: 'Page suivante' }).click();
  await expect(p.getByText(`${waiting} ligne(s) — page 2`)).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(waiting - 50 + 1);
  await expect(p.getByRole('button', { name: 'Page suivante' })).toHaveCount(0);
  await p.getByRole('button', { name: 'Page précédente' }).click();
  await expect(p.getByText(`${waiting} ligne(s) — page 1`)).toBeVisible();

  // By the holder's name, without its capitals and accents: the row says who, what, where.
  await search(p, `${name.toLowerCase()} helene`);
  await expect(p.getByText('1 ligne(s) — page 1')).toBeVisible();
  const row = table.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText(`Mme ${name} Hélène`);
  await expect(row).toContainText('Demande de carte (CPE)');
  await expect(row).toContainText('CENTRE HOSPITALIER DE DEMONSTRATION A');
  await expect(row).toContainText(`Référence REF-${name}`);
  await expect(row.getByRole('link', { name: order })).toHaveAttribute('href', `/espace/commandes/${order}`);

  // Nothing happens before it is confirmed; cancelled, the line is as it was.
  await row.getByRole('button', { name: 'Accepter' }).click();
  await expect(row.getByText(`Confirmer l'acceptation de la ligne 1 de la commande ${order} (${name} Hélène) ?`)).toBeVisible();
  await expect(row.getByRole('button', { name: 'Confirmer' })).toBeFocused();
  await row.getByRole('button', { name: 'Annuler' }).click();
  await expect(row.getByRole('button', { name: 'Confirmer' })).toHaveCount(0);
  await expect(row).toContainText('Soumise');

  // A rejection without a reason: the server's French message, the line stays.
  await row.getByRole('button', { name: 'Rejeter' }).click();
  await row.getByRole('button', { name: 'Confirmer' }).click();
  await expect(result).toContainText('Indiquez le motif du rejet');
  await expect(row).toContainText('Soumise');

  // Accepted, then fabricated: each result said, with the card's serial number.
  await row.getByRole('button', { name: 'Accepter' }).click();
  await row.getByRole('button', { name: 'Confirmer' }).click();
  await expect(result).toHaveText(`Ligne 1 de la commande ${order} acceptée.`);
  await expect(row).toContainText('Acceptée');
  await row.getByRole('button', { name: 'Fabriquer la carte' }).click();
  await row.getByRole('button', { name: 'Confirmer' }).click();
  await expect(result).toContainText(`Ligne 1 de la commande ${order} : carte fabriquée, n° de série `);
  await expect(row).toContainText('Carte fabriquée');

  // A line rejected leaves the queue; what was done is still said.
  await search(p, bigOrder);
  await expect(p.getByText(`${waiting} ligne(s) — page 1`)).toBeVisible();
  const first = table.getByRole('row').nth(1);
  const line = (await first.getByRole('cell').first().innerText()).match(/Ligne (\d+)/)[1];
  await first.getByLabel('Motif du rejet').fill('Doublon de la commande précédente');
  await first.getByRole('button', { name: 'Rejeter' }).click();
  await first.getByRole('button', { name: 'Confirmer' }).click();
  await expect(result).toHaveText(`Ligne ${line} de la commande ${bigOrder} refusée : motif « Doublon de la commande précédente ».`);
  await expect(p.getByText(`${waiting - 1} ligne(s) — page 1`)).toBeVisible();
  await expect(result).toHaveText(`Ligne ${line} de la commande ${bigOrder} refusée : motif « Doublon de la commande précédente ».`);

  await op.context.close();
  await context.close();
});
