// Delegations online (form 502 without paper): the legal representative designates a mandataire
// with a PDF of the identity document → the operator reads it and validates → the new mandataire
// logs in and orders → the mandate is ended → their next action is refused, and the page says
// why. A rejection's reason reaches the legal representative. A legal entity's contract is
// registered by the operator; its mandataire switches between two of its establishments.
const { test, expect } = require('@playwright/test');
const { base, loggedIn, tag } = require('./cards');
const { api, fabricatedCard, MODEL, STRUCTURE_A } = require('./tom-api');

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
const pdfFile = { name: 'piece-identite.pdf', mimeType: 'application/pdf', buffer: PDF };

// A unique matricule of 6 digits and a unique name of letters.
const person = () => ({ name: `DELEG${tag()}`, matricule: String(Date.now()).slice(-6) });

// The browser of a holder presenting their fabricated card, logged in.
async function holderLoggedIn(browser, card) {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale: 'fr-FR',
    clientCertificates: [{ origin: base(), pfx: card.pfx, passphrase: card.pin }],
  });
  const page = await context.newPage();
  await page.goto(base() + '/');
  await page.getByRole('button', { name: 'Se connecter avec ma carte' }).click();
  await expect(page.getByRole('heading', { name: /Bienvenue/ })).toBeVisible();
  return { context, page };
}

// A designation sent through the API as the page sends it (multipart: « demande », « piece »).
async function designateByApi(page, structure, nationalId, family, given) {
  const me = await (await page.request.get(base() + '/api/me')).json();
  const r = await page.request.post(`${base()}/api/structures/${structure}/delegations`, {
    headers: { 'x-csrf-token': me.csrf_token, origin: base() },
    multipart: {
      demande: JSON.stringify({ card: { kind: 'existing', national_id: nationalId, family_name: family, given_name: given } }),
      piece: pdfFile,
    },
  });
  expect(r.status(), await r.text()).toBe(201);
  return (await r.json()).id;
}

test("désignation avec la pièce d'identité, validation, commande du nouveau mandataire, fin du mandat et refus expliqué", async ({ browser }) => {
  const { name, matricule } = person();
  const nationalId = `3940000011/${matricule}`;
  const m = await loggedIn(browser, 'mandataire-a');
  const op = await loggedIn(browser, 'operateur');
  const card = await fabricatedCard(m.page, op.page, name, matricule);

  // The legal representative designates Julie, who has a card, with her identity document.
  const rl = await loggedIn(browser, 'representant-legal-a');
  await rl.page.goto(`${base()}/espace/structures/${STRUCTURE_A}`);
  await rl.page.getByRole('link', { name: 'Désigner un mandataire' }).click();
  await expect(rl.page.getByRole('heading', { level: 1, name: 'Désigner un mandataire' })).toBeVisible();
  await rl.page.getByLabel('Identifiant national *').fill(nationalId);
  await rl.page.getByLabel('Nom *', { exact: true }).fill(name);
  await rl.page.getByLabel('Prénom *', { exact: true }).fill('Julie');
  await rl.page.getByRole('button', { name: 'Envoyer la désignation' }).click();
  // Without the document, the field says so and has the focus.
  await expect(rl.page.getByText("Joignez la copie de la pièce d'identité")).toBeVisible();
  await expect(rl.page.getByLabel(/Copie de la pièce d'identité/)).toBeFocused();
  await rl.page.getByLabel(/Copie de la pièce d'identité/).setInputFiles(pdfFile);
  await rl.page.getByRole('button', { name: 'Envoyer la désignation' }).click();
  await expect(rl.page.getByText('Désignation envoyée')).toBeVisible();
  await rl.page.getByRole('link', { name: 'Retour à la structure' }).click();
  await expect(rl.page.getByRole('row', { name: new RegExp(`${name}.*En attente de validation`) })).toBeVisible();

  // Before the validation, she cannot act for A.
  const julie = await holderLoggedIn(browser, card);
  const before = await api(julie.page, 'GET', `/api/structures/${STRUCTURE_A}/fleet`);
  expect(before.status()).toBe(403);

  // The operator reads the document and validates.
  await op.page.goto(`${base()}/back-office`);
  await op.page.getByRole('link', { name: 'Délégations à valider' }).click();
  const row = op.page.getByRole('row', { name: new RegExp(name) });
  const href = await row.getByRole('link', { name: 'Voir la pièce' }).getAttribute('href');
  const document = await op.page.request.get(base() + href);
  expect(document.headers()['content-type']).toBe('application/pdf');
  expect(Buffer.compare(await document.body(), PDF)).toBe(0);
  // Escape drops the question and gives the focus back to the button that asked it.
  await row.getByRole('button', { name: `Valider : Julie ${name}` }).click();
  await expect(op.page.getByRole('button', { name: 'Confirmer' })).toBeFocused();
  await op.page.keyboard.press('Escape');
  await expect(op.page.getByRole('button', { name: 'Confirmer' })).toHaveCount(0);
  await expect(row.getByRole('button', { name: `Valider : Julie ${name}` })).toBeFocused();
  await row.getByRole('button', { name: `Valider : Julie ${name}` }).click();
  await expect(op.page.getByRole('button', { name: 'Confirmer' })).toBeFocused();
  await op.page.getByRole('button', { name: 'Confirmer' }).click();
  await expect(op.page.getByText('Délégation validée : le mandat a commencé.')).toBeVisible();

  // From then on she is a mandataire of A: her space says so, and she orders a card.
  await julie.page.goto(`${base()}/espace`);
  await expect(julie.page.getByRole('row', { name: /CENTRE HOSPITALIER DE DEMONSTRATION A.*Mandataire/ })).toBeVisible();
  const xml = MODEL.replaceAll('760021832', '940000011').replace('PHARMA-2026-001', `${name}-1`)
    .replaceAll('000000018', String(Number(matricule) + 1).padStart(6, '0'));
  const ordered = await api(julie.page, 'POST', `/api/structures/${STRUCTURE_A}/orders`, xml,
    { 'content-type': 'application/xml', 'idempotency-key': `${name}-1`, 'x-order-source': 'fichier' });
  expect(ordered.status(), await ordered.text()).toBe(201);

  // The legal representative ends her mandate (confirmed first).
  await rl.page.reload();
  await rl.page.getByRole('button', { name: `Mettre fin au mandat : Julie ${name}` }).click();
  await rl.page.getByRole('button', { name: 'Confirmer' }).click();
  // The result stays once the people are reloaded, and has the focus.
  await expect(rl.page.getByRole('button', { name: `Mettre fin au mandat : Julie ${name}` })).toHaveCount(0);
  await expect(rl.page.getByText('Mandat terminé')).toBeVisible();
  await expect(rl.page.locator('#resultat-mandat')).toBeFocused();

  // Her next action is refused, and her page says why.
  const refused = await api(julie.page, 'POST', `/api/structures/${STRUCTURE_A}/orders`, xml.replace(`${name}-1`, `${name}-2`),
    { 'content-type': 'application/xml', 'idempotency-key': `${name}-2`, 'x-order-source': 'fichier' });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).code).toBe('mandate_ended');
  await julie.page.goto(`${base()}/espace/structures/${STRUCTURE_A}/parc`);
  await expect(julie.page.getByText('Votre mandat pour cette structure a pris fin').first()).toBeVisible();
  for (const c of [julie, rl, op, m]) await c.context.close();
});

test("désignation d'une personne sans carte : sa carte est commandée dans le même envoi, par le formulaire de commande", async ({ browser }) => {
  const name = `NOUV${tag()}`;
  const rl = await loggedIn(browser, 'representant-legal-a');
  await rl.page.goto(`${base()}/espace/structures/${STRUCTURE_A}/mandataires/designer`);
  const page = rl.page;
  await page.getByLabel(/Copie de la pièce d'identité/).setInputFiles(pdfFile);
  await page.getByLabel('Elle n\'a pas de carte : je la commande avec la désignation').check();
  await page.getByLabel(/Votre adresse électronique/).fill('claire.durand@example.fr');
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
  await card.getByLabel('Code postal *').fill('94000');
  await page.getByRole('button', { name: 'Envoyer la désignation et la commande de carte' }).click();
  await expect(page.getByText('Désignation envoyée')).toBeVisible();
  await expect(page.getByText(`3940000011/${name}`)).toBeVisible();
  // The structure's delegations show it waiting, with its card order.
  await page.getByRole('link', { name: 'Retour à la structure' }).click();
  const row = page.getByRole('row', { name: new RegExp(`${name}.*En attente de validation`) });
  await expect(row.getByRole('link', { name: /Commande C/ })).toBeVisible();
  await rl.context.close();
});

test('un rejet est motivé et le motif est montré au représentant légal', async ({ browser }) => {
  const { name, matricule } = person();
  const m = await loggedIn(browser, 'mandataire-a');
  const op = await loggedIn(browser, 'operateur');
  await fabricatedCard(m.page, op.page, name, matricule);
  const rl = await loggedIn(browser, 'representant-legal-a');
  await designateByApi(rl.page, STRUCTURE_A, `3940000011/${matricule}`, name, 'Julie');

  await op.page.goto(`${base()}/back-office/delegations`);
  const row = op.page.getByRole('row', { name: new RegExp(name) });
  // No rejection without a reason: the field says so and has the focus, nothing is asked.
  await row.getByRole('button', { name: `Rejeter : Julie ${name}` }).click();
  await expect(row.getByText('Indiquez le motif du rejet')).toBeVisible();
  await expect(row.getByLabel('Motif du rejet')).toBeFocused();
  await expect(op.page.getByRole('button', { name: 'Confirmer' })).toHaveCount(0);
  await row.getByLabel('Motif du rejet').fill('Pièce illisible : joignez une copie recto verso');
  await row.getByRole('button', { name: `Rejeter : Julie ${name}` }).click();
  await op.page.getByRole('button', { name: 'Confirmer' }).click();
  await expect(op.page.getByText('Délégation rejetée.')).toBeVisible();

  await rl.page.goto(`${base()}/espace/structures/${STRUCTURE_A}`);
  await expect(rl.page.getByRole('row', { name: new RegExp(`${name}.*Rejetée : Pièce illisible : joignez une copie recto verso`) })).toBeVisible();
  for (const c of [rl, op, m]) await c.context.close();
});

test("contrat d'une entité juridique ; son mandataire passe d'un de ses établissements à l'autre", async ({ browser }) => {
  const op = await loggedIn(browser, 'operateur');
  // The register brings a legal entity (EJ 940000060) and two of its establishments.
  const line = (finess, short, long) => `structureet;${finess};940000060;${short};${long};;;3;AV;DES ROSES;;;081;94;VAL-DE-MARNE;94000 CRETEIL;0145170001;;355;Centre Hospitalier (C.H.);1102;Centres Hospitaliers;;8610Z;03;ARS;1;Etablissement public de santé;1979-02-13;1979-02-13;2024-05-01;`;
  const extract = ['finess;etalab;2;2024-06-30', line('940000078', 'CH NORD', 'CENTRE HOSPITALIER NORD'), line('940000086', 'CH SUD', 'CENTRE HOSPITALIER SUD'), ''].join('\n');
  const imported = await api(op.page, 'POST', '/api/backoffice/register', extract, { 'content-type': 'text/plain' });
  expect(imported.status(), await imported.text()).toBe(200);

  // Two people of A with cards: the legal entity's director and its future mandataire.
  const m = await loggedIn(browser, 'mandataire-a');
  const director = person();
  const directorCard = await fabricatedCard(m.page, op.page, director.name, director.matricule);
  const mandataire = { name: `MAND${tag()}`, matricule: String(Number(director.matricule) + 500000).slice(-6) };
  const mandataireCard = await fabricatedCard(m.page, op.page, mandataire.name, mandataire.matricule);

  // The operator registers the legal entity's contract on the « Contrats » page.
  await op.page.goto(`${base()}/back-office`);
  await op.page.getByRole('link', { name: 'Contrats' }).click();
  await op.page.getByLabel('Identifiant national de la structure *').fill('1940000060');
  await op.page.getByLabel('Identifiant national du représentant légal *').fill(`3940000011/${director.matricule}`);
  await op.page.getByLabel('Nom *', { exact: true }).fill(director.name);
  await op.page.getByLabel('Prénom *', { exact: true }).fill('Julie');
  await op.page.getByRole('button', { name: 'Enregistrer le contrat' }).click();
  await expect(op.page.getByText('Contrat enregistré')).toBeVisible();
  await op.page.getByRole('button', { name: 'Enregistrer le contrat' }).click();
  await expect(op.page.getByText('Cette structure a déjà un représentant légal')).toBeVisible();

  // The director designates the mandataire of the legal entity; the operator validates.
  const d = await holderLoggedIn(browser, directorCard);
  const id = await designateByApi(d.page, '1940000060', `3940000011/${mandataire.matricule}`, mandataire.name, 'Julie');
  const validated = await api(op.page, 'POST', `/api/backoffice/delegations/${id}/validation`, {});
  expect(validated.status(), await validated.text()).toBe(200);

  // The mandataire sees both establishments in their space and works on one, then the other.
  const u = await holderLoggedIn(browser, mandataireCard);
  await u.page.goto(`${base()}/espace`);
  for (const [establishment, other] of [['CENTRE HOSPITALIER NORD', 'CENTRE HOSPITALIER SUD'], ['CENTRE HOSPITALIER SUD', 'CENTRE HOSPITALIER NORD']]) {
    await expect(u.page.getByRole('row', { name: new RegExp(`${other}.*par l'entité juridique 940000060`) })).toBeVisible();
    await u.page.getByRole('link', { name: establishment }).click();
    await expect(u.page.getByRole('heading', { level: 1, name: establishment })).toBeVisible();
    await expect(u.page.getByRole('link', { name: /Parc de cartes/ })).toBeVisible();
    await u.page.getByRole('link', { name: 'Retour à mon espace' }).click();
  }
  // Mandataire A, of A only, does not reach them.
  const r = await api(m.page, 'GET', '/api/structures/1940000078');
  expect(r.status()).toBe(403);
  for (const c of [u, d, m, op]) await c.context.close();
});
