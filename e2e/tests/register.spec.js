// The FINESS register: the operator uploads an extract with a malformed line (counts and the
// line's number shown), a mandataire edits the structure's phone, the next extract overrides it,
// and the structure's history shows the override with the register's date.
const { test, expect } = require('@playwright/test');
const { base, loggedIn } = require('./cards');

const lineA = (phone) => `structureet;940000011;940000037;CH DEMO A;CENTRE HOSPITALIER DE DEMONSTRATION A;;;12;RUE;DES LILAS;;;081;94;VAL-DE-MARNE;94000 CRETEIL;${phone};;355;Centre Hospitalier (C.H.);1102;Centres Hospitaliers;;8610Z;03;ARS;1;Etablissement public de santé;1979-02-13;1979-02-13;2024-05-01;`;

const extract = (date, lines) => ({
  name: `finess-${date}.csv`,
  mimeType: 'text/csv',
  buffer: Buffer.from([`finess;etalab;${lines.length};${date}`, ...lines, ''].join('\n'), 'latin1'),
});

async function upload(browser, file) {
  const { context, page } = await loggedIn(browser, 'operateur');
  await page.goto(`${base()}/back-office`);
  await page.getByRole('link', { name: 'Registre FINESS' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Registre FINESS' })).toBeVisible();
  await page.getByLabel('Extrait FINESS').setInputFiles(file);
  await expect(page.getByText('Import terminé')).toBeVisible();
  return { context, page };
}

test("l'opérateur importe le registre ; la ligne incorrecte est signalée et le registre l'emporte sur une modification, visible dans l'historique", async ({ browser }) => {
  let { context, page } = await upload(browser, extract('2024-06-30', [lineA('0145171234'), 'structureet;123;incomplet']));
  await expect(page.getByText(/Registre du 2024-06-30 : \d+ créé\(s\), \d+ mis à jour, \d+ inchangé\(s\), 1 refusé\(s\)/)).toBeVisible();
  const refused = page.getByRole('row', { name: /incomplet/ });
  await expect(refused.getByRole('cell').first()).toHaveText('3');
  await context.close();

  ({ context, page } = await loggedIn(browser, 'mandataire-a'));
  await page.goto(`${base()}/espace/structures/1940000011`);
  await expect(page.getByRole('link', { name: /Entité juridique 940000037/ })).toBeVisible();
  await page.getByLabel('Téléphone').fill('01 99 99 99 99');
  await page.getByRole('button', { name: 'Enregistrer les coordonnées' }).click();
  await expect(page.getByText('Coordonnées enregistrées.')).toBeVisible();
  await expect(page.getByRole('row', { name: /Modifié par .*01 99 99 99 99/ })).toBeVisible();
  await context.close();

  ({ context, page } = await upload(browser, extract('2024-07-31', [lineA('0145171234')])));
  await expect(page.getByText(/Registre du 2024-07-31 : 0 créé\(s\), 1 mis à jour/)).toBeVisible();
  await context.close();

  ({ context, page } = await loggedIn(browser, 'mandataire-a'));
  await page.goto(`${base()}/espace/structures/1940000011`);
  const override = page.getByRole('row', { name: /Registre FINESS du 2024-07-31/ });
  await expect(override).toContainText('Téléphone');
  await expect(override).toContainText('01 99 99 99 99');
  await expect(override).toContainText('0145171234');
  await context.close();
});
