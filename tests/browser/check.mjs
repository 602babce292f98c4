// Real-browser check of the pages that `proviso render` writes.
//
//   node check.mjs [--screenshots DIR] [--pdf-dir DIR] FILE.html...
//
// For each page, in Debian's Chromium driven by playwright-core:
//   - no console message of type error, no uncaught page error;
//   - no request other than file:// or data: (the page must fetch nothing);
//   - axe-core (WCAG 2.0/2.1 A and AA, best practice): any `serious` or
//     `critical` violation fails, `moderate`/`minor` ones are printed as warnings;
//   - the page prints to an A4 PDF that is non-empty and starts with %PDF.
// With --screenshots DIR it also writes DIR/render-redline.png (the #changes
// section of a page whose file name contains "redline") or
// DIR/render-flagship.png (the top of any other page).
//
// Exits 1 on any failure, naming the page and what failed.

import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CHROMIUM = '/usr/bin/chromium';
const VIEWPORT = { width: 1200, height: 1500 };
const REDLINE_MAX_HEIGHT = 1400;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const FAILING_IMPACTS = new Set(['serious', 'critical']);
const NODES_SHOWN = 5;

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

function usage(message) {
  if (message) console.error(`check.mjs: ${message}`);
  console.error('usage: node check.mjs [--screenshots DIR] [--pdf-dir DIR] FILE.html...');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { screenshots: null, pdfDir: null, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--screenshots' || arg === '--pdf-dir') {
      const value = argv[++i];
      if (value === undefined || value === '') usage(`${arg} needs a directory`);
      if (arg === '--screenshots') options.screenshots = resolve(value);
      else options.pdfDir = resolve(value);
    } else if (arg === '-h' || arg === '--help') {
      usage();
    } else if (arg.startsWith('--')) {
      usage(`unknown option ${arg}`);
    } else {
      options.files.push(resolve(arg));
    }
  }
  if (options.files.length === 0) usage('no page given');
  return options;
}

// The page itself is the one request it may make: anything else (another
// file beside it, a font, an image, a style sheet) is a resource fetched
// from outside the page.
let pageUrl = '';
function isLocal(url) {
  return url.split('#')[0] === pageUrl || url.startsWith('data:');
}

function describeViolation(v) {
  const lines = [`  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'})`];
  for (const node of v.nodes.slice(0, NODES_SHOWN)) {
    lines.push(`      at ${node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | ')}`);
  }
  if (v.nodes.length > NODES_SHOWN) lines.push(`      ... and ${v.nodes.length - NODES_SHOWN} more`);
  return lines.join('\n');
}

// Checks one page; returns a list of failure messages (empty when it passes).
async function checkPage(file, options) {
  const failures = [];
  const name = basename(file);
  if (!existsSync(file)) return [`file not found: ${file}`];

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    // Anything that would leave the machine is both recorded (below) and refused.
    pageUrl = pathToFileURL(file).href;
    await context.route((url) => !isLocal(url.href), (route) => route.abort('blockedbyclient'));
    const page = await context.newPage();

    page.on('console', (msg) => {
      if (msg.type() === 'error') {
        const loc = msg.location();
        const where = loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : '';
        failures.push(`console error: ${msg.text()}${where}`);
      }
    });
    page.on('pageerror', (err) => failures.push(`page error: ${err.message}`));
    page.on('request', (req) => {
      if (!isLocal(req.url())) failures.push(`request to a non-local URL: ${req.url()}`);
    });

    const response = await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    if (response && !response.ok()) failures.push(`loading the page failed: status ${response.status()}`);
    // Let anything late (timers, lazy images) show itself before judging.
    await page.waitForTimeout(250);

    // axe-core
    await page.addScriptTag({ path: AXE_PATH });
    const results = await page.evaluate(
      (values) => window.axe.run(document, { runOnly: { type: 'tag', values } }),
      AXE_TAGS,
    );
    const failing = results.violations.filter((v) => FAILING_IMPACTS.has(v.impact));
    const warnings = results.violations.filter((v) => !FAILING_IMPACTS.has(v.impact));
    if (failing.length > 0) {
      failures.push(
        `axe: ${failing.length} serious/critical violation${failing.length === 1 ? '' : 's'}:\n` +
          failing.map(describeViolation).join('\n'),
      );
    }
    for (const v of warnings) console.log(`warning: ${name}: axe\n${describeViolation(v)}`);

    // Screenshot (before printing, so the screen styles are what is shown).
    if (options.screenshots) {
      mkdirSync(options.screenshots, { recursive: true });
      if (name.includes('redline')) {
        const box = await page.evaluate(() => {
          const el = document.querySelector('#changes');
          if (!el) return null;
          const r = el.getBoundingClientRect();
          return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
        });
        if (!box || box.width === 0 || box.height === 0) {
          failures.push('screenshot: the page has no visible #changes element');
        } else {
          const out = join(options.screenshots, 'render-redline.png');
          await page.screenshot({
            path: out,
            fullPage: true,
            // A margin around the section, as the page shows it.
            clip: {
              x: Math.max(0, Math.floor(box.x) - 16),
              y: Math.max(0, Math.floor(box.y) - 16),
              width: Math.ceil(box.width) + 32,
              height: Math.min(Math.ceil(box.height), REDLINE_MAX_HEIGHT),
            },
          });
          console.log(`screenshot: ${out}`);
        }
      } else {
        const out = join(options.screenshots, 'render-flagship.png');
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: out });
        console.log(`screenshot: ${out}`);
      }
    }

    // PDF
    const pdfPath = join(options.pdfDir, name.replace(/\.html?$/i, '') + '.pdf');
    await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
    const size = existsSync(pdfPath) ? statSync(pdfPath).size : 0;
    if (size === 0) {
      failures.push(`PDF: ${pdfPath} is empty or missing`);
    } else {
      const head = readFileSync(pdfPath).subarray(0, 4).toString('latin1');
      if (head !== '%PDF') failures.push(`PDF: ${pdfPath} does not start with %PDF (starts with ${JSON.stringify(head)})`);
    }

    await context.close();
    if (failures.length === 0) {
      console.log(
        `ok: ${file} — ${results.passes.length} axe checks passed, ${warnings.length} moderate/minor, PDF ${size} bytes`,
      );
    }
  } catch (err) {
    failures.push(`error while checking: ${err && err.stack ? err.stack : err}`);
  } finally {
    await browser.close();
  }
  return failures;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(CHROMIUM)) {
    console.error(`FAIL: ${CHROMIUM} not found (install Debian's chromium package)`);
    process.exit(1);
  }
  if (!options.pdfDir) options.pdfDir = mkdtempSync(join(tmpdir(), 'proviso-pdf-'));
  mkdirSync(options.pdfDir, { recursive: true });

  let failed = 0;
  for (const file of options.files) {
    const failures = await checkPage(file, options);
    if (failures.length > 0) {
      failed++;
      console.error(`FAIL: ${file}`);
      for (const f of failures) console.error(`  - ${f.replace(/\n/g, '\n    ')}`);
    }
  }
  if (failed > 0) {
    console.error(`browser check: ${failed} of ${options.files.length} page${options.files.length === 1 ? '' : 's'} failed`);
    process.exit(1);
  }
  console.log(`browser check: ${options.files.length} page${options.files.length === 1 ? '' : 's'} passed (PDFs in ${options.pdfDir})`);
}

main().catch((err) => {
  console.error(`FAIL: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
