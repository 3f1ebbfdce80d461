#!/usr/bin/env python3
"""Checks a built site: every page's <html lang dir>, its hreflang alternates and its language
switcher. Usage: htmlcheck.py PUBLIC_DIR SITE_YAML_LANGS (e.g. "ar:rtl,zh:ltr,en:ltr").
Prints one line per problem and exits 1 if there are any."""
import os
import sys
from html.parser import HTMLParser
from urllib.parse import urlparse


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.html_attrs = None
        self.alternates = {}
        self.canonical = None
        self.switcher_links = []   # (href, lang)
        self.unavailable = []      # lang codes shown as unavailable
        self.in_nav = 0
        self.in_unavailable = 0
        self.links = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_attrs = a
        elif tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            self.alternates[a["hreflang"]] = a["href"]
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"]
        elif tag == "nav" and "languages" in a.get("class", ""):
            self.in_nav += 1
        elif self.in_nav and tag == "a":
            self.switcher_links.append((a.get("href"), a.get("lang")))
        elif self.in_nav and tag == "span" and a.get("class") == "unavailable":
            self.in_unavailable = 1
        elif self.in_unavailable and tag == "span" and "lang" in a:
            self.unavailable.append(a["lang"])
            self.in_unavailable = 0
        if tag == "a" and "href" in a:
            self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "nav" and self.in_nav:
            self.in_nav -= 1


def resolve(public, page_path, href):
    """The file a relative link from page_path points at, or None for external links."""
    u = urlparse(href)
    if u.scheme or href.startswith("#") or href.startswith("mailto:"):
        return None
    target = os.path.normpath(os.path.join(os.path.dirname(page_path), u.path))
    if u.path.endswith("/") or os.path.isdir(target):
        target = os.path.join(target, "index.html")
    return target


def main():
    public, langs = sys.argv[1], dict(x.split(":") for x in sys.argv[2].split(","))
    problems = []
    pages = 0
    for dirpath, _, files in os.walk(public):
        for f in files:
            if not f.endswith(".html"):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, public)
            p = Page()
            p.feed(open(path, encoding="utf-8").read())
            pages += 1
            lang = (p.html_attrs or {}).get("lang")
            if lang not in langs:
                problems.append(f"{rel}: <html lang> is {lang!r}")
                continue
            if (p.html_attrs or {}).get("dir") != langs[lang]:
                problems.append(f"{rel}: <html dir> is {p.html_attrs.get('dir')!r}, expected {langs[lang]}")
            if "x-default" not in p.alternates:
                problems.append(f"{rel}: no hreflang x-default")
            if lang not in p.alternates:
                problems.append(f"{rel}: no hreflang for its own language {lang}")
            linked = {l for _, l in p.switcher_links}
            for code in langs:
                if code != lang and code not in linked and code not in p.unavailable:
                    problems.append(f"{rel}: switcher neither links nor marks unavailable: {code}")
                if code in p.unavailable and code in p.alternates:
                    problems.append(f"{rel}: {code} is unavailable yet has an hreflang alternate")
                if code in linked and code not in p.alternates:
                    problems.append(f"{rel}: switcher links {code} but there is no hreflang for it")
            for href, code in p.switcher_links:
                target = resolve(public, path, href)
                if target and not os.path.isfile(target):
                    problems.append(f"{rel}: switcher link {href} ({code}) leads nowhere")
                elif target:
                    q = Page()
                    q.feed(open(target, encoding="utf-8").read())
                    if q.html_attrs.get("lang") != code:
                        problems.append(f"{rel}: switcher link {href} is labelled {code} but the page is {q.html_attrs.get('lang')}")
            for href in p.links:
                target = resolve(public, path, href)
                if target and not os.path.isfile(target):
                    problems.append(f"{rel}: link {href} leads nowhere")
    if pages == 0:
        problems.append("no HTML pages found")
    for line in problems:
        print(line)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
