// The walking skeleton as a user sees it: card login, identity, structures, refusals explained,
// authorization, logout and the cross-origin guard.
const { test, expect } = require('@playwright/test');
const { base, contextWithCard } = require('./cards');

async function login(page) {
  await page.goto(base() + '/');
  await expect(page.getByText('Votre carte est reconnue.')).toBeVisible();
  await page.getByRole('button', { name: 'Se connecter avec ma carte' }).click();
}

test('une carte valide connecte son titulaire, qui voit son identité et ses structures', async ({ browser }) => {
  const context = await contextWithCard(browser, 'mandataire-a');
  const page = await context.newPage();
  await login(page);
  await expect(page.getByRole('heading', { name: 'Bienvenue SOPHIE MARTIN' })).toBeVisible();
  await expect(page.getByText("Carte de personnel d'établissement (CPE)")).toBeVisible();
  await expect(page.getByText('3940000011/000101')).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'Mon espace' }).click();
  await expect(page).toHaveURL(/\/espace$/);
  const row = page.getByRole('row', { name: /CENTRE HOSPITALIER DE DEMONSTRATION A/ });
  await expect(row).toContainText('Mandataire');
  await expect(row).toContainText('26940000800018');
  // A reload of a client-side route keeps the page and the session.
  await page.reload();
  await expect(page.getByRole('row', { name: /CENTRE HOSPITALIER DE DEMONSTRATION A/ })).toBeVisible();
  await page.getByRole('link', { name: 'CENTRE HOSPITALIER DE DEMONSTRATION A' }).click();
  await expect(page.getByRole('heading', { name: 'CENTRE HOSPITALIER DE DEMONSTRATION A' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Représentant légal et mandataires' }).getByRole('row', { name: /DURAND/ })).toContainText('Représentant légal');
  await context.close();
});

test('le représentant légal est reconnu avec sa carte de directeur, importée en PKCS#12', async ({ browser }) => {
  const context = await contextWithCard(browser, 'representant-legal-a', { pkcs12: true });
  const page = await context.newPage();
  await login(page);
  await expect(page.getByText("Carte de directeur d'établissement (CDE)")).toBeVisible();
  await page.goto(base() + '/espace');
  await expect(page.getByRole('row', { name: /DEMONSTRATION A/ })).toContainText('Représentant légal');
  await context.close();
});

test('sans carte, la page explique quoi faire et /api/me répond 401', async ({ browser }) => {
  const context = await contextWithCard(browser, null);
  const page = await context.newPage();
  await page.goto(base() + '/');
  await expect(page.getByText("Aucune carte n'a été présentée par votre navigateur.")).toBeVisible();
  await expect(page.getByRole('button', { name: 'Se connecter avec ma carte' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Voir le contrôle détaillé du poste' }).click();
  await expect(page.getByRole('heading', { name: 'Contrôle du poste', level: 1 })).toBeVisible();
  await expect(page.getByRole('row', { name: /Résultat/ })).toContainText('no_certificate');
  await expect(page.getByText('Cookies : OK')).toBeVisible();
  const me = await page.evaluate(async () => {
    const r = await fetch('/api/me');
    return { status: r.status, body: await r.json() };
  });
  expect(me.status).toBe(401);
  expect(me.body.code).toBe('no_certificate');
  await context.close();
});

for (const [card, verdict, message] of [
  ['carte-expiree', 'expired', 'Votre carte a expiré.'],
  ['carte-revoquee', 'revoked', 'Votre carte a été mise en opposition (révoquée).'],
  ['carte-ac-inconnue', 'unknown_ca', 'Votre carte a été émise par une autorité de certification inconnue de TOM.'],
  ['carte-non-cpx', 'not_cpx', "Le certificat présenté n'est pas un certificat d'authentification de carte CPx."],
  ['carte-extension-critique', 'unsupported_critical_extension', 'Le certificat de votre carte contient une extension critique que TOM ne sait pas traiter.'],
]) {
  test(`la carte ${card} est refusée avec son propre diagnostic`, async ({ browser }) => {
    const context = await contextWithCard(browser, card);
    const page = await context.newPage();
    await page.goto(base() + '/');
    await expect(page.getByText(message)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Se connecter avec ma carte' })).toHaveCount(0);
    await page.goto(base() + '/controle-du-poste');
    await expect(page.getByRole('row', { name: /Résultat/ })).toContainText(verdict);
    await expect(page.getByRole('row', { name: /Certificat présenté/ })).toContainText('oui');
    const me = await page.evaluate(async () => (await fetch('/api/me')).json());
    expect(me.code).toBe('card_refused');
    await context.close();
  });
}

test("le mandataire de B n'accède pas aux données de A", async ({ browser }) => {
  const context = await contextWithCard(browser, 'mandataire-b');
  const page = await context.newPage();
  await login(page);
  await expect(page.getByRole('heading', { name: 'Bienvenue LUC BERNARD' })).toBeVisible();
  const r = await page.evaluate(async () => {
    const res = await fetch('/api/structures/1940000011');
    return { status: res.status, body: await res.json() };
  });
  expect(r.status).toBe(403);
  expect(r.body.code).toBe('forbidden_structure');
  await page.goto(base() + '/espace/structures/1940000011');
  await expect(page.getByText("Vous n'avez pas de mandat pour cette structure.")).toBeVisible();
  await context.close();
});

test('se déconnecter ferme la session', async ({ browser }) => {
  const context = await contextWithCard(browser, 'mandataire-a');
  const page = await context.newPage();
  await login(page);
  await expect(page.getByRole('heading', { name: 'Bienvenue SOPHIE MARTIN' })).toBeVisible();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('button', { name: 'Se connecter avec ma carte' })).toBeVisible();
  const me = await page.evaluate(async () => (await fetch('/api/me')).json());
  expect(me.code).toBe('session_required');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Se connecter avec ma carte' })).toBeVisible();
  await context.close();
});

test("une requête POST d'une autre origine est refusée", async ({ browser }) => {
  const context = await contextWithCard(browser, 'mandataire-a');
  const page = await context.newPage();
  // A page of another origin (127.0.0.1 is not localhost for the browser) posts to TOM: the
  // browser presents the card by itself, so TOM must refuse on the origin.
  await page.goto(base().replace('localhost', '127.0.0.1') + '/faq');
  await page.evaluate(async (target) => {
    try {
      await fetch(target + '/api/session', { method: 'POST', mode: 'no-cors', credentials: 'include' });
    } catch (_) { /* the answer is opaque or blocked: what matters is what the server did */ }
  }, base());
  const forged = await context.request.post(base() + '/api/session', {
    headers: { origin: 'https://pirate.example', 'x-csrf-token': 'x' },
  });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).code).toBe('cross_origin');
  // No session came out of either request.
  await page.goto(base() + '/');
  await expect(page.getByRole('button', { name: 'Se connecter avec ma carte' })).toBeVisible();
  await context.close();
});

test('la FAQ répond aux mêmes questions que le contrôle du poste', async ({ browser }) => {
  const context = await contextWithCard(browser, null);
  const page = await context.newPage();
  await page.goto(base() + '/faq');
  for (const q of ["Ma carte n'est pas détectée", 'Le navigateur ne voit pas mes certificats', 'Ma carte a expiré',
    'Ma carte est révoquée (en opposition)', 'Mon établissement utilise un proxy']) {
    await expect(page.getByText(q)).toBeVisible();
  }
  await page.getByText('Mon établissement utilise un proxy').click();
  await expect(page.getByText(/liste blanche/)).toBeVisible();
  await context.close();
});
