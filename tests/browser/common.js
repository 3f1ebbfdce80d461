// What the browser checks share (tests/browser/browser-checks.js, search/test/search-checks.js):
// Debian's Chromium and its flags, a static server for a built site on loopback, and the
// PASS/FAIL lines of tests/lib.sh.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.xml': 'application/xml',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.pdf': 'application/pdf', '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8' };

const report = { failures: 0 };
const pass = (name) => console.log(`PASS: ${name}`);
const fail = (name, details = []) => {
  report.failures++;
  console.log(`FAIL: ${name}`);
  for (const d of details.slice(0, 20)) console.log(`  ${d}`);
};

// A static file server on 127.0.0.1, port chosen by the system; missing files get the site's
// 404 page, and nothing outside root is served.
function serve(root) {
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.join(root, path.normalize(p));
    if (!file.startsWith(root)) { res.writeHead(403); res.end(); return; }
    if (p.endsWith('/')) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) {
        const notFound = path.join(root, '404.html');
        res.writeHead(404, { 'Content-Type': TYPES['.html'] });
        res.end(fs.existsSync(notFound) ? fs.readFileSync(notFound) : '');
        return;
      }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Serves publicDir and starts Debian's Chromium (playwright-core); a browser that will not
// start is one FAIL line and exit 1. Returns { server, base, browser }.
async function start(publicDir) {
  const { chromium } = require('playwright-core');
  const server = await serve(publicDir);
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30000 });
    return { server, base, browser };
  } catch (e) {
    fail(`Chromium starts (${CHROMIUM})`, [String((e && e.message) || e).split('\n')[0]]);
    server.close();
    process.exit(1);
  }
}

module.exports = { CHROMIUM, ARGS, TYPES, report, pass, fail, serve, start };
