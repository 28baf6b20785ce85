/**
 * Accessibility check with axe-core (WCAG 2.x A and AA rules, colour contrast included) on an extension page in the
 * state it is in. `expectAccessible(page, state)` fails with each violation's rule, its elements and what is wrong.
 * `include` limits the check to some elements (with their shadow trees): our inline UI in Gmail, not Gmail's page.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export async function expectAccessible(page: Page, state: string, opts: { include?: string[] } = {}): Promise<void> {
  // Let transitions and late renders settle: axe reads the page as it is at this moment.
  await page.waitForLoadState('domcontentloaded');
  const builder = new AxeBuilder({ page });
  for (const selector of opts.include ?? []) builder.include(selector);
  const { violations } = await builder
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const found = violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`).join(' | ')}`,
  );
  expect(found, `axe violations in ${state}`).toEqual([]);
}
