#!/usr/bin/env python3
"""pdf_checks — checks of document PDFs for tests/test_pdf_documents.sh (poppler and qpdf
only). Each subcommand prints what is wrong and exits 1, or exits 0 silently.

  page1     PDF LANG TEXT...    each TEXT is on page 1 (whitespace-normalized; Arabic: >= 90 %
                                of its characters in order, pdftotext reorders some runs)
  outlines  PDF HEADING...      the outline (bookmarks) has an entry containing each heading
  notes     PDF N               call tokens CALLk and note tokens NOTEk (k = 1..N) are on the
                                same page: every note starts on the page that calls it
  headings  PDF PREFIX SIZE     no line starting with PREFIX (a heading) is the last body line
                                of its page: some word at least SIZE tall lies below it
  uri       PDF URI             a link annotation has exactly this /URI
"""
import difflib, json, re, subprocess, sys


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def norm(s, lang):
    s = re.sub('[\u00ad\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069]', '', s)
    return re.sub(r'\s+', '' if lang == 'zh' else ' ', s).strip()


def pages(pdf):
    n = int(re.search(r'^Pages:\s+(\d+)', run('pdfinfo', pdf), re.M).group(1))
    return [run('pdftotext', '-enc', 'UTF-8', '-f', str(p), '-l', str(p), pdf, '-') for p in range(1, n + 1)]


def page1(pdf, lang, *texts):
    text = norm(pages(pdf)[0], lang)
    bad = 0
    for t in texts:
        t = norm(t, lang)
        if lang == 'ar':
            m = difflib.SequenceMatcher(None, t, text, autojunk=False)
            got = sum(b.size for b in m.get_matching_blocks())
            if got < 0.9 * len(t):
                print(f'not on page 1 ({got}/{len(t)} characters): {t}')
                bad = 1
        elif t not in text:
            print(f'not on page 1: {t}\n  page 1 reads: {text[:400]}')
            bad = 1
    return bad


def outline_titles(pdf):
    data = json.loads(run('qpdf', '--json', '--json-key=outlines', pdf))
    out = []

    def walk(items):
        for o in items:
            out.append(o.get('title', ''))
            walk(o.get('kids', []))
    walk(data.get('outlines', []))
    return out


def outlines(pdf, *headings):
    titles = outline_titles(pdf)
    bad = 0
    if not titles:
        print('no outline')
        return 1
    for h in headings:
        if not any(h in t for t in titles):
            print(f'no bookmark for {h!r}; bookmarks: {titles[:8]}')
            bad = 1
    return bad


def token_pages(texts, prefix):
    found = {}
    for i, t in enumerate(texts):
        for m in re.finditer(prefix + r'(\d+)\b', t):
            found.setdefault(int(m.group(1)), i + 1)
    return found


def notes(pdf, n):
    texts = pages(pdf)
    calls, notes_ = token_pages(texts, 'CALL'), token_pages(texts, 'NOTE')
    bad = 0
    for k in range(1, int(n) + 1):
        if k not in calls or k not in notes_:
            print(f'token CALL{k} or NOTE{k} not found')
            bad = 1
        elif calls[k] != notes_[k]:
            print(f'note {k} is called on page {calls[k]} but starts on page {notes_[k]}')
            bad = 1
    return bad


def headings(pdf, prefix, size):
    html = run('pdftotext', '-bbox', pdf, '-')
    bad = 0
    for pno, page in enumerate(re.findall(r'<page .*?</page>', html, re.S), 1):
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)]
        for (x0, y0, x1, y1, w) in words:
            if w != prefix:
                continue
            below = [v for v in words if v[1] > y1 + 1 and v[3] - v[1] >= float(size)]
            if not below:
                print(f'page {pno}: a heading ({prefix} at y={y0:.0f}) is the last line of the page')
                bad = 1
    return bad


def uri(pdf, want):
    qdf = subprocess.run(['qpdf', '--qdf', '--object-streams=disable', pdf, '-'], capture_output=True, check=True).stdout
    uris = [m.decode('latin-1') for m in re.findall(rb'/URI \((.*?)\)', qdf)]
    if want in uris:
        return 0
    print(f'no link to {want}; links: {uris[:10]}')
    return 1


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    sys.exit({'page1': page1, 'outlines': outlines, 'notes': notes, 'headings': headings, 'uri': uri}[cmd](*args))
