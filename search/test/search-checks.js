#!/usr/bin/env node
// Browser checks for tests/test_search.sh, in one Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser is downloaded), on a built site with its Pagefind index, served by
// a static server on 127.0.0.1 that this script starts and stops:
//   - without JavaScript the search box stays hidden and the page reads as before;
//   - a reader types a word into the search box of a language's pages; the first place shown
//     links into the right document at a paragraph (#para-N) or heading whose text holds the word:
//     Chinese inside unsegmented text, Arabic with and without harakat (same places both ways),
//     French with its accents typed or not (same places both ways);
//   - axe-core finds no accessibility violation in the search box with results open (en, ar, zh).
// Usage: node search-checks.js PUBLIC_DIR. SCREENSHOT_DIR=dir also saves search-LANG.png there.
// Prints one "PASS: name" / "FAIL: name" line per check (tests/lib.sh's format).
'use strict';
const fs = require('fs');
const path = require('path');
const { report, pass, fail, start } = require('../../tests/browser/common.js');


const first = (e) => String((e && e.message) || e).split('\n')[0];


// Types QUERY into the search box of PAGE_PATH and returns the places shown, in order:
// [{ doc: document link, href: place link, title }] (hrefs absolute, anchors decoded).
async function search(page, base, pagePath, query) {
  await page.goto(base + pagePath);
  const input = page.locator('#search-input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.click();
  await input.pressSequentially(query, { delay: 20 });
  const want = query.replace(/\s+/g, ' ').trim();
  await page.waitForFunction((q) => {
    const box = document.getElementById('site-search');
    return box.dataset.state === 'error' || (box.dataset.state === 'done' && box.dataset.query === q);
  }, want, { timeout: 15000 });
  return page.evaluate(() => {
    const box = document.getElementById('site-search');
    if (box.dataset.state === 'error') throw new Error(`the search box says: ${box.querySelector('.search-status').textContent}`);
    const out = [];
    for (const hit of box.querySelectorAll('.search-hit')) {
      const doc = hit.querySelector('.search-hit-title a').href;
      for (const a of hit.querySelectorAll('a.search-place')) out.push({ doc, href: decodeURI(a.href), title: a.textContent });
    }
    return { places: out, status: box.querySelector('.search-status').textContent };
  });
}

// The text of the place a link opens, as Pagefind cuts a document into places: from the element
// with that id (a heading, or a paragraph or note titled for search) to the next such element;
// without an anchor, from the start of the document to its first anchor.
async function placeText(page, href) {
  return page.evaluate(async (href) => {
    const url = new URL(href);
    const html = await (await fetch(url.pathname)).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const article = doc.querySelector('[data-pagefind-body]');
    if (!article) return null;
    article.querySelectorAll('[data-pagefind-ignore]').forEach((n) => n.remove());
    const id = decodeURIComponent(url.hash.slice(1));
    const isAnchor = (n) => n.id && (/^H\d$/.test(n.tagName) || n.hasAttribute('data-pagefind-title'));
    let inside = !id, seen = false, text = '';
    const walker = doc.createTreeWalker(article, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 1 && isAnchor(n)) {
        if (inside && (seen || !id)) break;
        if (n.id === id) { inside = true; seen = true; continue; }
      }
      if (inside && n.nodeType === 3) text += n.data;
    }
    return id && !seen ? null : text;
  }, href);
}
const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

async function main() {
  const publicDir = path.resolve(process.argv[2]);
  const shots = process.env.SCREENSHOT_DIR;
  const { server, base, browser } = await start(publicDir);
  try {
    // 1. Without JavaScript nothing of the search shows, and the document is all there.
    {
      const name = 'without JavaScript the search box stays hidden and the document reads in full';
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      try {
        await page.goto(`${base}/en/wuf12-report/`);
        const r = await page.evaluate(() => ({
          box: !!document.getElementById('site-search'),
          visible: !!document.getElementById('site-search')?.checkVisibility(),
          paras: [...document.querySelectorAll('p[id^="para-"]')].filter((p) => p.checkVisibility()).length,
        }));
        r.box && !r.visible && r.paras >= 10 ? pass(name) : fail(name, [JSON.stringify(r)]);
      } catch (e) { fail(name, [first(e)]); }
      await context.close();
    }

    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(first(e)));

    // 2. Queries typed as a reader would. `same` names an earlier query that must find the same places.
    const queries = [
      { lang: 'zh', q: '住房', word: '住房', what: 'a Chinese word inside unsegmented text' },
      { lang: 'ar', q: 'التنمية', word: 'التنمية', what: 'an Arabic word as written' },
      { lang: 'ar', q: 'التَّنْمِيَة', word: 'التنمية', what: 'the same Arabic word typed with harakat', same: 'التنمية' },
      { lang: 'ar', q: 'يُستعرض', word: 'يستعرض', what: 'an Arabic word with the harakat of the text', doc: '/ar/wuf12-report/' },
      { lang: 'ar', q: 'يستعرض', word: 'يستعرض', what: 'the same word typed without harakat', doc: '/ar/wuf12-report/', same: 'يُستعرض' },
      { lang: 'fr', q: 'développement', word: 'developpement', what: 'a French word with its accents' },
      { lang: 'fr', q: 'developpement', word: 'developpement', what: 'the same French word typed without accents', same: 'développement' },
      { lang: 'fr', q: 'equilibre', word: 'equilibre', what: 'an accented French heading typed without accents', doc: '/fr/wuf12-report/' },
      { lang: 'en', q: 'housing', word: 'housing', what: 'an English word' },
    ];
    const found = {};
    for (const t of queries) {
      const name = `search (${t.lang}) "${t.q}" — ${t.what} — links to a paragraph or heading holding it`;
      try {
        const r = await search(page, base, `/${t.lang}/`, t.q);
        found[t.q] = r.places.map((p) => p.href);
        const top = r.places[0];
        const problems = [];
        let shown = top && top.href;
        if (!top) problems.push(`no place shown (status: "${r.status}")`);
        else {
          const u = new URL(top.href);
          if (!u.pathname.startsWith(`/${t.lang}/`) || !top.href.startsWith(top.doc)) problems.push(`first place ${top.href} is not in a ${t.lang} document (${top.doc})`);
          if (t.doc && u.pathname !== t.doc) problems.push(`first place ${top.href} is not in ${t.doc}`);
          const text = await placeText(page, top.href);
          if (text === null) problems.push(`${top.href}: no element has that id`);
          else if (!fold(text).includes(fold(t.word))) problems.push(`${top.href} ("${top.title}") does not hold "${t.word}"`);
          // Numbered paragraphs are places of their own: one of them must be shown, and hold the word.
          const para = r.places.find((p) => /#para-\d+$/.test(p.href));
          if (!t.doc) {
            if (!para) problems.push(`no place is a numbered paragraph: ${r.places.map((p) => p.href).join(' ')}`);
            else if (!fold((await placeText(page, para.href)) || '').includes(fold(t.word))) problems.push(`${para.href} ("${para.title}") does not hold "${t.word}"`);
            else shown = para.href;
          }
        }
        if (t.same) {
          const a = JSON.stringify(found[t.same]), b = JSON.stringify(found[t.q]);
          if (a !== b) problems.push(`"${t.q}" and "${t.same}" found different places:`, `  ${b}`, `  ${a}`);
        }
        problems.length ? fail(name, problems) : pass(`${name}: ${shown.replace(base, '')}`);
      } catch (e) { fail(name, [first(e)]); }
    }

    // 3. Accessibility of the open search box (axe-core), and pictures of it for a person to look at.
    let AXE = null;
    try { AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'); } catch (e) { /* below */ }
    for (const [lang, q] of [['en', 'housing'], ['ar', 'التنمية'], ['zh', '住房']]) {
      const name = `axe: /${lang}/wuf12-report/ with search results open has no accessibility violations`;
      try {
        await search(page, base, `/${lang}/wuf12-report/`, q);
        if (shots) await page.screenshot({ path: path.join(shots, `search-${lang}.png`) });
        if (!AXE) { fail(name, ['axe-core is not installed (tests/browser/node_modules)']); continue; }
        await page.addScriptTag({ content: AXE });
        const r = await page.evaluate(() => window.axe.run(document, {
          resultTypes: ['violations'],
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
        }));
        r.violations.length ? fail(name, r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)) : pass(name);
      } catch (e) { fail(name, [first(e)]); }
    }

    // 4. A place link opens the paragraph it names.
    {
      const name = 'following a result opens the document at that paragraph';
      try {
        const r = await search(page, base, '/fr/', 'developpement');
        const target = r.places.find((p) => /#para-\d+$/.test(p.href));
        await Promise.all([page.waitForURL((u) => u.hash.startsWith('#para-')), page.click(`a.search-place[href$="${new URL(target.href).hash}"]`)]);
        const ok = await page.evaluate(() => {
          const t = document.querySelector(':target');
          const rect = t && t.getBoundingClientRect();
          return !!t && /^para-\d+$/.test(t.id) && rect.top >= -1 && rect.top < innerHeight;
        });
        ok ? pass(`${name} (${page.url().replace(base, '')})`) : fail(name, [`${page.url()}: no visible :target paragraph`]);
      } catch (e) { fail(name, [first(e)]); }
    }
    errors.length ? fail('no script errors in the pages searched', errors) : pass('no script errors in the pages searched');
  } finally {
    await browser.close();
    server.close();
  }
  process.exit(report.failures ? 1 : 0);
}

main().catch((e) => { fail('search browser checks run', [String(e.stack || e)]); process.exit(1); });
