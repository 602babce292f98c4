// The playground in a real browser (Debian's chromium, headless, driven by
// playwright-core), served from 127.0.0.1:
//   - it loads with no console error and asks nothing of any other host;
//   - the examples menu holds the flagship (2025 and 2019) and every
//     example;
//   - a misspelt party typed into the flagship is underlined with its
//     diagnostic (E0204) and the fix it suggests; applying the fix from
//     the editor clears it;
//   - the flagship's events give the overdue 2026-Q2 share of clause 1 and
//     the violation of clause 4, in the report and its JSON, exit 1;
//   - the Document tab holds the rendered page, the Changes tab the review
//     against 2019;
//   - a shared link opened in a fresh page gives the same texts back.
// It prints how long a check and an evaluation took in the page.
//
//   node playground/web/tests/browser.mjs [--screenshots DIR]
import { chromium } from 'playwright-core';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const shots = args[0] === '--screenshots' && args[1] ? resolve(args[1]) : null;

const server = await serve(join(here, '..', 'dist'));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const problems = [];
let checks = 0;
function check(condition, what) {
  checks++;
  if (!condition) {
    problems.push(what);
    console.error(`FAILED: ${what}`);
  }
}

async function open(url) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:') && !r.url().startsWith('about:')) {
      problems.push(`request to another host: ${r.url()}`);
    }
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
  return page;
}

const text = (page, id) => page.locator(`#${id}`).textContent();
const contract = (page) => page.evaluate(() => window.playground.current().contract);
const idle = (page) => page.waitForTimeout(700);

try {
  const page = await open(`${origin}/`);
  const options = await page.locator('#example option').allTextContents();
  // The shared-link entry, the flagship twice, and every example.
  const exampleFiles = readdirSync(join(here, '..', '..', '..', 'examples')).filter((f) => f.endsWith('.proviso'));
  const expected = 1 + 2 + exampleFiles.length;
  check(options.length === expected, `examples menu has ${options.length} entries, expected ${expected}`);
  check(options[1].includes('Microsoft') && options[1].includes('2019'), 'the flagship (against 2019) comes first');
  await idle(page);
  check((await text(page, 'status')) === 'checks, lint clean', `the flagship checks clean: ${await text(page, 'status')}`);

  // A misspelt party, typed at the end of the flagship.
  await page.locator('#contract-editor .cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('\nclause 9 "Typo"\n  openai must pay microsfot USD 1 due 2026-06-30\n');
  await page.waitForSelector('#contract-editor .cm-lintRange-error', { timeout: 5000 });
  const problemsText = await text(page, 'problems-output');
  check(problemsText.includes('E0204'), 'the misspelt party gets E0204 in Problems');
  check(/did you mean `microsoft`/.test(problemsText), 'with the suggestion `microsoft`');
  check((await text(page, 'status')).startsWith('1 error'), 'the status says 1 error');
  if (shots) {
    await page.locator('#contract-editor .cm-lintRange-error').last().hover();
    await page.waitForSelector('.cm-tooltip-lint', { timeout: 5000 });
    await page.locator('#contract-editor .cm-scroller').evaluate((s) => s.scrollBy(0, 0));
    await page.screenshot({ path: join(shots, 'playground-diagnostic.png') });
  }
  // A hover on a name while the diagnostic stands: `microsoft` in
  // `microsoft may research_agi` (clause 8), as proviso lsp answers it.
  await page
    .locator('#contract-editor .cm-line', { hasText: 'microsoft may research_agi' })
    .locator('span', { hasText: /^microsoft$/ })
    .first()
    .hover();
  const tooltip = page.locator('.proviso-hover');
  await tooltip.waitFor({ timeout: 5000 });
  const hoverText = await tooltip.textContent();
  check(hoverText.startsWith('party microsoft: Microsoft Corporation'), `a hover on a party gives its legal name: ${hoverText}`);
  if (shots) await page.screenshot({ path: join(shots, 'editor-hover-and-diagnostic.png'), clip: { x: 0, y: 0, width: 1000, height: 1000 } });
  await page.mouse.move(0, 0);

  // Apply the fix from the diagnostic's tooltip.
  await page.locator('#contract-editor .cm-lintRange-error').last().hover();
  const fix = page.locator('.cm-tooltip-lint button', { hasText: 'Replace with `microsoft`' });
  await fix.waitFor({ timeout: 5000 });
  await fix.click();
  await idle(page);
  check((await contract(page)).includes('openai must pay microsoft USD 1 due 2026-06-30'), 'the fix rewrote the party');
  check((await page.locator('#contract-editor .cm-lintRange-error').count()) === 0, 'no error left after the fix');

  // Completion: after `pay `, the parties.
  await page.locator('#contract-editor .cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('  openai must pay ');
  await page.keyboard.type('mi');
  const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'microsoft' });
  await option.first().waitFor({ timeout: 5000 });
  check((await page.locator('.cm-tooltip-autocomplete li').count()) === 1, 'after `pay mi`, one completion: microsoft');
  await page.keyboard.press('Escape');
  for (let i = 0; i < '  openai must pay mi'.length; i++) await page.keyboard.press('Backspace');
  await idle(page);

  // The flagship's events, as of 2030-12-31: the report.
  await page.locator('#report-tab').click();
  const report = await text(page, 'report-output');
  check(/openai owes microsoft USD 2,500,000\.00 for 2026-Q2, due 2026-08-14: OVERDUE/.test(report), 'the overdue 2026-Q2 share');
  check(/VIOLATION of clause 4 "Azure exclusivity for third-party API products"/.test(report), 'the clause 4 violation');
  check((await text(page, 'exit')).startsWith('exit 1'), 'exit 1: findings');
  await page.locator('#json-tab').click();
  const json = JSON.parse(await text(page, 'json-output'));
  check(
    json.violations.some((v) => v.clause === '4' && v.event.id === 'serve-1' && v.kind === 'violation'),
    'the JSON report has the clause 4 violation by serve-1',
  );
  if (shots) {
    await page.locator('#report-tab').click();
    await page.screenshot({ path: join(shots, 'playground-report.png') });
  }
  await page.locator('#document-tab').click();
  const frame = page.frameLocator('#document-frame');
  await frame.locator('h1').first().waitFor({ timeout: 5000 });
  check((await frame.locator('h1').first().textContent()).includes('Microsoft'), 'the Document tab shows the rendered contract');
  await page.locator('#changes-tab').click();
  const changes = await text(page, 'changes-output');
  check(changes.includes('Change review: contracts/microsoft-openai-2025.proviso against contracts/microsoft-openai-2019.proviso'), 'the Changes tab reviews 2025 against 2019');
  check(changes.includes('percentage: 32.5% → 27% (against microsoft: a lower stake)'), 'with the stake cut from 32.5% to 27%');

  // Timings: the re-check after each edit, the evaluation of the events.
  const timings = await page.evaluate(() => window.provisoTimings);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  console.log(`in the page: check+lint of the flagship ${median(timings.check).toFixed(1)} ms (median of ${timings.check.length}), evaluation of its events ${median(timings.evaluate).toFixed(1)} ms (median of ${timings.evaluate.length})`);

  // Share, then open the link in a fresh page.
  await page.locator('#share').click();
  await page.waitForSelector('#share-link:not([hidden])');
  const link = await page.locator('#share-link').inputValue();
  check(link.startsWith(`${origin}/#1.`), 'the link carries the texts in its fragment');
  const before = await contract(page);
  const again = await open(link);
  await idle(again);
  check((await contract(again)) === before, 'the shared link gives the same contract back');
  check((await again.locator('#as-of').inputValue()) === '2030-12-31', 'and the same date');
  check((await text(again, 'report-output')).includes('2026-Q2, due 2026-08-14: OVERDUE'), 'and the same report');

  // Events in YAML: the format menu renames them, and they are read so.
  await page.locator('#events-format').selectOption('yaml');
  check((await text(page, 'events-name')) === 'contracts/events/microsoft-openai-2025.yaml', 'YAML renames the events');
  await page.locator('#events-editor .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(
    'events:\n  - type: serve\n    date: 2026-08-01\n    id: serve-1\n    by: openai\n    product: joint API with a partner\n' +
      '    kind: api_product\n    cloud: aws\n    customer: commercial\n    with_third_party: true\n',
  );
  await idle(page);
  await page.locator('#report-tab').click();
  check(
    (await text(page, 'report-output')).includes('VIOLATION of clause 4 "Azure exclusivity for third-party API products" by #1 serve 2026-08-01 (id serve-1)'),
    'the YAML event breaches clause 4',
  );

  // A lint at the deny level counts as an error in the status: a term
  // that ends before the contract takes effect (L0201 term-ends-before-start
  // is denied by default).
  await page.locator('#example').selectOption('0');
  await idle(page);
  const first = await contract(page);
  const term = first.match(/term through \d{4}-\d{2}-\d{2}/)?.[0];
  check(term !== undefined, 'the flagship has a term end date');
  if (term) {
    await page.evaluate(
      ([term]) => {
        const texts = window.playground.current();
        window.playground.load({ ...texts, contract: texts.contract.replace(term, 'term through 2019-01-01') });
      },
      [term],
    );
    await idle(page);
    const status = await text(page, 'status');
    check(/^\d+ errors?/.test(status), `a denied lint is counted as an error: ${status}`);
  }

  // A broken link opens the first example, not an error.
  const broken = await open(`${origin}/#1.not-a-link`);
  check((await broken.locator('#example').inputValue()) === '0', 'a broken link opens the first example');
} finally {
  await browser.close();
  server.close();
}

for (const p of problems) console.error(p);
console.log(`${checks} checks, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
