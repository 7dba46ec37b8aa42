// What a new user tripped on in the SPA, as they meet it: a server refusal shown as its own
// message, a file made out to another structure flagged before sending, one receipt per file,
// form errors in the form's words, page titles and focus, the skip link, 390 px screens, and
// whom to contact.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const { base, contextWithCard, loggedIn, tag } = require('./cards');

const STRUCTURE_A = '1940000011';
const FINESS_A = '940000011';
const OTHER_FINESS = '760021832';
const examples = path.resolve(__dirname, '../../schemas/examples');
const NETWORK = /ne répond pas/;
const MISMATCH = 'La commande est pour une autre structure que celle choisie : vérifiez le FINESS ou le SIRET de l\'en-tête.';

/// The model CPE order, made out to `finess`, one holder named `name`.
function modelOrder(name, finess = FINESS_A) {
  return fs.readFileSync(path.join(examples, 'modele-commande-cpe.xml'), 'utf8')
    .replace(`<finess>${OTHER_FINESS}</finess>`, `<finess>${finess}</finess>`)
    .replace('PHARMA-2026-001', `REF-${name}`)
    .replace('<nomNaissance>LOUIN</nomNaissance>', `<nomNaissance>${name}</nomNaissance>`)
    .replace('<matricule>000000018</matricule>', `<matricule>${name}</matricule>`);
}

function writeTemp(name, content) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tom-e2e-')), name);
  fs.writeFileSync(file, content);
  return file;
}

async function openDeposit(page) {
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/deposer`);
  await page.getByLabel('Votre adresse électronique (émetteur de la commande)').fill('sophie.martin@example.fr');
}

test("un fichier fait pour le FINESS d'une autre structure est signalé avant l'envoi", async ({ browser }) => {
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  await openDeposit(page);
  await page.getByLabel('choisissez un fichier').setInputFiles(writeTemp('autre.xml', modelOrder(`AUTRE${tag()}`, OTHER_FINESS)));
  await expect(page.getByText('Le fichier est valide.')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: MISMATCH })).toContainText(`FINESS ${OTHER_FINESS}`);
  await expect(page.getByRole('button', { name: 'Envoyer la commande' })).toHaveCount(0);
  // The right file: no flag, it can be sent.
  await page.getByLabel('choisissez un fichier').setInputFiles(writeTemp('bon.xml', modelOrder(`BON${tag()}`)));
  await expect(page.getByText('Le fichier est valide.')).toBeVisible();
  await expect(page.getByText(MISMATCH)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Envoyer la commande' })).toBeVisible();
  await context.close();
});

test("un refus du serveur est montré avec son propre message, pas comme une panne du réseau", async ({ browser }) => {
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  await openDeposit(page);
  await page.getByLabel('choisissez un fichier').setInputFiles(writeTemp('bon.xml', modelOrder(`FORCE${tag()}`)));
  await expect(page.getByText('Le fichier est valide.')).toBeVisible();
  // The file is altered on its way (as a browser check that was bypassed): the real server
  // refuses it for another structure.
  let answer = null;
  await page.route('**/api/structures/*/orders', async (route) => {
    const body = route.request().postDataBuffer().toString('utf8');
    const response = await route.fetch({ postData: body.replace(`<finess>${FINESS_A}</finess>`, `<finess>${OTHER_FINESS}</finess>`) });
    answer = { status: response.status(), body: await response.json() };
    await route.fulfill({ response });
  });
  await page.getByRole('button', { name: 'Envoyer la commande' }).click();
  await expect.poll(() => answer).not.toBeNull();
  expect(answer.status).toBe(422);
  expect(answer.body.code).toBe('structure_mismatch');
  await expect(page.getByRole('alert').filter({ hasText: MISMATCH })).toBeVisible();
  await expect(page.getByText(NETWORK)).toHaveCount(0);
  await expect(page.getByText(/renvoyer la commande sans risque/)).toHaveCount(0);
  // Only a request that got no answer at all is a network failure.
  await page.unroute('**/api/structures/*/orders');
  await page.route('**/api/structures/*/orders', (route) => route.abort('failed'));
  await page.getByRole('button', { name: 'Envoyer la commande' }).click();
  await expect(page.getByText(NETWORK)).toBeVisible();
  await expect(page.getByText(/renvoyer la commande sans risque/)).toBeVisible();
  await context.close();
});

test('choisir un nouveau fichier efface le reçu du précédent envoi', async ({ browser }) => {
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  await openDeposit(page);
  await page.getByLabel('choisissez un fichier').setInputFiles(writeTemp('un.xml', modelOrder(`RECU${tag()}`)));
  await expect(page.getByText('Le fichier est valide.')).toBeVisible();
  await page.getByRole('button', { name: 'Envoyer la commande' }).click();
  await expect(page.getByText('Commande enregistrée.')).toBeVisible();
  await page.getByLabel('choisissez un fichier').setInputFiles(writeTemp('deux.xml', modelOrder(`AUTRE${tag()}`)));
  await expect(page.getByText('Le fichier est valide.')).toBeVisible();
  await expect(page.getByText('Commande enregistrée.')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Suivre cette commande' })).toHaveCount(0);
  await context.close();
});

test('les erreurs du formulaire nomment les champs comme le formulaire, une fois chacune, et le résumé prend le focus', async ({ browser }) => {
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/commander`);
  await page.getByLabel(/Votre adresse électronique/).fill('sophie.martin@example.fr');
  await page.getByLabel('Date de naissance *').fill('31/02/1990');
  await page.getByLabel('Prénoms *').fill('Lea');
  await page.getByRole('button', { name: 'Envoyer la commande' }).click();
  const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: /La demande contient des erreurs/ }) });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: /^Date de naissance : .*JJ\/MM\/AAAA/ })).toHaveCount(1);
  await expect(summary.getByRole('link', { name: /^Nom de naissance : Ce champ est obligatoire\./ })).toHaveCount(1);
  const items = await summary.getByRole('listitem').allInnerTexts();
  expect(items.length).toBeGreaterThan(2);
  expect(new Set(items).size).toBe(items.length);
  for (const item of items) {
    expect(item).not.toMatch(/nomNaissance|dateNaissance|codePostal|AAAA-MM-JJ/);
  }
  // Under the field too, in the format the field asks for.
  await expect(page.getByText('Date invalide : saisissez-la au format JJ/MM/AAAA (par exemple 21/06/1995).').first()).toBeVisible();
  // Each item leads to its field.
  await summary.getByRole('link', { name: /^Nom de naissance/ }).click();
  await expect(page.getByLabel('Nom de naissance *')).toBeFocused();
  await context.close();
});

test('chaque page a son titre et, après une navigation, le focus va au titre principal', async ({ browser }) => {
  const anonymous = await contextWithCard(browser, null);
  const visitor = await anonymous.newPage();
  for (const [url, title] of [
    ['/', 'Accueil — TOM'],
    ['/faq', 'Questions fréquentes — TOM'],
    ['/controle-du-poste', 'Contrôle du poste — TOM'],
    ['/verifier-un-fichier', 'Vérifier un fichier — TOM'],
    ['/nulle-part', 'Page introuvable — TOM'],
  ]) {
    await visitor.goto(base() + url);
    await expect(visitor).toHaveTitle(title);
  }
  await anonymous.close();

  const { context, page } = await loggedIn(browser, 'mandataire-a');
  // After logging in, the focus is on the page's heading.
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  for (const [url, title] of [
    ['/espace', 'Mon espace — TOM'],
    [`/espace/structures/${STRUCTURE_A}`, 'CENTRE HOSPITALIER DE DEMONSTRATION A — TOM'],
    [`/espace/structures/${STRUCTURE_A}/commander`, 'Commander une carte — TOM'],
    [`/espace/structures/${STRUCTURE_A}/deposer`, 'Déposer une commande — TOM'],
    [`/espace/structures/${STRUCTURE_A}/commandes`, 'Suivi des commandes — TOM'],
  ]) {
    await page.goto(base() + url);
    await expect(page).toHaveTitle(title);
  }
  await page.goto(base() + '/espace');
  await page.getByRole('link', { name: 'CENTRE HOSPITALIER DE DEMONSTRATION A' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'CENTRE HOSPITALIER DE DEMONSTRATION A' })).toBeFocused();
  await page.getByRole('link', { name: 'Déposer une commande' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Déposer une commande' })).toBeFocused();
  await page.getByRole('navigation').getByRole('link', { name: 'Questions fréquentes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Questions fréquentes' })).toBeFocused();
  await expect(page).toHaveTitle('Questions fréquentes — TOM');
  await context.close();
});

test("le lien d'évitement mène au contenu", async ({ browser }) => {
  const context = await contextWithCard(browser, null);
  const page = await context.newPage();
  await page.goto(base() + '/faq');
  await expect(page.getByRole('heading', { level: 1, name: 'Questions fréquentes' })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Aller au contenu' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
  await expect(page).toHaveURL(/\/faq(#contenu)?$/);
  // The next Tab goes into the content, not back to the banner.
  await page.keyboard.press('Tab');
  const inMain = await page.evaluate(() => document.querySelector('main').contains(document.activeElement));
  expect(inMain).toBe(true);
  await context.close();
});

test('le service à contacter est donné là où il faut le contacter', async ({ browser }) => {
  const context = await contextWithCard(browser, null);
  const page = await context.newPage();
  await page.goto(base() + '/faq');
  const contact = page.getByRole('group', { name: "Coordonnées du service d'émission" });
  await expect(contact.getByRole('link', { name: /@/ })).toHaveAttribute('href', /^mailto:/);
  await expect(contact.getByRole('link', { name: /\d\d \d\d/ })).toHaveAttribute('href', /^tel:/);
  await context.close();
  // A card from an unknown authority: the advice says to contact the service, and gives it.
  const unknown = await contextWithCard(browser, 'carte-ac-inconnue');
  const refused = await unknown.newPage();
  await refused.goto(base() + '/');
  await expect(refused.getByText(/contactez le service d'émission/)).toBeVisible();
  await expect(refused.getByRole('group', { name: "Coordonnées du service d'émission" }).getByRole('link', { name: /@/ })).toBeVisible();
  await unknown.close();
});

test('à 390 px de large, aucune page ne défile de côté', async ({ browser }) => {
  const narrow = { width: 390, height: 844 };
  const noSideways = async (page, what) => {
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${what} : ${width} px de large`).toBeLessThanOrEqual(390);
  };
  const anonymous = await contextWithCard(browser, null);
  const visitor = await anonymous.newPage();
  await visitor.setViewportSize(narrow);
  for (const url of ['/', '/faq', '/controle-du-poste', '/verifier-un-fichier']) {
    await visitor.goto(base() + url);
    await noSideways(visitor, url);
  }
  await anonymous.close();

  const { context, page } = await loggedIn(browser, 'mandataire-a', { viewport: narrow });
  await noSideways(page, '/ (connecté)');
  for (const url of ['/espace', `/espace/structures/${STRUCTURE_A}`, `/espace/structures/${STRUCTURE_A}/commander`,
    `/espace/structures/${STRUCTURE_A}/commandes`]) {
    await page.goto(base() + url);
    await noSideways(page, url);
  }
  // The form with its errors shown.
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/commander`);
  await page.getByRole('button', { name: 'Envoyer la commande' }).click();
  await expect(page.getByRole('heading', { name: /La demande contient des erreurs/ })).toBeVisible();
  await noSideways(page, 'formulaire avec erreurs');
  // The deposit page with a file's errors, then a receipt and the order it leads to.
  await openDeposit(page);
  const name = `ETROIT${tag()}`;
  const broken = modelOrder(name).replace('<codePostal>76000</codePostal>', '<codePostal>7600</codePostal>');
  await page.getByLabel('choisissez un fichier').setInputFiles(writeTemp('commande.xml', broken));
  await expect(page.getByText(/Le fichier contient des erreurs/)).toBeVisible();
  await noSideways(page, 'dépôt avec erreurs');
  await page.getByLabel('choisissez un fichier').setInputFiles(writeTemp('commande.xml', modelOrder(name)));
  await page.getByRole('button', { name: 'Envoyer la commande' }).click();
  await expect(page.getByText('Commande enregistrée.')).toBeVisible();
  await noSideways(page, 'dépôt envoyé');
  await page.getByRole('link', { name: 'Suivre cette commande' }).click();
  await expect(page.getByText(name).first()).toBeVisible();
  await noSideways(page, 'commande');
  await page.goto(`${base()}/espace/structures/${STRUCTURE_A}/commandes`);
  await expect(page.getByText(`REF-${name}`)).toBeVisible();
  await noSideways(page, 'suivi des commandes avec une commande');

  const op = await loggedIn(browser, 'operateur', { viewport: narrow });
  for (const url of ['/espace', '/back-office', `/espace/structures/${STRUCTURE_A}`]) {
    await op.page.goto(base() + url);
    await noSideways(op.page, `${url} (opérateur)`);
  }
  await op.context.close();
  await context.close();
});
