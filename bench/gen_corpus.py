#!/usr/bin/env python3
"""Deterministic benchmark corpus: the same N pages as a wufpress site and as a Hugo site.

    python3 bench/gen_corpus.py --pages 10000 --out DIR [--repo REPO]

writes
    DIR/wufpress/  site.yaml, templates/, themes/ (copied from REPO, the code under test) and
                   content/<doc>/_document.yaml + content/<doc>/<lang>.md
    DIR/hugo/      hugo.yaml, layouts/ (a minimal multilingual Hugo site doing comparable work)
                   and content/<doc>/index.<lang>.md
    DIR/corpus.txt a summary (documents, pages, bytes of Markdown)

Both sites get the same Markdown bodies byte for byte; only the front matter differs (Hugo has
no language-neutral _document.yaml, so date and weight go into every translation).

The text is real UN text in the six scripts, frozen in bench/phrases.json (aligned paragraphs,
headings, footnotes and tables of the bundled documents, see bench/make_phrases.py): the i-th
paragraph is the same paragraph in every language, so a document's translations are
translations of each other and have the same structure, as wufpress requires. Every page has
headings (numbered by wufpress), numbered paragraphs, footnotes and links; about a third have a
table. Sizes: about 1.8 kB of Markdown a page on average, 10,000 pages ~ 18 MB.

Determinism: a fixed xorshift generator seeded by the document number; no clocks, no
dictionary-order dependence. Same arguments, same bytes."""
import argparse, json, os, re, shutil, sys

LANGS = ["ar", "zh", "en", "fr", "ru", "es"]  # UN order, as in site.yaml
NAMES = {"ar": "العربية", "zh": "中文", "en": "English", "fr": "Français", "ru": "Русский", "es": "Español"}
SEE_ALSO = {"en": "See also", "fr": "Voir aussi", "es": "Véase también", "ru": "См. также",
            "ar": "انظر أيضا", "zh": "另见"}
DOC_WORD = {"en": "Document", "fr": "Document", "es": "Documento", "ru": "Документ", "ar": "الوثيقة",
            "zh": "文件"}
SITE_TITLE = {"en": "World Urban Forum", "fr": "Forum urbain mondial", "es": "Foro Urbano Mundial",
              "ru": "Всемирный форум городов", "ar": "المنتدى الحضري العالمي", "zh": "世界城市论坛"}


class Rng:
    """xorshift64*: the same numbers on every Python and platform."""

    def __init__(self, seed):
        self.s = (seed * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & 0xFFFFFFFFFFFFFFFF or 1

    def next(self):
        s = self.s
        s ^= (s >> 12)
        s ^= (s << 25) & 0xFFFFFFFFFFFFFFFF
        s ^= (s >> 27)
        self.s = s
        return (s * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF

    def below(self, n):
        return (self.next() >> 11) % n


def first_sentence(p):
    m = re.match(r"^(.{20,}?(?:[.؟?](?=\s|$)|。))", p)
    s = m.group(1) if m else p
    return s if len(s) < 400 else s[:300].rstrip() + "…"


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def slug(i):
    return "doc-%05d" % i


def plan(i, bank, ndocs):
    """Language-neutral shape of document i: which bank entries go where."""
    r = Rng(i)
    np, nh, nf = len(bank["en"]["para"]), len(bank["en"]["heading"]), len(bank["en"]["footnote"])
    # Paragraphs: whole ones from the bank (~1 kB on average across the six languages) or just
    # their first sentence (~0.2 kB); the mix is set so that with the front matter, headings,
    # footnotes and tables a page averages ~1.8 kB (10,000 pages ~ 18 MB, the target corpus).
    nparas = [1, 1, 2, 2][r.below(4)]
    shape = {
        "title": r.below(nh),
        "intro": r.below(np),
        "chapter": r.below(nh),
        "paras": [(r.below(np), r.below(8) == 0) for _ in range(nparas)],  # (which, whole?)
        "section": r.below(nh) if r.below(2) else None,
        "table": r.below(len(bank["en"]["table"])) if r.below(3) == 0 else None,
        "notes": [r.below(nf) for _ in range(1 + r.below(2))],
        "see": (i + 1 + r.below(ndocs - 1)) % ndocs if ndocs > 1 else i,
    }
    return shape


def body(lang, i, shape, bank):
    b = bank[lang]
    see = shape["see"]
    out = []
    # The introductory paragraph calls the first footnote.
    out.append(first_sentence(b["para"][shape["intro"]]) + "[^1]\n")
    out.append("## " + b["heading"][shape["chapter"]] + "\n")
    for k, (p, whole) in enumerate(shape["paras"]):
        text = b["para"][p] if whole else first_sentence(b["para"][p])
        if k == 0 and len(shape["notes"]) > 1:
            text += "[^2]"
        out.append(text + "\n")
    out.append("%s [%s](../%s/)." % (SEE_ALSO[lang], b["heading"][plan_title_of(see, bank)], slug(see)) + "\n")
    if shape["section"] is not None:
        out.append("### " + b["heading"][shape["section"]] + "\n")
        if shape["table"] is not None:
            out.append(b["table"][shape["table"]] + "\n")
        out.append(first_sentence(b["para"][(shape["intro"] + 1) % len(b["para"])]) + "\n")
    elif shape["table"] is not None:
        out.append(b["table"][shape["table"]] + "\n")
    for k, n in enumerate(shape["notes"]):
        note = b["footnote"][n]
        if k == 0:
            note += " <https://unhabitat.org/wuf>"
        out.append("[^%d]: %s" % (k + 1, note))
    return "\n".join(out) + "\n"


_title_cache = {}


def plan_title_of(i, bank):
    if i not in _title_cache:
        _title_cache[i] = Rng(i).below(len(bank["en"]["heading"]))  # first draw of plan(): title
    return _title_cache[i]


def title(lang, i, shape, bank):
    return "%s — %s %d" % (bank[lang]["heading"][shape["title"]], DOC_WORD[lang], i + 1)


def date(i):
    # 2015-01-01 plus i days, computed without datetime's locale or clocks.
    days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    y, d = 2015, i % 3650
    while True:
        n = 366 if (y % 4 == 0 and (y % 100 or y % 400 == 0)) else 365
        if d < n:
            break
        d -= n
        y += 1
    m = 0
    while True:
        n = days[m] + (1 if m == 1 and n_leap(y) else 0)
        if d < n:
            break
        d -= n
        m += 1
    return "%04d-%02d-%02d" % (y, m + 1, d + 1)


def n_leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


HUGO_CONFIG = """# Minimal multilingual Hugo site doing work comparable to wufpress's bundled templates:
# <html lang dir>, hreflang alternates + x-default, a language switcher in UN order that shows a
# missing translation as not available, a table of contents, per-language lists, RSS feeds,
# sitemaps and 404 pages. Generated by bench/gen_corpus.py.
baseURL: https://wuf.unhabitat.org/
title: World Urban Forum
defaultContentLanguage: en
defaultContentLanguageInSubdir: true
disableKinds: [taxonomy, term]
enableRobotsTXT: true
markup:
  goldmark:
    renderer: { unsafe: false }
    extensions: { table: true, footnote: true, strikethrough: true, linkify: true }
    parser: { autoHeadingID: true }
  tableOfContents: { startLevel: 2, endLevel: 3, ordered: true }
languages:
"""

HUGO_BASEOF = """<!DOCTYPE html>
<html lang="{{ .Lang }}" dir="{{ .Language.LanguageDirection | default "ltr" }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ with .Title }}{{ . }} — {{ end }}{{ .Site.Title }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ .Site.Title }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Lang }}" href="{{ .Permalink }}">
{{ end }}{{ $en := where .AllTranslations "Lang" "en" }}<link rel="alternate" hreflang="x-default" href="{{ with $en }}{{ (index . 0).Permalink }}{{ else }}{{ .Permalink }}{{ end }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:url" content="{{ .Permalink }}">
<link rel="stylesheet" href="{{ "css/style.css" | relURL }}">
</head>
<body class="kind-{{ .Kind }}">
<header class="site-header">
  <a class="site-title" href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
{{ partial "switcher.html" . }}
</header>
<main id="main">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><p>{{ .Site.Title }}</p></footer>
</body>
</html>
"""

HUGO_SWITCHER = """<nav class="languages"><ul>
{{ $page := . }}{{ range .Sites }}{{ $lang := .Language.Lang }}{{ $tr := where $page.AllTranslations "Lang" $lang }}
{{ if eq $lang $page.Lang }}<li><span class="current" lang="{{ $lang }}" dir="{{ .Language.LanguageDirection | default "ltr" }}" aria-current="page">{{ .Language.LanguageName }}</span></li>
{{ else if $tr }}<li><a href="{{ (index $tr 0).RelPermalink }}" lang="{{ $lang }}" hreflang="{{ $lang }}">{{ .Language.LanguageName }}</a></li>
{{ else }}<li><span class="unavailable" lang="{{ $lang }}">{{ .Language.LanguageName }}</span> <span class="note">(n/a)</span></li>
{{ end }}{{ end }}
</ul></nav>
"""

HUGO_SINGLE = """{{ define "main" }}
<article class="document">
<header class="document-header">
  <p class="document-meta"><span class="symbol" dir="ltr">{{ .Params.symbol }}</span> · <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time></p>
  <h1>{{ .Title }}</h1>
  {{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
</header>
<nav class="toc">{{ .TableOfContents }}</nav>
<div class="body">
{{ .Content }}
</div>
</article>
{{ end }}
"""

HUGO_LIST = """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="document-list">
{{ range .Site.RegularPages.ByWeight }}
  <li>
    <h2 class="document-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
    <p class="document-meta"><span class="symbol" dir="ltr">{{ .Params.symbol }}</span> · <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time></p>
    {{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
  </li>
{{ end }}
</ul>
{{ end }}
"""

HUGO_404 = """{{ define "main" }}<h1>404</h1><p><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a></p>{{ end }}
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--repo", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--langs", default=",".join(LANGS), help="subset of languages (UN order kept)")
    ap.add_argument("--no-hugo", action="store_true")
    a = ap.parse_args()
    langs = [l for l in LANGS if l in a.langs.split(",")]
    bank = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "phrases.json"), encoding="utf-8"))

    ndocs = -(-a.pages // len(langs))
    deficit = ndocs * len(langs) - a.pages
    # A few documents lack one translation (as real sites do): evenly spread, never English.
    missing = {}
    for k in range(deficit):
        d = (k + 1) * ndocs // (deficit + 1)
        missing[d] = [l for l in langs if l != "en"][k % (len(langs) - 1)] if len(langs) > 1 else None

    wf, hg = os.path.join(a.out, "wufpress"), os.path.join(a.out, "hugo")
    for d in (wf, hg):
        if os.path.exists(d):
            shutil.rmtree(d)
    # The wufpress site: the repo's own configuration, templates and theme, restricted to langs.
    os.makedirs(wf)
    site_yaml = open(os.path.join(a.repo, "site.yaml"), encoding="utf-8").read()
    site_yaml = "\n".join(line for line in site_yaml.split("\n")
                          if not re.match(r"\s*- \{ code: (\w+)", line) or re.match(r"\s*- \{ code: (\w+)", line).group(1) in langs)
    write(os.path.join(wf, "site.yaml"), site_yaml)
    for sub in ("templates", "themes"):
        shutil.copytree(os.path.join(a.repo, sub), os.path.join(wf, sub))

    if not a.no_hugo:
        cfg = HUGO_CONFIG
        for w, l in enumerate(langs):
            cfg += "  %s: { languageName: %s, languageDirection: %s, weight: %d, title: %s }\n" % (
                l, yaml_str(NAMES[l]), "rtl" if l == "ar" else "ltr", w + 1, yaml_str(SITE_TITLE[l]))
        write(os.path.join(hg, "hugo.yaml"), cfg)
        write(os.path.join(hg, "layouts/_default/baseof.html"), HUGO_BASEOF)
        write(os.path.join(hg, "layouts/_default/single.html"), HUGO_SINGLE)
        write(os.path.join(hg, "layouts/_default/list.html"), HUGO_LIST)
        write(os.path.join(hg, "layouts/index.html"), HUGO_LIST)
        write(os.path.join(hg, "layouts/404.html"), HUGO_404)
        write(os.path.join(hg, "layouts/partials/switcher.html"), HUGO_SWITCHER)
        write(os.path.join(hg, "static/css/style.css"),
              open(os.path.join(a.repo, "themes/default/static/css/style.css"), encoding="utf-8").read())

    pages = md_bytes = 0
    for i in range(ndocs):
        s, shape = slug(i), plan(i, bank, ndocs)
        symbol = "HSP/WUF/BENCH/%05d" % (i + 1)
        write(os.path.join(wf, "content", s, "_document.yaml"),
              "# Benchmark document %d (bench/gen_corpus.py).\nsymbol: %s\ndate: %s\noriginal: en\n"
              "distribution: General\nweight: %d\nnumbered_paragraphs: true\n"
              "heading_numbering: { 2: chapter, 3: section }\n" % (i + 1, symbol, date(i), i + 1))
        for l in langs:
            if missing.get(i) == l:
                continue
            t = title(l, i, shape, bank)
            summary = first_sentence(bank[l]["para"][shape["intro"]])
            text = body(l, i, shape, bank)
            front = "---\ntitle: %s\nsummary: %s\n" % (yaml_str(t), yaml_str(summary))
            write(os.path.join(wf, "content", s, l + ".md"), front + "---\n" + text)
            if not a.no_hugo:
                write(os.path.join(hg, "content", s, "index.%s.md" % l),
                      front + "symbol: %s\ndate: %s\nweight: %d\n---\n%s" % (symbol, date(i), i + 1, text))
            pages += 1
            md_bytes += len((front + "---\n" + text).encode("utf-8"))
    summary = "documents %d\npages %d\nlanguages %s\nmarkdown_bytes %d\n" % (ndocs, pages, ",".join(langs), md_bytes)
    write(os.path.join(a.out, "corpus.txt"), summary)
    sys.stdout.write(summary)


if __name__ == "__main__":
    main()
