// Ordering cards end to end: the form, the bulk file, the spreadsheet template, the operator's
// back-office, fabrication, and the new card logging in.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const { base, contextWithCard, loggedIn, tag } = require('./cards');
const { readZip, writeZip } = require('./zip');

const STRUCTURE_A = '1940000011';
const examples = path.resolve(__dirname, '../../schemas/examples');

/// The model CPE order for structure A, one holder named `name`.
function modelOrder(name, reference) {
  return fs.readFileSync(path.join(examples, 'modele-commande-cpe.xml'), 'utf8')
    .replace('<finess>760021832</finess>', '<finess>940000011</finess>')
    .replace('PHARMA-2026-001', reference)
    .replace('<nomNaissance>LOUIN</nomNaissance>', `<nomNaissance>${name}</nomNaissance>`)
    .replace('<matricule>000000018</matricule>', `<matricule>${name}</matricule>`);
}

// The back-office's queue narrowed to one holder (other tests leave lines of their own).
async function searchQueue(page, text) {
  await page.getByRole('searchbox', { name: 'Rechercher un porteur, une structure ou une commande' }).fill(text);
  await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
}

// An operator's action on a row, confirmed.
async function confirmed(row, action) {
  await row.getByRole('button', { name: action }).click();
  await row.getByRole('button', { name: 'Confirmer' }).click();
}

function writeTemp(name, content) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tom-e2e-')), name);
  fs.writeFileSync(file, content);
  return file;
}

test('commande par formulaire, acceptée et fabriquée : la nouvelle carte se connecte', async ({ browser }) => {
  const name = `FORM${tag()}`;
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}`);
  await page.getByRole('link', { name: 'Commander une carte' }).click();
  await expect(page.getByRole('heading', { name: 'Commander une carte' })).toBeVisible();
  await page.getByLabel(/Votre adresse électronique/).fill('sophie.martin@example.fr');
  await page.getByLabel('Civilité *').selectOption('MME');
  await page.getByLabel('Nom de naissance *').fill(name);
  await page.getByLabel('Prénoms *').fill('Lea');
  await page.getByLabel('Date de naissance *').fill('12/03/1990');
  await page.getByLabel('Lieu de naissance *').fill('Creteil');
  await page.getByLabel('Sexe *').selectOption('F');
  await page.getByLabel('Courriel *').fill('lea@example.fr');
  await page.getByLabel('Téléphone *').fill('0102030405');
  await page.getByLabel('Matricule *').fill(name);
  await page.getByLabel('Fonction', { exact: true }).selectOption('FON-33');
  await page.getByLabel("Secteur d'activité *").selectOption('SA33');
  const card = page.getByRole('group', { name: "Adresse d'envoi de la carte" });
  await card.getByLabel('Destinataire *').fill('CHU DEMO A');
  await card.getByLabel('Voie', { exact: true }).fill('RUE DE LA DEMO');
  await card.getByLabel('Commune *').fill('CRETEIL');
  // The shared rules answer as the user types: a four-digit postal code is refused.
  await card.getByLabel('Code postal *').fill('9400');
  await card.getByLabel('Code postal *').blur();
  await expect(card.getByText(/attendu 5 chiffres/)).toBeVisible();
  await card.getByLabel('Code postal *').fill('94000');
  await expect(card.getByText(/attendu 5 chiffres/)).toHaveCount(0);
  // A CPS for a doctor is not offered (the order issues it through the RPPS), and the form says why.
  await page.getByLabel('Type de carte *').selectOption('CPS');
  await expect(page.getByLabel('Profession', { exact: true }).locator('option[value="10"]')).toHaveCount(0);
  await expect(page.getByLabel('Profession', { exact: true }).locator('option[value="60"]')).toHaveCount(1);
  await expect(page.getByText(/leur ordre leur délivre la carte via le RPPS/)).toBeVisible();
  await page.getByLabel('Type de carte *').selectOption('CPE');
  await page.getByRole('button', { name: 'Envoyer la commande' }).click();
  await expect(page).toHaveURL(/\/espace\/commandes\/C[A-Z0-9]+$/);
  const orderUrl = page.url();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Soumise');

  // The operator accepts and fabricates; the card and the PIN letter are theirs to download.
  const op = await loggedIn(browser, 'operateur');
  await op.page.getByRole('navigation').getByRole('link', { name: 'Back-office' }).click();
  await searchQueue(op.page, name);
  const row = op.page.getByRole('row', { name: new RegExp(name) });
  await confirmed(row, 'Accepter');
  await expect(row).toContainText('Acceptée');
  await confirmed(row, 'Fabriquer la carte');
  await expect(row).toContainText('Carte fabriquée');
  const [p12] = await Promise.all([op.page.waitForEvent('download'), row.getByRole('link', { name: 'Carte (PKCS#12)' }).click()]);
  const [letter] = await Promise.all([op.page.waitForEvent('download'), row.getByRole('link', { name: 'Courrier des codes (PDF)' }).click()]);
  const pdf = fs.readFileSync(await letter.path()).toString('latin1');
  expect(pdf.startsWith('%PDF-')).toBe(true);
  const pin = pdf.match(/Code porteur \\\(PIN\\\) : (\d{4})/)[1];
  await confirmed(row, 'Expédier la carte');
  await expect(row).toContainText('Carte expédiée');
  await confirmed(row, 'Expédier les codes');
  await expect(row).toContainText('Carte et codes expédiés');

  // The mandataire sees the steps and the new card in the fleet.
  await page.goto(orderUrl);
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Carte et codes expédiés');
  await expect(page.getByText(/Fabriquée : /)).toBeVisible();
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}`);
  await page.getByRole('link', { name: /Parc de cartes/ }).click();
  await page.getByRole('searchbox', { name: /Rechercher/ }).fill(name.toLowerCase());
  await expect(page.getByRole('table', { name: 'Parc de cartes' }).getByRole('row', { name: new RegExp(name) }))
    .toContainText(`3940000011/${name}`);

  // The issued PKCS#12, opened with the PIN of the letter, passes TOM's TLS layer.
  const holder = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale: 'fr-FR',
    clientCertificates: [{ origin: base(), pfx: fs.readFileSync(await p12.path()), passphrase: pin }],
  });
  const holderPage = await holder.newPage();
  await holderPage.goto(base() + '/controle-du-poste');
  await expect(holderPage.getByText(`3940000011/${name}`).first()).toBeVisible();
  const diagnostic = await (await holderPage.request.get(base() + '/api/diagnostic')).json();
  expect(diagnostic.verdict).toBe('ok');
  expect(diagnostic.card_type).toBe('CPE');
  await holder.close();
  await op.context.close();
  await context.close();
});

test('une CPS d\'infirmier attend son justificatif, déposé depuis le suivi', async ({ browser }) => {
  const name = `CPS${tag()}`;
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/deposer`);
  await page.getByLabel('Votre adresse électronique (émetteur de la commande)').fill('sophie.martin@example.fr');
  const order = modelOrder(name, `CPS-${name}`)
    .replace('<typeCarte>CPE</typeCarte>', '<typeCarte>CPS</typeCarte>')
    .replace('<fonction>FON-33</fonction>', '<profession>60</profession>');
  await page.getByLabel('choisissez un fichier').setInputFiles(writeTemp('cps.xml', order));
  await page.getByRole('button', { name: 'Envoyer la commande' }).click();
  await page.getByRole('link', { name: 'Suivre cette commande' }).click();
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('Justificatif attendu');
  // A text file renamed .pdf is recognised for what it is.
  await row.getByLabel(/Justificatif de la profession/).setInputFiles(writeTemp('diplome.pdf', 'pas un PDF'));
  await expect(page.getByText('Le justificatif doit être un fichier PDF, JPEG ou PNG.')).toBeVisible();
  await row.getByLabel(/Justificatif de la profession/).setInputFiles(writeTemp('diplome.pdf', '%PDF-1.4\n%%EOF\n'));
  await expect(row).toContainText('Soumise');
  await expect(row).toContainText(/Justificatif déposé : /);
  await context.close();
});

test('fichier avec deux erreurs : lignes signalées, corrigé, envoyé, traité ; renvoyé : une seule commande', async ({ browser }) => {
  const name = `LOT${tag()}`;
  const reference = `LOT-${name}`;
  const good = modelOrder(name, reference);
  const broken = good
    .replace('<codePostal>76000</codePostal>', '<codePostal>7600</codePostal>')
    .replace('<telephone>0235000000</telephone>', '<telephone>02-35</telephone>');
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/deposer`);
  await page.getByLabel('Votre adresse électronique (émetteur de la commande)').fill('sophie.martin@example.fr');
  await page.getByLabel('choisissez un fichier').setInputFiles(writeTemp('commande.xml', broken));
  await expect(page.getByText(/Le fichier contient des erreurs : 2 erreur\(s\)/)).toBeVisible();
  const rows = page.getByRole('table', { name: /Erreurs du fichier/ }).getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText(/^\d+:\d+/);
  await expect(page.getByRole('button', { name: 'Envoyer la commande' })).toHaveCount(0);

  await page.getByLabel('choisissez un fichier').setInputFiles(writeTemp('commande.xml', good));
  await expect(page.getByText('Le fichier est valide.')).toBeVisible();
  await page.getByRole('button', { name: 'Envoyer la commande' }).click();
  await expect(page.getByText('Commande enregistrée.')).toBeVisible();

  // The same file again (another selection, another key): already received, no second order.
  await page.getByLabel('choisissez un fichier').setInputFiles(writeTemp('commande-bis.xml', good));
  await expect(page.getByText('Le fichier est valide.')).toBeVisible();
  await page.getByRole('button', { name: 'Envoyer la commande' }).click();
  await expect(page.getByText(/avait déjà été reçue/)).toBeVisible();
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/commandes`);
  await expect(page.getByRole('row', { name: new RegExp(reference) })).toHaveCount(1);

  // The operator rejects the line with a reason, which the mandataire reads.
  const op = await loggedIn(browser, 'operateur');
  await op.page.goto(base() + '/back-office');
  await searchQueue(op.page, name);
  const row = op.page.getByRole('row', { name: new RegExp(name) });
  await row.getByLabel('Motif du rejet').fill('Matricule inconnu du registre');
  await confirmed(row, 'Rejeter');
  await expect(op.page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
  await page.getByRole('row', { name: new RegExp(reference) }).getByRole('link').click();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Rejetée');
  await expect(page.getByText('Motif : Matricule inconnu du registre')).toBeVisible();
  // The list filters by line status and by date.
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/commandes`);
  await page.getByLabel("Statut d'une ligne").selectOption('rejetee');
  await expect(page.getByRole('row', { name: new RegExp(reference) })).toHaveCount(1);
  await page.getByLabel("Statut d'une ligne").selectOption('livree');
  await expect(page.getByRole('row', { name: new RegExp(reference) })).toHaveCount(0);
  await page.getByLabel("Statut d'une ligne").selectOption('');
  await page.getByLabel('Déposée du').fill('2000-01-01');
  await page.getByLabel('au', { exact: true }).fill('2000-12-31');
  await expect(page.getByText('Aucune commande ne correspond à ces critères.')).toBeVisible();
  await op.context.close();
  await context.close();
});

const TEMPLATE_COLUMNS = ['type_carte', 'nominative', 'civilite', 'nom_naissance', 'nom_usage', 'prenoms',
  'date_naissance', 'lieu_naissance', 'sexe', 'email', 'telephone', 'matricule', 'profession', 'fonction',
  'rpps', 'secteur', 'genre', 'mode',
  'carte_destinataire', 'carte_complement', 'carte_numero', 'carte_voie', 'carte_lieu_dit', 'carte_code_postal', 'carte_commune',
  'pin_destinataire', 'pin_complement', 'pin_numero', 'pin_voie', 'pin_lieu_dit', 'pin_code_postal', 'pin_commune'];

const letter = (i) => (i < 26 ? String.fromCharCode(65 + i) : letter(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));

/// Fills the « Commande » sheet of the downloaded template with `rows` (objects by column key).
function fillTemplate(xlsx, rows) {
  const parts = readZip(xlsx);
  const workbook = parts.get('xl/workbook.xml').toString('utf8');
  const rid = workbook.match(/<sheet [^>]*name="Commande"[^>]*r:id="([^"]+)"/)[1];
  const rels = parts.get('xl/_rels/workbook.xml.rels').toString('utf8');
  const target = rels.match(new RegExp(`<Relationship [^>]*Id="${rid}"[^>]*Target="([^"]+)"`))[1];
  const sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  const xml = parts.get(sheetPath).toString('utf8');
  const cells = rows.map((values, r) => `<row r="${r + 2}">${TEMPLATE_COLUMNS.map((key, c) => (values[key]
    ? `<c r="${letter(c)}${r + 2}" t="inlineStr"><is><t>${values[key]}</t></is></c>` : '')).join('')}</row>`).join('');
  parts.set(sheetPath, Buffer.from(xml.replace('</sheetData>', `${cells}</sheetData>`), 'utf8'));
  return writeZip(parts);
}

test('le modèle de tableur rempli est converti en XML, vérifié et envoyé', async ({ browser }) => {
  const name = `TAB${tag()}`;
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/deposer`);
  await page.getByLabel('Votre adresse électronique (émetteur de la commande)').fill('sophie.martin@example.fr');
  const [template] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Télécharger le modèle de tableur/ }).click(),
  ]);
  const row = {
    type_carte: 'CPE - Carte de personnel d\'établissement', civilite: 'M', nom_naissance: name, prenoms: 'Paul',
    date_naissance: '01/02/1985', lieu_naissance: 'Paris', sexe: 'M', email: 'paul@example.fr',
    telephone: '0102030405', matricule: name, fonction: 'FON-33', secteur: 'SA33',
    carte_destinataire: 'CHU DEMO A', carte_voie: 'RUE DE LA DEMO', carte_code_postal: '94000', carte_commune: 'CRETEIL',
    pin_destinataire: 'PAUL', pin_voie: 'RUE DES CODES', pin_code_postal: '9400', pin_commune: 'CRETEIL',
  };
  // First with a mistake: reported at the sheet's line 2 and the column's title.
  const broken = fillTemplate(fs.readFileSync(await template.path()), [row]);
  await page.getByLabel('choisissez un fichier').setInputFiles(writeTemp('commande.xlsx', broken));
  await expect(page.getByText(/Le fichier contient des erreurs : 1 erreur\(s\)/)).toBeVisible();
  const errors = page.getByRole('table', { name: /Erreurs du fichier/ }).getByRole('row');
  await expect(errors.nth(1).getByRole('cell').first()).toHaveText('2');
  await expect(errors.nth(1)).toContainText('Codes — Code postal');
  // Fixed, converted, the XML can be downloaded, and the order is sent.
  const fixed = writeTemp('commande.xlsx', fillTemplate(fs.readFileSync(await template.path()), [{ ...row, pin_code_postal: '94000' }]));
  await page.getByLabel('choisissez un fichier').setInputFiles(fixed);
  await expect(page.getByText('Le fichier est valide.')).toBeVisible();
  const [xml] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Télécharger le fichier XML produit' }).click(),
  ]);
  const text = fs.readFileSync(await xml.path(), 'utf8');
  expect(text).toContain(`<nomNaissance>${name}</nomNaissance>`);
  expect(text).toContain('<dateNaissance>1985-02-01</dateNaissance>');
  await page.getByRole('button', { name: 'Envoyer la commande' }).click();
  await expect(page.getByText('Commande enregistrée.')).toBeVisible();
  const orderUrl = await page.getByRole('link', { name: 'Suivre cette commande' }).getAttribute('href');
  // The same file sent again, from a fresh page: recognised, not ordered twice.
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/deposer`);
  await page.getByLabel('Votre adresse électronique (émetteur de la commande)').fill('sophie.martin@example.fr');
  await page.getByLabel('choisissez un fichier').setInputFiles(fixed);
  await expect(page.getByText('Le fichier est valide.')).toBeVisible();
  await page.getByRole('button', { name: 'Envoyer la commande' }).click();
  await expect(page.getByText(/avait déjà été reçue/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Suivre cette commande' })).toHaveAttribute('href', orderUrl);
  await page.getByRole('link', { name: 'Suivre cette commande' }).click();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Soumise');
  await context.close();
});

test('un tableur CSV enregistré par Excel (« ; », Windows-1252) est converti et vérifié', async ({ browser }) => {
  const name = `CSV${tag()}`;
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/deposer`);
  await page.getByLabel('Votre adresse électronique (émetteur de la commande)').fill('sophie.martin@example.fr');
  const titles = ['Type de carte', 'Civilité', 'Nom de naissance', 'Prénoms', 'Date de naissance', 'Lieu de naissance',
    'Sexe', 'Courriel', 'Téléphone', 'Matricule', 'Fonction', "Secteur d'activité",
    'Carte — Destinataire', 'Carte — Voie', 'Carte — Code postal', 'Carte — Commune',
    'Codes — Destinataire', 'Codes — Voie', 'Codes — Code postal', 'Codes — Commune'];
  const values = ['CPE', 'MME', name, 'Hélène', '03/04/1980', 'Créteil', 'F', 'h@example.fr', '0102030405', name,
    'FON-33', 'SA33', 'CHU DEMO A', 'RUE DE LA DEMO', '94000', 'CRETEIL', 'HELENE', 'RUE DES CODES', '94000', 'CRETEIL'];
  // Windows-1252: Latin-1, plus the dash of the address columns at 0x97.
  const text = `${titles.join(';')}\r\n${values.join(';')}\r\n`;
  const csv = Buffer.from([...text].map((c) => (c === '—' ? 0x97 : c.charCodeAt(0))));
  await page.getByLabel('choisissez un fichier').setInputFiles(writeTemp('commande.csv', csv));
  await expect(page.getByText('Le fichier est valide.')).toBeVisible();
  const [xml] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Télécharger le fichier XML produit' }).click(),
  ]);
  expect(fs.readFileSync(await xml.path(), 'utf8')).toContain('<prenoms>Hélène</prenoms>');
  await context.close();
});

test("le mandataire de B ne voit pas les commandes de A", async ({ browser }) => {
  const name = `VUE${tag()}`;
  const a = await loggedIn(browser, 'mandataire-a');
  await a.page.goto(`${base()}/espace/structures/${STRUCTURE_A}/deposer`);
  await a.page.getByLabel('Votre adresse électronique (émetteur de la commande)').fill('sophie.martin@example.fr');
  await a.page.getByLabel('choisissez un fichier').setInputFiles(writeTemp('commande.xml', modelOrder(name, `VUE-${name}`)));
  await a.page.getByRole('button', { name: 'Envoyer la commande' }).click();
  await a.page.getByRole('link', { name: 'Suivre cette commande' }).click();
  await expect(a.page).toHaveURL(/\/espace\/commandes\/C[A-Z0-9]+$/);
  const orderPath = new URL(a.page.url()).pathname;

  const b = await loggedIn(browser, 'mandataire-b');
  await b.page.goto(base() + orderPath);
  await expect(b.page.getByText("L'élément demandé n'existe pas.")).toBeVisible();
  await expect(b.page.getByText(name)).toHaveCount(0);
  await b.page.goto(`${base()}/espace/structures/${STRUCTURE_A}/commandes`);
  await expect(b.page.getByText("Vous n'avez pas de mandat pour cette structure.")).toBeVisible();
  await b.page.goto(`${base()}/espace/structures/${STRUCTURE_A}/deposer`);
  await expect(b.page.getByText("Vous n'avez pas de mandat pour cette structure.")).toBeVisible();
  await a.context.close();
  await b.context.close();
});
