#!/usr/bin/env python3
"""One-off: freezes aligned text from the bundled content/ into bench/phrases.json, so the
benchmark corpus stays the same when content/ changes. Run from the repository root:
    python3 bench/make_phrases.py > bench/phrases.json
Blocks of the bundled documents are taken in order; the i-th paragraph (heading, footnote) of a
document is the same text in all six languages, so generated translations stay translations."""
import json, os, re, sys

LANGS = ["en", "fr", "es", "ru", "ar", "zh"]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def blocks(path):
    text = open(path, encoding="utf-8").read()
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
    front = text.split("\n---\n", 1)[0]
    title = re.search(r'^title:\s*"?(.*?)"?\s*$', front, re.M).group(1)
    out = {"title": [title], "heading": [], "para": [], "footnote": [], "table": []}
    in_fence = False
    for b in re.split(r"\n\s*\n", body):
        b = b.strip()
        if not b:
            continue
        if b.startswith("```") or in_fence:
            in_fence = (b.count("```") % 2 == 1) != in_fence
            continue
        if b.startswith("#"):
            out["heading"].append(re.sub(r"^#+\s*", "", b))
        elif b.startswith("|"):
            out["table"].append(b)
        elif b.startswith("[^"):
            for line in b.split("\n"):
                m = re.match(r"\[\^[^\]]+\]:\s*(.*)", line)
                if m:
                    out["footnote"].append(m.group(1))
        elif re.match(r"^([-*]|\d+\.)\s", b):
            continue
        else:
            p = re.sub(r"\[\^[^\]]+\]", "", " ".join(b.split("\n")))
            p = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", p)
            if len(p) > 60:
                out["para"].append(p)
    return out


bank = {l: {"title": [], "heading": [], "para": [], "footnote": [], "table": []} for l in LANGS}
for doc in sorted(os.listdir(os.path.join(ROOT, "content"))):
    got = {l: blocks(os.path.join(ROOT, "content", doc, l + ".md")) for l in LANGS}
    for kind in ["title", "heading", "para", "footnote", "table"]:
        counts = {len(got[l][kind]) for l in LANGS}
        if len(counts) != 1:
            print(f"{doc}: {kind} counts differ {[len(got[l][kind]) for l in LANGS]}; skipped", file=sys.stderr)
            continue
        for l in LANGS:
            bank[l][kind].extend(got[l][kind])
json.dump(bank, sys.stdout, ensure_ascii=False, indent=1)
print()
