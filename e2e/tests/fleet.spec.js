// The card fleet: found and filtered, charted; a card's page with its holder change seen in its
// history; an end of exercise after which that card's PKCS#12 is refused as revoked; a theft with
// replacement seen in the back-office; three cards renewed in one order; B does not see A's fleet.
const { test, expect } = require('@playwright/test');
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { execFileSync } = require('node:child_process');
const { base, contextWithCard, loggedIn, tag } = require('./cards');
const { api, fabricatedCard } = require('./tom-api');
const { readZip } = require('./zip');

const STRUCTURE_A = '1940000011';

async function openFleet(page) {
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}`);
  await page.getByRole('link', { name: /Parc de cartes/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Parc de cartes' })).toBeVisible();
}

test('le parc : recherche, filtres, graphique et pages', async ({ browser }) => {
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  await openFleet(page);
  await expect(page.getByText(/^\d+ cartes$/)).toBeVisible();
  const table = page.getByRole('table', { name: 'Parc de cartes' });
  await expect(table.getByRole('row')).toHaveCount(51);
  // A name typed without accents nor capitals finds the holder at once.
  const first = (await table.getByRole('row').nth(1).getByRole('cell').nth(1).innerText()).trim();
  await page.getByRole('searchbox', { name: /Rechercher/ }).fill(first.toLowerCase().normalize('NFD').replace(/\p{M}/gu, ''));
  await expect(table.getByRole('link', { name: first }).first()).toBeVisible();
  await page.getByRole('searchbox', { name: /Rechercher/ }).fill('');
  // Filters: CDE only.
  await page.getByLabel('Type de carte').selectOption('CDE');
  await expect(table.getByRole('row').nth(1)).toContainText('CDE');
  await expect(table.locator('td[data-label="Type de carte"]', { hasNotText: 'CDE' })).toHaveCount(0);
  // The filters are in the address: back from a card, the list is as it was.
  await expect(page).toHaveURL(/[?&]type=CDE/);
  await table.getByRole('row').nth(1).getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: /^Carte d/ })).toBeVisible();
  await page.goBack();
  await expect(page.getByLabel('Type de carte')).toHaveValue('CDE');
  await expect(table.locator('td[data-label="Type de carte"]', { hasNotText: 'CDE' })).toHaveCount(0);
  for (const cell of await table.locator('td[data-label="Type de carte"]').allInnerTexts()) expect(cell).toBe('CDE');
  await page.getByLabel('Type de carte').selectOption('');
  // A state button filters; a bar of the chart filters to its month.
  await page.getByRole('button', { name: /Opposée/ }).click();
  await expect(table.locator('td[data-label="Statut"]').first()).toContainText('Opposée');
  await expect(table.locator('td[data-label="Statut"]', { hasNotText: 'Opposée' })).toHaveCount(0);
  for (const cell of await table.locator('td[data-label="Statut"]').allInnerTexts()) expect(cell).toContain('Opposée');
  await page.getByRole('button', { name: /Opposée/ }).click();
  const bar = page.locator('svg.echeances g[role="button"]').filter({ has: page.locator('text.nombre') }).first();
  const label = await bar.getAttribute('aria-label');
  const count = Number(label.match(/: (\d+) carte/)[1]);
  await bar.click();
  await expect(page.getByText(new RegExp(`^${count} cartes? trouvées?$`))).toBeVisible();
  await expect(page.getByText(/Cartes actives arrivant à échéance en/)).toBeVisible();
  await page.getByRole('button', { name: 'Retirer ce filtre' }).click();
  // Pages: where one is, out of how many (50 cards a page).
  await expect(page.getByRole('button', { name: 'Page suivante' })).toBeVisible();
  const total = Number((await page.getByText(/^\d+ cartes? trouvées?$/).textContent()).match(/\d+/)[0]);
  const pages = Math.ceil(total / 50);
  await expect(page.getByText(`Page 1 sur ${pages}`)).toBeVisible();
  await page.getByRole('button', { name: 'Page suivante' }).click();
  await expect(page.getByText(`Page 2 sur ${pages}`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Page précédente' })).toBeVisible();
  await context.close();
});

test("fin d'exercice : la carte présentée ensuite est refusée comme révoquée ; la modification du porteur est dans l'historique", async ({ browser }) => {
  const name = `FIN${tag()}`;
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  const op = await loggedIn(browser, 'operateur');
  const card = await fabricatedCard(page, op.page, name);
  await openFleet(page);
  await page.getByRole('searchbox', { name: /Rechercher/ }).fill(name);
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`Carte de ${name}`) })).toBeVisible();

  // Holder and PIN-code address change, seen in the card's history.
  const pinAddress = page.getByRole('group', { name: "Adresse d'envoi des codes (PIN)" });
  await pinAddress.getByLabel('Destinataire').fill('SERVICE DU PERSONNEL');
  await pinAddress.getByLabel('Code postal').fill('94010');
  await page.getByLabel('Téléphone').fill('0145000000');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await expect(page.getByRole('status')).toContainText('Données du porteur enregistrées');
  const history = page.getByRole('table', { name: 'Historique de la carte' });
  await expect(history).toContainText('Porteur modifié');
  await expect(history.getByRole('row', { name: /Porteur modifié/ })).toContainText("Modifié : téléphone, adresse d'envoi des codes");
  await expect(history).toContainText('Carte fabriquée');
  await expect(page.getByText('SERVICE DU PERSONNEL')).toBeVisible();

  // End of exercise today: the card is revoked at once.
  await page.getByRole('button', { name: "Déclarer la fin d'exercice" }).click();
  await expect(page.getByRole('status')).toContainText('Fin d\'exercice enregistrée');
  await expect(history).toContainText("Fin d'exercice");
  await expect(page.getByText("Fin d'exercice", { exact: true }).first()).toBeVisible();

  const holder = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale: 'fr-FR',
    clientCertificates: [{ origin: base(), pfx: card.pfx, passphrase: card.pin }],
  });
  const holderPage = await holder.newPage();
  await holderPage.goto(base() + '/controle-du-poste');
  await expect(holderPage.getByText(/révoquée/i).first()).toBeVisible();
  const diagnostic = await (await holderPage.request.get(base() + '/api/diagnostic')).json();
  expect(diagnostic.verdict).toBe('revoked');
  await holder.close();
  await op.context.close();
  await context.close();
});

test('vol avec remplacement : la ligne de remplacement est au back-office ; trois cartes renouvelées en une commande', async ({ browser }) => {
  const name = `VOL${tag()}`;
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  const op = await loggedIn(browser, 'operateur');
  await fabricatedCard(page, op.page, name);
  await openFleet(page);
  await page.getByRole('searchbox', { name: /Rechercher/ }).fill(name);
  await page.getByRole('link', { name }).click();
  await page.getByRole('radio', { name: 'Vol' }).check();
  await expect(page.getByRole('checkbox', { name: /carte de remplacement/ })).toBeChecked();
  await page.getByRole('button', { name: "Déclarer l'incident" }).click();
  const status = page.getByRole('status');
  await expect(status).toContainText('Opposition faite');
  const order = (await status.innerText()).match(/commande (C[A-Z0-9]+)/)[1];
  await op.page.getByRole('navigation').getByRole('link', { name: 'Back-office' }).click();
  await op.page.getByRole('searchbox', { name: /Rechercher un porteur/ }).fill(order);
  await op.page.getByRole('button', { name: 'Rechercher', exact: true }).click();
  await expect(op.page.getByRole('row', { name: new RegExp(order) })).toContainText(name);

  // Renewal: the cards expiring within 90 days, three of them selected, one order of three lines.
  await openFleet(page);
  await page.getByRole('button', { name: /Afficher les cartes à renouveler/ }).click();
  const boxes = page.getByRole('checkbox', { name: /Sélectionner pour le renouvellement/ });
  for (let i = 0; i < 3; i++) await boxes.nth(i).check();
  await page.getByRole('button', { name: /Commander le renouvellement des cartes sélectionnées \(3 cartes\)/ }).click();
  await expect(page.getByRole('status')).toContainText('3 cartes à renouveler');
  await page.getByRole('link', { name: 'Voir la commande' }).click();
  await expect(page.getByRole('table').first().locator('tbody tr')).toHaveCount(3);
  await op.context.close();
  await context.close();
});

test('le mandataire de B ne voit pas le parc de A', async ({ browser }) => {
  const { context, page } = await loggedIn(browser, 'mandataire-b');
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/parc`);
  await expect(page.getByText(/Vous n'avez pas de mandat pour cette structure/).first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Parc de cartes' })).toHaveCount(0);
  const r = await page.request.get(`${base()}/api/structures/${STRUCTURE_A}/fleet`);
  expect(r.status()).toBe(403);
  await context.close();
  void contextWithCard;
});

test('les téléchargements du parc : CSV lu comme Excel, classeur XLSX relu, XML valide pour son schéma', async ({ browser }) => {
  const name = `TEL${tag()}`;
  const matricule = `00${String(Date.now()).slice(-6)}`;
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  const op = await loggedIn(browser, 'operateur');
  await fabricatedCard(page, op.page, name, matricule);
  await openFleet(page);
  await page.getByRole('searchbox', { name: /Rechercher/ }).fill(matricule);
  await expect(page.getByText('1 carte trouvée')).toBeVisible();
  const download = async (label) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: label }).click()]);
    expect(file.suggestedFilename()).toMatch(new RegExp(`^parc-${STRUCTURE_A}-\\d{4}-\\d{2}-\\d{2}\\.`));
    return fs.readFileSync(await file.path());
  };

  // CSV as French Excel reads it: UTF-8 with BOM, « ; », French titles, the matricule as text
  // (its leading zeros kept), dates JJ/MM/AAAA.
  const csv = await download('CSV (Excel)');
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.subarray(3).toString('utf8').split('\r\n').filter((l) => l !== '');
  expect(lines[0].split(';').slice(0, 4)).toEqual(['Nom', 'Prénom', 'Identifiant national', 'Matricule']);
  expect(lines).toHaveLength(2);
  // Fields as Excel reads them: a quoted field is unquoted, its doubled quotes single.
  const cells = lines[1].split(';').map((c) => (c.startsWith('"') && c.endsWith('"') ? c.slice(1, -1).replaceAll('""', '"') : c));
  expect(cells[0]).toBe(name);
  expect(cells[3]).toBe(`="${matricule}"`);
  expect(lines[1]).toMatch(/;\d{2}\/\d{2}\/\d{4};/);

  // XLSX read back: the matricule a text cell, the header frozen, an autofilter.
  const parts = readZip(await download('Classeur Excel (.xlsx)'));
  const sheet = parts.get('xl/worksheets/sheet1.xml').toString('utf8');
  const strings = (parts.get('xl/sharedStrings.xml') || Buffer.from('')).toString('utf8');
  expect(sheet + strings).toContain(matricule);
  expect(sheet).toContain('<autoFilter');
  expect(sheet).toMatch(/<pane [^>]*state="frozen"/);

  // XML valid for the published schema.
  const xml = await download('XML');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tom-e2e-'));
  fs.writeFileSync(path.join(dir, 'parc.xml'), xml);
  execFileSync('xmllint', ['--noout', '--schema', path.join(__dirname, '../../schemas/tom-parc-v1.xsd'), path.join(dir, 'parc.xml')]);
  expect(xml.toString('utf8')).toContain(`<matricule>${matricule}</matricule>`);
  await op.context.close();
  await context.close();
});
