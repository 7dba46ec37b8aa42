// The operators' page of revocation lists: the CRL applied and its state, reached from the
// back-office.
const { test, expect } = require('@playwright/test');
const { base, loggedIn } = require('./cards');

test('les opérateurs voient les listes de révocation appliquées et leur état', async ({ browser }) => {
  const { context, page } = await loggedIn(browser, 'operateur');
  await page.goto(`${base()}/back-office`);
  await page.getByRole('link', { name: 'Listes de révocation (CRL)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Listes de révocation (CRL)' })).toBeVisible();
  const row = page.getByRole('row', { name: /PERSONNES/ });
  await expect(row).toContainText('À jour');
  await expect(page.getByText(/plus de 24 h fait refuser les cartes/)).toBeVisible();
  await context.close();
});

test('un mandataire ne voit pas les listes de révocation', async ({ browser }) => {
  const { context, page } = await loggedIn(browser, 'mandataire-a');
  await page.goto(`${base()}/back-office/crl`);
  await expect(page.getByText(/réservée aux opérateurs/)).toBeVisible();
  await context.close();
});
