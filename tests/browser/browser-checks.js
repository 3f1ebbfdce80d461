#!/usr/bin/env node
// Browser checks for tests/test_html_quality.sh, in one Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core; no browser is downloaded):
//   - axe-core on the given pages of a built site, at desktop and phone widths: zero violations;
//   - axe-core on a deliberately broken page: it must report the expected violations (the gate
//     can fail);
//   - the language switcher keeps the reader's paragraph: #para-12 in French -> #para-12 in Arabic.
// Usage: node browser-checks.js PUBLIC_DIR BROKEN_PAGE_PATH PAGE_PATH...
//   (paths are URL paths under PUBLIC_DIR, e.g. /en/status/). Prints one "PASS: name" or
//   "FAIL: name" line per check (tests/lib.sh's format), details indented by two spaces.
'use strict';
const fs = require('fs');
const path = require('path');
const { report, pass, fail, start } = require('./common.js');

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [{ name: 'desktop', width: 1280, height: 900 }, { name: 'phone', width: 390, height: 844 }];



async function axe(page) {
  await page.evaluate(() => document.fonts.ready);
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: AXE });
  return page.evaluate(() => window.axe.run(document, {
    resultTypes: ['violations'],
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  }));
}

function describe(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`${v.id} (${v.impact}): ${v.help}`);
    for (const n of v.nodes.slice(0, 3)) lines.push(`  ${n.target.join(' ')}: ${(n.failureSummary || '').split('\n').slice(1).join(' ').trim().slice(0, 160)}`);
  }
  return lines;
}

async function main() {
  const [root, broken, ...pages] = process.argv.slice(2);
  const publicDir = path.resolve(root);
  const { server, base, browser } = await start(publicDir);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15000);

    // 1. axe on every page at both widths.
    for (const w of WIDTHS) {
      await page.setViewportSize({ width: w.width, height: w.height });
      for (const p of pages) {
        const name = `axe: ${p} (${w.name}) has no accessibility violations`;
        try {
          const resp = await page.goto(base + p);
          if (!resp || resp.status() !== 200) { fail(name, [`HTTP ${resp && resp.status()}`]); continue; }
          const r = await axe(page);
          r.violations.length ? fail(name, describe(r.violations)) : pass(name);
        } catch (e) { fail(name, [String(e.message || e).split('\n')[0]]); }
      }
    }

    // 1b. Chinese line breaking: no line of a Chinese page starts with 。，、 or other closing
    // punctuation (kinsoku), at either width.
    for (const w of WIDTHS) {
      await page.setViewportSize({ width: w.width, height: w.height });
      for (const p of pages.filter((x) => x.startsWith('/zh/'))) {
        const name = `no line of ${p} (${w.name}) starts with Chinese closing punctuation`;
        try {
          await page.goto(base + p);
          await page.evaluate(() => document.fonts.ready);
          const bad = await page.evaluate(() => {
            const found = [];
            const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
            const range = document.createRange();
            let prevBottom = null;
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              const text = n.data;
              for (let i = 0; i < text.length; i++) {
                if (/\s/.test(text[i])) continue;
                range.setStart(n, i); range.setEnd(n, i + 1);
                const r = range.getClientRects()[0];
                if (!r) continue;
                const newLine = prevBottom !== null && r.top >= prevBottom - 1;
                if (newLine && /[。，、．：；！？）」』》〉】”’]/.test(text[i]))
                  found.push(`"${text.slice(Math.max(0, i - 8), i + 8)}" (${n.parentElement.closest('[id]')?.id || n.parentElement.tagName})`);
                prevBottom = r.bottom;
              }
            }
            return found;
          });
          bad.length ? fail(name, bad) : pass(name);
        } catch (e) { fail(name, [String(e.message || e).split('\n')[0]]); }
      }
    }

    // 2. The gate can fail: a broken page must be reported.
    await page.setViewportSize({ width: 1280, height: 900 });
    {
      const name = 'axe reports a broken page (image without alt, low contrast, no lang)';
      try {
        await page.goto(base + broken);
        const ids = (await axe(page)).violations.map((v) => v.id);
        const want = ['image-alt', 'color-contrast', 'html-has-lang'];
        const missing = want.filter((id) => !ids.includes(id));
        missing.length ? fail(name, [`not reported: ${missing.join(', ')}; reported: ${ids.join(', ') || 'nothing'}`]) : pass(name);
      } catch (e) { fail(name, [String(e.message || e).split('\n')[0]]); }
    }

    // 3. The language switcher keeps the paragraph anchor (themes/default/static/js/site.js).
    const switchTo = async (from, lang) => {
      await page.goto(base + from);
      await page.waitForLoadState('load');
      await Promise.all([page.waitForURL((u) => !u.href.startsWith(base + from.split('#')[0])),
        page.click(`nav.languages a[hreflang=${lang}]`)]);
      return page.url();
    };
    for (const [from, lang, want, what] of [
      ['/fr/ed-report-wuf12-wuf13/#para-12', 'ar', '/ar/ed-report-wuf12-wuf13/#para-12', 'a paragraph anchor'],
      ['/ar/ed-report-wuf12-wuf13/#fn-1', 'zh', '/zh/ed-report-wuf12-wuf13/#fn-1', 'a footnote anchor'],
      ['/en/ed-report-wuf12-wuf13/#introduction', 'fr', '/fr/ed-report-wuf12-wuf13/#para-2', 'a heading anchor, as the next paragraph'],
    ]) {
      const name = `the language switcher keeps ${what}: ${from} -> ${lang} opens ...${want}`;
      try {
        const url = await switchTo(from, lang);
        url.endsWith(want) ? pass(name) : fail(name, [`opened ${url}`]);
      } catch (e) { fail(name, [String(e.message || e).split('\n')[0]]); }
    }
    {
      const name = 'the paragraph the switcher opened is the target in the new language';
      try {
        await switchTo('/fr/ed-report-wuf12-wuf13/#para-12', 'ar');
        const ok = await page.evaluate(() => {
          const t = document.querySelector(':target');
          const r = t && t.getBoundingClientRect();
          return document.documentElement.lang === 'ar' && t && t.id === 'para-12' && r.top >= -1 && r.top < innerHeight;
        });
        ok ? pass(name) : fail(name, ['#para-12 is not the visible :target of the Arabic page']);
      } catch (e) { fail(name, [String(e.message || e).split('\n')[0]]); }
    }
  } finally {
    await browser.close();
    server.close();
  }
  process.exit(report.failures ? 1 : 0);
}

main().catch((e) => { fail('browser checks run', [String(e.stack || e)]); process.exit(1); });
