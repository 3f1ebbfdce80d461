#!/usr/bin/env python3
"""wufpress against the tools people would otherwise use (issue 10). Run by bench/run.sh
(`make bench`); see bench/RESULTS.md for the latest figures.

Measures, each as the median of several runs, wall time and peak memory (/usr/bin/time -v,
"Maximum resident set size"):
  1. HTML, 10,000 pages in six languages (bench/gen_corpus.py): `wufpress build --no-pdf`
     against Hugo on the same pages with a comparable multilingual site, beside two floors no
     such build goes below: making its output tree alone (bench/fs_floor.c) and cmark-gfm alone
     parsing and rendering its Markdown (bench/md_floor.c);
  2. PDF, the bundled documents in en, ar and zh: wufpress (one document, one language a run)
     against WeasyPrint on the HTML of the same document with bench/print.css; sizes side by side;
  In 1 and 2 the tools take turns (take_turns), so a slow minute of the machine falls on all.
  3. a rebuild after one edit (the bundled site with PDFs; the 10,000-page site, HTML only);
  4. the whole bundled site, HTML and every PDF, from cold (no PDF cache) and warm.
Prints a table with PASS/MISS against the targets of issue 10 and exits 0 (the figures are
reported, not asserted). Writes only into bench/out/ (or BENCH_OUT) and a temporary folder it removes.

Environment: BENCH_PAGES (10000), BENCH_RUNS (5), BENCH_SLOW_RUNS (3, Hugo and WeasyPrint),
BENCH_KEEP=1 keeps the temporary folder, BENCH_NO_HUGO=1 / BENCH_NO_WEASYPRINT=1 skip a tool,
BENCH_ONLY=html,pdf,rebuild,site runs only those parts, BENCH_OUT=DIR writes there instead of
bench/out (tests/test_bench.sh)."""
import json, os, platform, re, shutil, statistics, subprocess, sys, tempfile, time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
OUT = os.environ.get("BENCH_OUT") or os.path.join(BENCH, "out")
WUFPRESS = os.environ.get("WUFPRESS", os.path.join(REPO, "bin", "wufpress"))
PAGES = int(os.environ.get("BENCH_PAGES", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SLOW_RUNS = int(os.environ.get("BENCH_SLOW_RUNS", "3"))
ONLY = set(filter(None, os.environ.get("BENCH_ONLY", "html,pdf,rebuild,site").split(",")))
PDF_LANGS = ["en", "ar", "zh"]
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None

LOG = None
# serve.c waits this long after the last event of a save before it builds.
SERVE_DEBOUNCE_MS = int(re.search(r"#define DEBOUNCE_MS (\d+)", open(os.path.join(REPO, "generator", "serve.c")).read()).group(1))


def log(msg=""):
    print(msg, flush=True)
    if LOG:
        LOG.write(msg + "\n")
        LOG.flush()


def tool(name):
    if os.environ.get("BENCH_NO_" + name.upper()) == "1":
        return None
    return shutil.which(name)


# ---- measuring ---------------------------------------------------------------------------------

class Failed(Exception):
    pass


def run(cmd, cwd=None, env=None, check=True):
    """Runs cmd once; returns (wall seconds, peak RSS in KiB, CPU seconds). Wall time is taken
    here (the precision of `time -v`'s m:ss.ss is too coarse for a 30 ms rebuild); CPU time
    (user + system, the child and what it waited for) and, without /usr/bin/time, the peak RSS
    come from wait4's rusage of the child; with it, the peak RSS is `time -v`'s."""
    e = dict(os.environ, **(env or {}))
    # Untimed: write back what earlier runs left dirty in the page cache (an ext4 build leaves
    # ~100 MB), so the kernel's flusher threads do not take CPU from this run on 2 cores.
    os.sync()
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = [GNU_TIME, "-v", "-o", tf.name] + cmd if GNU_TIME else cmd
        t0 = time.perf_counter()
        p = subprocess.Popen(full, cwd=cwd, env=e, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        out = p.stdout.read()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.stdout.close()
        p.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        rss = ru.ru_maxrss  # KiB on Linux
        if GNU_TIME:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", tf.read())
            rss = int(m.group(1)) if m else 0
        if check and p.returncode != 0:
            raise Failed("%s exited %d:\n%s" % (" ".join(cmd), p.returncode, out.decode(errors="replace")[-3000:]))
    return wall, rss, ru.ru_utime + ru.ru_stime


def median_of(n, prepare, cmd_for, cleanup=None, warmup=True, **kw):
    """Median wall time, peak RSS and CPU time of n runs; prepare(k) runs untimed before run k
    (k = -1 is the warm-up run, whose figures are dropped)."""
    walls, rsss, cpus = [], [], []
    for k in range(-1 if warmup else 0, n):
        if prepare:
            prepare(k)
        w, r, c = run(cmd_for(k), **kw)
        if k >= 0:
            walls.append(w)
            rsss.append(r)
            cpus.append(c)
        if cleanup:
            cleanup(k)
    return {"wall": statistics.median(walls), "rss_kb": statistics.median(rsss), "cpu": statistics.median(cpus),
            "runs": len(walls), "walls": [round(w, 4) for w in walls]}


def take_turns(series):
    """Runs several series in turns (a b c a b c ...: a slow minute of the machine then falls on
    every tool alike, not on whichever ran then), after one discarded warm-up turn. series:
    (key, label, runs, fn) with fn(k) -> (wall, rss, cpu, shape or None); a series with fewer
    runs sits out the last turns. Returns key -> medians as median_of gives them (+ the shape
    dict of its last run, if any)."""
    res = {key: {"walls": [], "rss": [], "cpu": []} for key, *_ in series}
    shapes = {}
    for k in range(-1, max(n for _, _, n, _ in series)):
        for key, label, n, fn in series:
            if k < n:
                w, r, cpu, shape = fn(k)
                if k >= 0:
                    res[key]["walls"].append(w)
                    res[key]["rss"].append(r)
                    res[key]["cpu"].append(cpu)
                    if shape:
                        shapes[key] = shape
    out = {}
    for key, v in res.items():
        out[key] = {"wall": statistics.median(v["walls"]), "rss_kb": statistics.median(v["rss"]),
                    "cpu": statistics.median(v["cpu"]), "runs": len(v["walls"]), "walls": [round(w, 4) for w in v["walls"]]}
        out[key].update(shapes.get(key, {}))
    return out


def rmtree(p):
    shutil.rmtree(p, ignore_errors=True)


def fmt_s(s):
    return "%.0f ms" % (s * 1000) if s < 1 else "%.2f s" % s


def fmt_mb(kb):
    return "%.0f MiB" % (kb / 1024)


def fmt_size(b):
    return "%.1f KiB" % (b / 1024) if b else "-"


# ---- sites -------------------------------------------------------------------------------------

def copy_bundled(dest):
    """The bundled site (site.yaml, content/, templates/, themes/) in a folder of its own, so its
    PDF cache (ROOT/.wufpress-cache) and outputs stay out of the repository."""
    os.makedirs(dest)
    shutil.copy(os.path.join(REPO, "site.yaml"), dest)
    for sub in ("content", "templates", "themes"):
        shutil.copytree(os.path.join(REPO, sub), os.path.join(dest, sub))
    return dest


def edit(path, k):
    """Changes one word of the first body paragraph: a real edit, same structure (paragraph,
    heading and footnote counts stay as the translations have them)."""
    text = open(path, encoding="utf-8").read()
    head, sep, body = text.partition("\n---\n")
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line and not re.match(r"[#|\[`>*\- 0-9]", line):
            lines[i] = re.sub(r" \(edit \d+\)$", "", line) + " (edit %d)" % k
            break
    open(path, "w", encoding="utf-8").write(head + sep + "\n".join(lines))


def wait_until(cond, what, log_path):
    t0 = time.perf_counter()
    while not cond():
        if time.perf_counter() - t0 > 10:
            raise Failed("wufpress serve did not %s within 10 s: see %s" % (what, log_path))
        time.sleep(0.0005)
    return time.perf_counter() - t0


def page_has(page, marker):
    try:
        return marker in open(page, encoding="utf-8").read()
    except FileNotFoundError:
        return False


def serve_updates(name, root, out, victim, page, runs, pdf=False, translation=None):
    """`wufpress serve` on the site (--no-pdf unless pdf): for each edit of victim (one discarded first), the
    time from the save to the new text in page (an output file), which includes serve's wait
    for the editor's save to end (serve.c DEBOUNCE_MS); and serve's own figure for each update
    (its log line), which must be an update of one document, not a whole build.
    translation = (a translation's file, its page): then each run also removes that file, waits
    for its page to go, and writes it back (a translator delivering it): the time from that
    save to the page is "new_translation", serve's own figure "new_translation_update"."""
    log_path = os.path.join(OUT, "serve-%s.log" % name)
    with open(log_path, "w+") as err:
        p = subprocess.Popen([WUFPRESS, "serve", "--root", root, "--out", out, "--port", "0"] + ([] if pdf else ["--no-pdf"]),
                             stdout=subprocess.PIPE, stderr=err, text=True)
        try:
            if not p.stdout.readline().startswith("Serving"):  # after its first, whole build
                raise Failed("wufpress serve did not start: see %s" % log_path)
            walls, added = [], []
            for k in range(-1, runs):
                marker = "(edit %d)" % (1000 + k)
                edit(victim, 1000 + k)
                w = wait_until(lambda: page_has(page, marker), "apply an edit", log_path)
                if k >= 0:
                    walls.append(w)
                time.sleep(0.2)  # its log line is written; the next edit is a new one
            for k in range(-1, runs if translation else -1):
                src, tr_page = translation
                text = open(src, encoding="utf-8").read()
                os.remove(src)
                wait_until(lambda: not os.path.exists(tr_page), "remove a translation's page", log_path)
                time.sleep(0.2)
                open(src + ".new", "w", encoding="utf-8").write(text)
                edit(src + ".new", 2000 + k)
                os.rename(src + ".new", src)  # the translation arrives whole, as an editor saves it
                w = wait_until(lambda: page_has(tr_page, "(edit %d)" % (2000 + k)), "publish a new translation", log_path)
                if k >= 0:
                    added.append(w)
                time.sleep(0.2)
        finally:
            p.terminate()
            p.wait()
        err.seek(0)
        lines = err.read().splitlines()
    own = [int(m.group(1)) / 1000 for m in (re.search(r"^wufpress: 1 document updated.*, (\d+) ms\)$", l) for l in lines) if m]
    expected = runs + 1 + (2 * (runs + 1) if translation else 0)
    if len(own) != expected:
        raise Failed("wufpress serve made %d updates of one document for %d edits: see %s" % (len(own), expected, log_path))
    r = {"wall": statistics.median(walls), "runs": len(walls), "walls": [round(w, 4) for w in walls],
         "update": statistics.median(own[1:runs + 1]), "updates": own[1:runs + 1]}
    if translation:
        adds = own[runs + 1:][1::2][1:]  # removal, addition, ...; the first pair discarded
        r.update({"new_translation": statistics.median(added), "new_translations": [round(w, 4) for w in added],
                  "new_translation_update": statistics.median(adds), "new_translation_updates": adds})
    return r


def pdfs_under(d):
    found = []
    for root, _, files in os.walk(d):
        found += [os.path.join(root, f) for f in files if f.endswith(".pdf")]
    return sorted(found)


# ---- WeasyPrint input: the same document's HTML, standalone ------------------------------------

FN_REF = re.compile(r'<sup class="footnote-ref"><a href="#fn-([^"]+)"[^>]*>[^<]*</a></sup>')
FN_DEF = re.compile(r'<li id="fn-([^"]+)"[^>]*>\s*(.*?)\s*</li>', re.S)


def weasy_html(src, dest):
    """wufpress's page of a document, reduced to the document: no site chrome, no TOC, no screen
    CSS or script; each footnote moved to its call as <span class="fn"> (float: footnote in
    bench/print.css puts it at the foot of that page, as a UN document has it)."""
    page = open(src, encoding="utf-8").read()
    m = re.search(r'<html[^>]*>', page)
    html_tag = m.group(0) if m else "<html>"
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    m = (re.search(r'<article class="document"[^>]*>.*?</article>', page, re.S)
         or re.search(r"<main[^>]*>.*?</main>", page, re.S))
    art = m.group(0) if m else page
    art = re.sub(r'<nav class="toc"[^>]*>.*?</nav>', "", art, flags=re.S)
    notes = {}
    fsec = re.search(r'<section class="footnotes".*?</section>', art, re.S)
    if fsec:
        for label, body in FN_DEF.findall(fsec.group(0)):
            body = re.sub(r'\s*<a href="#fnref-[^"]*"[^>]*>.*?</a>', "", body, flags=re.S)
            body = re.sub(r"</?p[^>]*>", "", body).strip()
            notes[label] = body
        art = art.replace(fsec.group(0), "")
    art = FN_REF.sub(lambda m: '<span class="fn">%s</span>' % notes.get(m.group(1), ""), art)
    with open(dest, "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html>\n%s\n<head>\n<meta charset="utf-8">\n<title>%s</title>\n</head>\n<body>\n%s\n</body>\n</html>\n'
                % (html_tag, title.group(1) if title else "", art))


# ---- the parts ---------------------------------------------------------------------------------

def floor_exe(name, flags=()):
    """bench/<name>.c, compiled into bench/out with mimalloc as wufpress is (Makefile
    MALLOC_LIBS), else with the C library's malloc; None without a C compiler (or its libraries)."""
    exe = os.path.join(OUT, name)
    cc = shutil.which("cc")
    if not cc:
        return None
    base = [cc, "-O2", "-pthread", "-o", exe, os.path.join(BENCH, name + ".c")] + list(flags)
    for malloc in (["-lmimalloc"], []):
        if subprocess.run(base + malloc, stderr=subprocess.DEVNULL if malloc else None).returncode == 0:
            return exe
    return None


def cmark_flags():
    """What md_floor.c needs to build against cmark-gfm (a build dependency of wufpress)."""
    p = subprocess.run(["pkg-config", "--cflags", "--libs", "libcmark-gfm"], capture_output=True, text=True)
    return p.stdout.split() + ["-lcmark-gfm-extensions"] if p.returncode == 0 else None


def floor_run(cmd):
    """One run of a floor program (fs_floor.c, md_floor.c), which prints "name value" pairs:
    (wall, 0 for the peak memory, CPU, the other figures as integers), as series take them."""
    os.sync()  # as run() does
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        raise Failed("%s exited %d:\n%s" % (" ".join(cmd), p.returncode, p.stderr[-2000:]))
    out = p.stdout.split()
    figures = {name: float(value) for name, value in zip(out[::2], out[1::2])}
    wall, cpu = figures.pop("wall_ms") / 1000, figures.pop("cpu_ms") / 1000
    return wall, 0, cpu, {name: int(value) for name, value in figures.items()}


def part_html(tmp, R):
    log("\n== 1. HTML: %d pages, six languages ==" % PAGES)
    corpus = os.path.join(tmp, "corpus")
    gen = subprocess.run([sys.executable, os.path.join(BENCH, "gen_corpus.py"), "--pages", str(PAGES),
                          "--out", corpus, "--repo", REPO], check=True, capture_output=True, text=True).stdout
    info = dict(line.split(" ", 1) for line in gen.strip().split("\n"))
    R["corpus"] = {"documents": int(info["documents"]), "pages": int(info["pages"]),
                   "markdown_mb": round(int(info["markdown_bytes"]) / 1e6, 1)}
    log("corpus: %s documents, %s pages, %.1f MB of Markdown" % (info["documents"], info["pages"],
                                                                int(info["markdown_bytes"]) / 1e6))
    if "html" not in ONLY:  # BENCH_ONLY=rebuild: the 10,000-page rebuilds alone
        log("(HTML builds not timed: BENCH_ONLY=%s)" % ",".join(sorted(ONLY)))
        part_rebuild_10k(corpus, os.path.join(tmp, "wf-0"), R)
        return
    # wufpress and Hugo take turns (w h w h ...), each run into a new output folder, none deleted
    # until the benchmark is over: on ext4, creating inodes right after deleting many is slow (the
    # allocator skips recently deleted inodes: find_inode_bit/recently_deleted), which would
    # penalise whichever tool runs after a deletion. The same again with the output on tmpfs
    # (/dev/shm), where the file system costs next to nothing: the CPU work alone.
    # After each tool, fs_floor (bench/fs_floor.c) makes a tree of the same folders and file sizes
    # as wufpress's output (that of its warm-up run) with no parsing or templates: the file
    # system's share of a build, measured in the same minutes as the builds.
    hugo = tool("hugo")
    floor = floor_exe("fs_floor")
    if not floor:
        log("fs_floor: no C compiler; the file system's share is not measured")
    # md_floor (bench/md_floor.c): cmark-gfm alone parsing and rendering the same Markdown, the
    # share of a build that no build of these pages avoids.
    flags = cmark_flags()
    md_floor = floor_exe("md_floor", flags) if flags is not None else None
    if not md_floor:
        log("md_floor: no C compiler or no cmark-gfm; the Markdown's share is not measured")
    shm = tempfile.mkdtemp(prefix="wufpress-bench-", dir="/dev/shm") if os.path.isdir("/dev/shm") else None
    first_tree = os.path.join(tmp, "wf--1")

    def tool_run(cmd, env=None):
        return lambda k: run(cmd(k), env=env) + (None,)

    series = []
    for where, base in (("", tmp), (" (out on tmpfs)", shm)):
        if not base:
            continue
        tag = "_tmpfs" if where else ""
        series.append(("html_wufpress" + tag, "wufpress build --no-pdf" + where, RUNS, tool_run(
            lambda k, b=base: [WUFPRESS, "build", "--quiet", "--no-pdf", "--root", os.path.join(corpus, "wufpress"),
                               "--out", os.path.join(b, "wf-%d" % k)])))
        if hugo:
            series.append(("html_hugo" + tag, "hugo" + where, SLOW_RUNS, tool_run(
                lambda k, b=base: [hugo, "--quiet", "-s", os.path.join(corpus, "hugo"), "-d", os.path.join(b, "hugo-%d" % k)],
                {"HUGO_CACHEDIR": os.path.join(tmp, "hugo-cache")})))
        if floor:
            series.append(("fs_floor" + tag, "output tree alone" + where, RUNS, lambda k, b=base: floor_run(
                [floor, first_tree, os.path.join(b, "floor-%d" % k), str(os.cpu_count() or 1)])))
    if md_floor:
        series.append(("md_floor", "Markdown alone (cmark-gfm)", RUNS, lambda k: floor_run(
            [md_floor, os.path.join(corpus, "wufpress", "content"), str(os.cpu_count() or 1)])))
    try:
        res = take_turns(series)
    except BaseException:
        if shm:  # tmp is removed by main(); this folder is in memory, outside it
            rmtree(shm)
        raise
    for key, label, n, fn in series:
        R[key] = res[key]
        if key.startswith(("fs_floor", "md_floor")):
            log("%-38s %s (runs %s), %s of CPU" % (label + ":", fmt_s(R[key]["wall"]), R[key]["walls"], fmt_s(R[key]["cpu"])))
        else:
            log("%-38s %s (runs %s), %s of CPU, peak %s" % (label + ":", fmt_s(R[key]["wall"]), R[key]["walls"],
                                                          fmt_s(R[key]["cpu"]), fmt_mb(R[key]["rss_kb"])))
    if not hugo:
        log("hugo: not installed; comparison skipped (apt-get install -y hugo)")
    R["load_after_html"] = os.getloadavg()
    wf_out = os.path.join(tmp, "wf-0")
    nfiles = sum(len(f) for _, _, f in os.walk(wf_out))
    log("wufpress wrote %d files; hugo %d" % (nfiles, sum(len(f) for _, _, f in os.walk(os.path.join(tmp, "hugo-0")))))
    # Both tools must have made every page (<lang>/<document>/index.html): a tool that silently
    # skipped pages would look faster.
    for name, tree in (("wufpress", wf_out), ("hugo", os.path.join(tmp, "hugo-0") if hugo else None)):
        if tree:
            made = sum(1 for lang in os.listdir(tree) if os.path.isdir(os.path.join(tree, lang))
                       for doc in os.listdir(os.path.join(tree, lang))
                       if os.path.isfile(os.path.join(tree, lang, doc, "index.html")))
            if made < R["corpus"]["pages"]:
                raise Failed("%s made %d of the corpus's %d pages" % (name, made, R["corpus"]["pages"]))
    # The trees on ext4 stay until the benchmark is over (tmp is removed at the end): deleting
    # 100,000 inodes here made every run of the next part slower for a minute (ext4 without a
    # journal skips recently deleted inodes when it makes new ones; a one-PDF build: +15 %).
    if shm:
        rmtree(shm)
    if "rebuild" in ONLY:
        part_rebuild_10k(corpus, wf_out, R)


def part_rebuild_10k(corpus, wf_out, R):
    """A rebuild of the 10,000-page site after one edit, into the output of a previous build
    (wf_out): by `wufpress build`, and in `wufpress serve`."""
    victim = os.path.join(corpus, "wufpress", "content", "doc-%05d" % min(42, R["corpus"]["documents"] - 1), "en.md")
    cmd = [WUFPRESS, "build", "--quiet", "--no-pdf", "--root", os.path.join(corpus, "wufpress"), "--out", wf_out]
    run(cmd)
    r = median_of(RUNS, lambda k: edit(victim, k + 1), lambda k: cmd, warmup=False)
    R["rebuild_10k"] = r
    log("rebuild after one edit, %d pages, HTML: %s (runs %s), peak %s" % (PAGES, fmt_s(r["wall"]), r["walls"], fmt_mb(r["rss_kb"])))
    # The same edits in `wufpress serve`, which keeps the model of its last build and applies
    # an edit of pages to it: what an editor waits for between saving and the new page.
    slug = os.path.basename(os.path.dirname(victim))
    page = os.path.join(wf_out, "en", slug, "index.html")
    translation = (os.path.join(os.path.dirname(victim), "fr.md"), os.path.join(wf_out, "fr", slug, "index.html"))
    r = serve_updates("10k", os.path.join(corpus, "wufpress"), wf_out, victim, page, RUNS, translation=translation)
    R["serve_10k"] = r
    log("serve, %d pages, HTML: an edit is in its page %s after the save (runs %s); serve's update %s (%s)"
        % (PAGES, fmt_s(r["wall"]), r["walls"], fmt_s(r["update"]), r["updates"]))
    log("serve, %d pages, HTML: a new translation is published %s after the save (runs %s); serve's update %s (%s)"
        % (PAGES, fmt_s(r["new_translation"]), r["new_translations"], fmt_s(r["new_translation_update"]),
           r["new_translation_updates"]))


def part_site(tmp, R):
    log("\n== 3-4. The bundled site (content/ of this repository): HTML and every PDF ==")
    root = copy_bundled(os.path.join(tmp, "bundled"))
    out = os.path.join(tmp, "bundled-out")
    cache = os.path.join(root, ".wufpress-cache")
    cmd = [WUFPRESS, "build", "--quiet", "--root", root, "--out", out]

    def cold(k):
        rmtree(out)
        rmtree(cache)

    r = median_of(RUNS, cold, lambda k: cmd)
    R["site_cold"] = r
    npdf = len(pdfs_under(out))
    npages = sum(1 for d in os.listdir(os.path.join(root, "content"))
                 for f in os.listdir(os.path.join(root, "content", d)) if f.endswith(".md"))
    R["site_pdfs"] = npdf
    R["site_pages"] = npages
    log("whole site, cold (no PDF cache, empty out): %s (runs %s), peak %s; %d pages, %d PDFs"
        % (fmt_s(r["wall"]), r["walls"], fmt_mb(r["rss_kb"]), npages, npdf))
    r = median_of(RUNS, lambda k: rmtree(out), lambda k: cmd)
    R["site_warm"] = r
    log("whole site, warm PDF cache, empty out:     %s (runs %s), peak %s" % (fmt_s(r["wall"]), r["walls"], fmt_mb(r["rss_kb"])))
    r = median_of(RUNS, None, lambda k: cmd + ["--no-pdf"], cleanup=lambda k: rmtree(out))
    R["site_html"] = r
    log("whole site, HTML only (--no-pdf):          %s (runs %s), peak %s" % (fmt_s(r["wall"]), r["walls"], fmt_mb(r["rss_kb"])))
    if "rebuild" in ONLY:
        run(cmd)  # a complete output and a warm cache, as `wufpress serve` has them
        victim = os.path.join(root, "content", "cairo-call-to-action", "en.md")
        r = median_of(RUNS, lambda k: edit(victim, k + 1), lambda k: cmd, warmup=False)
        R["rebuild_site"] = r
        log("rebuild after one edit (HTML + its PDF):   %s (runs %s), peak %s" % (fmt_s(r["wall"]), r["walls"], fmt_mb(r["rss_kb"])))
        page = os.path.join(out, "en", "cairo-call-to-action", "index.html")
        r = serve_updates("site", root, out, victim, page, RUNS, pdf=True)
        R["serve_site"] = r
        log("serve, bundled site, HTML + PDFs: an edit is in its page %s after the save (runs %s); serve's update %s (%s)"
            % (fmt_s(r["wall"]), r["walls"], fmt_s(r["update"]), r["updates"]))
    rmtree(out)
    rmtree(root)


# WeasyPrint's render alone: one Python process imports it once, renders once to warm up, then
# times each render (the stylesheets are read in each, as the command line does). What the
# command line adds to this is mostly Python's start and the import (~0.3 s here).
WEASY_IN_PROCESS = """
import sys, time
from weasyprint import CSS, HTML
src, dest, runs, sheets = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
walls = []
for k in range(runs + 1):
    t = time.perf_counter()
    HTML(filename=src).write_pdf(dest, stylesheets=[CSS(filename=f) for f in sheets])
    if k:
        walls.append(time.perf_counter() - t)
print(" ".join("%.6f" % w for w in walls))
"""


def weasy_in_process(weasy, src, dest, sheets, runs):
    """Median of runs renders by WeasyPrint's API in one process (with weasy's own Python)."""
    with open(weasy, "rb") as f:
        first = f.readline().decode(errors="replace")
    python = first[2:].strip().split()[0] if first.startswith("#!") else sys.executable
    p = subprocess.run([python, "-c", WEASY_IN_PROCESS, src, dest, str(runs)] + sheets, capture_output=True, text=True)
    if p.returncode:
        raise Failed("WeasyPrint in one process exited %d:\n%s" % (p.returncode, p.stderr[-2000:]))
    walls = [float(w) for w in p.stdout.split()]
    return {"wall": statistics.median(walls), "runs": len(walls), "walls": [round(w, 4) for w in walls]}


def part_pdf(tmp, R):
    log("\n== 2. PDF: the bundled documents in %s, wufpress against WeasyPrint ==" % ", ".join(PDF_LANGS))
    base = copy_bundled(os.path.join(tmp, "pdf-base"))
    docs = sorted(d for d in os.listdir(os.path.join(base, "content")) if os.path.isdir(os.path.join(base, "content", d)))
    pdf_dir = os.path.join(OUT, "pdf")
    rmtree(pdf_dir)
    os.makedirs(pdf_dir)
    # HTML of every document (wufpress --no-pdf), the input WeasyPrint gets.
    html_out = os.path.join(tmp, "pdf-html")
    run([WUFPRESS, "build", "--quiet", "--no-pdf", "--root", base, "--out", html_out, "--lang", ",".join(PDF_LANGS)])
    weasy = tool("weasyprint")
    rows = []
    for doc in docs:
        # A site of this one document, so one wufpress run makes exactly one PDF.
        one = os.path.join(tmp, "pdf-" + doc)
        os.makedirs(os.path.join(one, "content"))
        shutil.copy(os.path.join(base, "site.yaml"), one)
        for sub in ("templates", "themes"):
            os.symlink(os.path.join(base, sub), os.path.join(one, sub))
        shutil.copytree(os.path.join(base, "content", doc), os.path.join(one, "content", doc))
        for lang in PDF_LANGS:
            if not os.path.exists(os.path.join(one, "content", doc, lang + ".md")):
                continue
            row = {"doc": doc, "lang": lang}
            out, html_only = os.path.join(tmp, "pdf-out"), os.path.join(tmp, "pdf-html-only")
            cache = os.path.join(one, ".wufpress-cache")
            cmd = [WUFPRESS, "build", "--quiet", "--jobs", "1", "--root", one, "--lang", lang]

            def cold_run(dest, extra=()):  # no PDF cache, no output: every run makes the PDF
                def fn(k):
                    rmtree(dest)
                    rmtree(cache)
                    return run(cmd + ["--out", dest] + list(extra)) + (None,)
                return fn

            # The tools take turns, as in the HTML part: a slow minute of the machine falls on
            # both, not on whichever ran then.
            series = [("wufpress", "", RUNS, cold_run(out)),
                      ("wufpress_html_only", "", RUNS, cold_run(html_only, ["--no-pdf"]))]
            if weasy:
                src = os.path.join(tmp, "weasy-%s-%s.html" % (doc, lang))
                weasy_html(os.path.join(html_out, lang, doc, "index.html"), src)
                shutil.copy(src, os.path.join(pdf_dir, "%s-%s.weasyprint.html" % (doc, lang)))
                dest = os.path.join(pdf_dir, "%s-%s.weasyprint.pdf" % (doc, lang))
                sheets = [os.path.join(BENCH, "print.css"), os.path.join(base, "themes/default/static/css/charts.css")]
                series.append(("weasyprint", "", SLOW_RUNS, lambda k: run(
                    [weasy, "-q", "-s", sheets[0], "-s", sheets[1], src, dest]) + (None,)))
            res = take_turns(series)
            pdf = os.path.join(out, lang, doc, "%s-%s.pdf" % (doc, lang))
            if os.path.exists(pdf):
                row["wufpress"], row["wufpress_html_only"] = res["wufpress"], res["wufpress_html_only"]
                row["wufpress_size"] = os.path.getsize(pdf)
                shutil.copy(pdf, os.path.join(pdf_dir, "%s-%s.wufpress.pdf" % (doc, lang)))
            rmtree(out)
            rmtree(html_only)
            if weasy:
                row["weasyprint"] = res["weasyprint"]
                row["weasyprint_size"] = os.path.getsize(dest)
                row["weasyprint_render"] = weasy_in_process(weasy, src, os.path.join(tmp, "weasy-api.pdf"), sheets, SLOW_RUNS)
            rows.append(row)
            log("%-24s %s  wufpress %-9s (HTML only %-6s) %-10s %-8s  weasyprint %-9s (render alone %-8s) %-10s %s" % (
                doc, lang,
                fmt_s(row["wufpress"]["wall"]) if "wufpress" in row else "n/a",
                fmt_s(row["wufpress_html_only"]["wall"]) if "wufpress_html_only" in row else "-",
                fmt_size(row.get("wufpress_size", 0)),
                fmt_mb(row["wufpress"]["rss_kb"]) if "wufpress" in row else "",
                fmt_s(row["weasyprint"]["wall"]) if "weasyprint" in row else "n/a",
                fmt_s(row["weasyprint_render"]["wall"]) if "weasyprint_render" in row else "-",
                fmt_size(row.get("weasyprint_size", 0)),
                fmt_mb(row["weasyprint"]["rss_kb"]) if "weasyprint" in row else ""))
    R["pdf"] = rows
    if not weasy:
        log("weasyprint: not installed; comparison skipped (apt-get install -y weasyprint)")
    if not any("wufpress" in r for r in rows):
        log("wufpress PDFs: not available (`wufpress build` wrote no .pdf; the PDF layout is not in yet)")
    rmtree(html_out)
    # The same PDFs in one process each, on one core: every document in en, ar and zh by one
    # wufpress build (with their HTML pages, start-up included, no PDF cache), against the sum of
    # WeasyPrint's renders alone (after its import and a warm-up render: the figure least
    # favourable to wufpress).
    if rows and all("wufpress" in r and "weasyprint_render" in r for r in rows):
        out, cache = os.path.join(tmp, "pdf-batch"), os.path.join(base, ".wufpress-cache")

        def cold(k):
            rmtree(out)
            rmtree(cache)

        R["pdf_batch"] = median_of(RUNS, cold, lambda k: [WUFPRESS, "build", "--quiet", "--jobs", "1", "--root", base,
                                                           "--out", out, "--lang", ",".join(PDF_LANGS)])
        R["pdf_batch"]["pdfs"] = len(pdfs_under(out))
        log("all %d PDFs (and their HTML) in one wufpress process, one core: %s (runs %s); WeasyPrint's renders alone: %s"
            % (R["pdf_batch"]["pdfs"], fmt_s(R["pdf_batch"]["wall"]), R["pdf_batch"]["walls"],
               fmt_s(sum(r["weasyprint_render"]["wall"] for r in rows))))
        rmtree(out)


# ---- report ------------------------------------------------------------------------------------

def verdict(ok):
    return "PASS" if ok else "MISS"


# In quiet runs on the bench machine, ext4 made the output tree 3-4x slower than tmpfs; minutes
# after a large deletion it was 15x (bench/RESULTS.md). A run in that state says so.
SLOW_DISK_FACTOR = 8


def floors(R):
    """The least wall time of a build that makes the output tree (fs_floor) and parses its
    Markdown (md_floor): not less than either one's wall time, nor than their CPU time together
    spread over the cores (making the tree leaves the cores partly idle; parsing may fill that)."""
    f, md = R["fs_floor"], R.get("md_floor")
    if not md:
        return f["wall"]
    cpu = f.get("cpu", 0) + md.get("cpu", 0)
    return max(f["wall"], md["wall"], cpu / max(f.get("threads", 1), 1))


def add_slow_disk_warning(add, R):
    f, t = R.get("fs_floor"), R.get("fs_floor_tmpfs")
    if f and t and t["wall"] > 0 and f["wall"] / t["wall"] > SLOW_DISK_FACTOR:
        add("      WARNING: the disk made the tree %.0fx slower than tmpfs (3-4x in quiet runs): it was still"
            % (f["wall"] / t["wall"]))
        add("      slow from a recent large deletion; compare this run's disk figures with no other")


def report(R):
    lines = []
    add = lines.append
    add("")
    add("== Results (medians; %d runs, %d for Hugo and WeasyPrint) ==" % (RUNS, SLOW_RUNS))
    add("%-46s %12s %12s %10s" % ("", "wall", "peak RSS", ""))
    hw, hh = R.get("html_wufpress"), R.get("html_hugo")
    if hw:
        add("%-46s %12s %12s" % ("HTML %d pages: wufpress build --no-pdf" % PAGES, fmt_s(hw["wall"]), fmt_mb(hw["rss_kb"])))
    if hh:
        add("%-46s %12s %12s" % ("HTML %d pages: hugo" % PAGES, fmt_s(hh["wall"]), fmt_mb(hh["rss_kb"])))
    for key, label in (("html_wufpress_tmpfs", "wufpress --no-pdf, out on tmpfs"), ("html_hugo_tmpfs", "hugo, out on tmpfs")):
        if key in R:
            add("%-46s %12s %12s" % ("HTML %d pages: %s" % (PAGES, label), fmt_s(R[key]["wall"]), fmt_mb(R[key]["rss_kb"])))
    if R.get("pdf"):
        for row in R["pdf"]:
            w, x = row.get("wufpress"), row.get("weasyprint")
            add("%-46s %12s %12s %10s" % ("PDF %s %s: wufpress" % (row["doc"], row["lang"]),
                                          fmt_s(w["wall"]) if w else "n/a", fmt_mb(w["rss_kb"]) if w else "",
                                          fmt_size(row.get("wufpress_size", 0))))
            add("%-46s %12s %12s %10s" % ("PDF %s %s: weasyprint" % (row["doc"], row["lang"]),
                                          fmt_s(x["wall"]) if x else "n/a", fmt_mb(x["rss_kb"]) if x else "",
                                          fmt_size(row.get("weasyprint_size", 0))))
    for key, label in (("rebuild_site", "rebuild after one edit, bundled site + PDFs"),
                       ("rebuild_10k", "rebuild after one edit, %d pages, HTML" % PAGES),
                       ("serve_10k", "serve: an edit in its page, %d pages, HTML" % PAGES),
                       ("serve_site", "serve: an edit in its page, bundled + PDFs"),
                       ("site_cold", "bundled site, HTML + PDFs, cold cache"),
                       ("site_warm", "bundled site, HTML + PDFs, warm cache"),
                       ("site_html", "bundled site, HTML only")):
        if key in R:
            add("%-46s %12s %12s" % (label, fmt_s(R[key]["wall"]), fmt_mb(R[key]["rss_kb"]) if "rss_kb" in R[key] else ""))

    add("")
    add("== Targets (issue 10) ==")
    if hw and hh:
        speed = hh["wall"] / hw["wall"]
        R["html_ratio"] = speed
        add("%s  HTML %d pages >= 10x faster than Hugo: %.1fx (%s vs %s)" % (verdict(speed >= 10), PAGES, speed, fmt_s(hw["wall"]), fmt_s(hh["wall"])))
        if hw["rss_kb"] > 0 and hh["rss_kb"] > 0:
            mem = hw["rss_kb"] / hh["rss_kb"]
            R["html_mem_ratio"] = mem
            add("%s  ... at <= 1/5 of Hugo's peak memory: 1/%.1f (%s vs %s)" % (verdict(mem <= 0.2), 1 / mem, fmt_mb(hw["rss_kb"]), fmt_mb(hh["rss_kb"])))
        else:
            add("----  ... peak memory: not measured")
        if "html_wufpress_tmpfs" in R and "html_hugo_tmpfs" in R:
            add("      (out on tmpfs, where the file system costs little: %.1fx faster, 1/%.1f of the memory)" % (
                R["html_hugo_tmpfs"]["wall"] / R["html_wufpress_tmpfs"]["wall"],
                R["html_hugo_tmpfs"]["rss_kb"] / max(1, R["html_wufpress_tmpfs"]["rss_kb"])))
        if "fs_floor" in R:
            f, md = R["fs_floor"], R.get("md_floor")
            add("      (making the output's %d folders and %d files alone, no parsing or templates, %d threads, takes %s here,"
                % (f["folders"], f["files"], f["threads"], fmt_s(f["wall"])))
            add("       %s on tmpfs;" % (fmt_s(R["fs_floor_tmpfs"]["wall"]) if "fs_floor_tmpfs" in R else "n/a"))
            if md:
                add("       cmark-gfm alone parsing and rendering the pages' Markdown (%.1f MB without front matter), %d threads, takes %s;"
                    % (md["markdown_bytes"] / 1e6, md["threads"], fmt_s(md["wall"])))
            floor = floors(R)
            left = hh["wall"] / 10 - floor
            add("       %s)" % ("both floors together, at least %s; 10x Hugo (%s) leaves %s for everything else: reading, front matter, templates" % (
                fmt_s(floor), fmt_s(hh["wall"] / 10), fmt_s(left)) if left > 0 else
                "the floors take more than a tenth of Hugo's time: no build of this site can be 10x faster here"))
            add_slow_disk_warning(add, R)
    else:
        add("----  HTML vs Hugo: not measured (%s)" % ("hugo missing" if hw else "skipped"))
        if "fs_floor" in R:
            add("      (making the output's %d folders and %d files alone, no parsing or templates, takes %s here)"
                % (R["fs_floor"]["folders"], R["fs_floor"]["files"], fmt_s(R["fs_floor"]["wall"])))
            if "md_floor" in R:
                add("      (cmark-gfm alone parsing and rendering the pages' Markdown takes %s)" % fmt_s(R["md_floor"]["wall"]))
            add_slow_disk_warning(add, R)
    rows = R.get("pdf") or []
    both = [r for r in rows if "wufpress" in r and "weasyprint" in r]
    if both:
        tw, tx = sum(r["wufpress"]["wall"] for r in both), sum(r["weasyprint"]["wall"] for r in both)
        worst = min(r["weasyprint"]["wall"] / r["wufpress"]["wall"] for r in both)
        sizes_ok = all(r["wufpress_size"] <= r["weasyprint_size"] for r in both)
        sw, sx = sum(r["wufpress_size"] for r in both), sum(r["weasyprint_size"] for r in both)
        R["pdf_ratio"], R["pdf_worst_ratio"] = tx / tw, worst
        add("%s  a PDF >= 20x faster than WeasyPrint (command lines): every PDF? slowest ratio %.1fx; %.1fx over all %d (%s vs %s)"
            % (verdict(worst >= 20), worst, tx / tw, len(both), fmt_s(tw), fmt_s(tx)))
        if all("weasyprint_render" in r for r in both) and R.get("pdf_batch", {}).get("pdfs") == len(both):
            # WeasyPrint's command line is mostly Python's start and import for a short
            # document; in one process each, the comparison is of the work itself.
            tr, tb = sum(r["weasyprint_render"]["wall"] for r in both), R["pdf_batch"]["wall"]
            R["pdf_ratio_in_process"] = tr / tb
            add("      (in one process each, one core: wufpress's %d PDFs, with their HTML, in %s; WeasyPrint's %d renders"
                % (len(both), fmt_s(tb), len(both)))
            add("       alone, after its import and a warm-up render, %s: %.1fx. WeasyPrint's start-up is %s of its %s a PDF)"
                % (fmt_s(tr), tr / tb, fmt_s((tx - tr) / len(both)), fmt_s(tx / len(both))))
        th = sum(r["wufpress_html_only"]["wall"] for r in both if "wufpress_html_only" in r)
        add("      (a one-page wufpress run costs %s without the PDF: start-up, site, HTML)" % fmt_s(th / len(both)))
        add("%s  ... and no larger: %s vs %s in all%s" % (verdict(sizes_ok), fmt_size(sw), fmt_size(sx),
                                                         "" if sizes_ok else " (%d of %d larger)" % (
                                                             sum(r["wufpress_size"] > r["weasyprint_size"] for r in both), len(both))))
    elif rows and not any("wufpress" in r for r in rows):
        add("----  PDF vs WeasyPrint: wufpress PDFs: not available"
            + ("" if any("weasyprint" in r for r in rows) else "; weasyprint missing"))
    else:
        add("----  PDF vs WeasyPrint: not measured")
    if "rebuild_site" in R:
        add("%s  rebuild after one edit < 100 ms (bundled site, HTML + PDFs, `wufpress build`): %s" % (verdict(R["rebuild_site"]["wall"] < 0.1), fmt_s(R["rebuild_site"]["wall"])))
    for key, what in (("serve_site", "bundled site, HTML + PDFs"), ("serve_10k", "%d pages, HTML" % PAGES)):
        if key in R:
            r = R[key]
            add("%s  rebuild after one edit < 100 ms (%s, `wufpress serve`): %s from the save to the page"
                % (verdict(r["wall"] < 0.1), what, fmt_s(r["wall"])))
            add("      (serve's update of the document %s, after its %d ms wait for the editor's save to end)"
                % (fmt_s(r["update"]), SERVE_DEBOUNCE_MS))
            if "new_translation" in r:
                add("      (information: a new translation, %s: %s from the save to the page; serve's update %s, with the"
                    % (what, fmt_s(r["new_translation"]), fmt_s(r["new_translation_update"])))
                add("       language's list and feed, every status page and the sitemap)")
    if "rebuild_10k" in R:
        add("%s  rebuild after one edit < 100 ms (%d pages, HTML, `wufpress build`; information): %s" % (verdict(R["rebuild_10k"]["wall"] < 0.1), PAGES, fmt_s(R["rebuild_10k"]["wall"])))
    if "site_cold" in R:
        note = "" if R.get("site_pdfs") else " (no PDFs were written: the PDF layout is not in yet)"
        add("%s  whole bundled site, HTML and all PDFs < 1 s: %s cold, %s warm; %d PDFs%s"
            % (verdict(R["site_cold"]["wall"] < 1 and R.get("site_pdfs", 0) > 0), fmt_s(R["site_cold"]["wall"]),
               fmt_s(R["site_warm"]["wall"]), R.get("site_pdfs", 0), note))
    for line in lines:
        log(line)
    return lines


def machine():
    cpu = "?"
    try:
        cpu = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read()).group(1)
    except Exception:
        pass
    mem = re.search(r"MemTotal:\s*(\d+)", open("/proc/meminfo").read())

    def fs(p):
        try:
            return subprocess.run(["df", "-T", p], capture_output=True, text=True).stdout.split("\n")[1].split()[1]
        except Exception:
            return "?"

    def version(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().split("\n")[0]
        except Exception:
            return "not installed"

    return {"nproc": os.cpu_count(), "cpu": cpu, "mem_gib": round(int(mem.group(1)) / 1048576, 1) if mem else None,
            "fs_tmp": fs(tempfile.gettempdir()), "fs_repo": fs(REPO), "kernel": platform.release(),
            "wufpress": version([WUFPRESS, "--version"]),
            "hugo": version(["hugo", "version"]) if tool("hugo") else "not installed",
            "weasyprint": version(["weasyprint", "--version"]) if tool("weasyprint") else "not installed",
            "commit": version(["git", "-C", REPO, "describe", "--always", "--dirty"]) or "not a git checkout",
            "os": version(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"])}


def main():
    global LOG
    if RUNS < 1 or SLOW_RUNS < 1:
        print("bench: BENCH_RUNS and BENCH_SLOW_RUNS must be at least 1", file=sys.stderr)
        return 2
    os.makedirs(OUT, exist_ok=True)
    LOG = open(os.path.join(OUT, "bench.log"), "w", encoding="utf-8")
    M = machine()
    log("wufpress benchmark — %s" % " ".join(["BENCH_PAGES=%d" % PAGES, "BENCH_RUNS=%d" % RUNS, "BENCH_SLOW_RUNS=%d" % SLOW_RUNS]))
    log("machine: %(nproc)s cores, %(cpu)s, %(mem_gib)s GiB; /tmp on %(fs_tmp)s, repo on %(fs_repo)s; kernel %(kernel)s" % M)
    log("tools: %(wufpress)s | %(hugo)s | %(weasyprint)s" % M)
    log("tree: %(commit)s; %(os)s" % M)
    load = os.getloadavg()
    R_load = list(load)
    log("load average at start: %.2f %.2f %.2f" % load)
    if load[0] > 0.5 * (os.cpu_count() or 1):
        log("WARNING: the machine is busy (load %.2f on %d cores): figures will be slower and noisier" % (load[0], os.cpu_count() or 1))
    if not GNU_TIME:
        log("note: /usr/bin/time missing (apt-get install -y time); peak RSS from wait4")
    R = {"machine": M, "runs": RUNS, "slow_runs": SLOW_RUNS, "pages": PAGES, "load_start": R_load}
    tmp = tempfile.mkdtemp(prefix="wufpress-bench-")
    # Others rebuild bin/wufpress while we measure: every run uses this one copy of it.
    global WUFPRESS
    shutil.copy2(WUFPRESS, os.path.join(tmp, "wufpress"))
    WUFPRESS = os.path.join(tmp, "wufpress")
    started = time.perf_counter()
    try:
        for name, fn in (("html", part_html), ("pdf", part_pdf), ("site", part_site)):
            if name in ONLY or (name in ("html", "site") and "rebuild" in ONLY):
                try:
                    fn(tmp, R)
                except Failed as e:
                    log("FAILED: %s" % e)
                    R.setdefault("failures", []).append(str(e))
        lines = report(R)
    finally:
        if os.environ.get("BENCH_KEEP") == "1":
            log("kept %s" % tmp)
        else:
            rmtree(tmp)
            # ext4 without a journal skips inodes deleted in the last 60 s, or 360 s while their
            # inode table block is dirty (recently_deleted): writing the deletions back now
            # shortens what a benchmark run soon after this one inherits.
            os.sync()
    R["seconds"] = round(time.perf_counter() - started, 1)
    R["load_end"] = list(os.getloadavg())
    log("load average at end: %.2f %.2f %.2f" % tuple(R["load_end"]))
    log("\nbench: %.0f s; figures in %s, PDFs of both tools in %s" % (R["seconds"], os.path.relpath(os.path.join(OUT, "results.json"), REPO),
                                                                   os.path.relpath(os.path.join(OUT, "pdf"), REPO)))
    with open(os.path.join(OUT, "results.json"), "w", encoding="utf-8") as f:
        json.dump(R, f, indent=1, ensure_ascii=False)
    with open(os.path.join(OUT, "results.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
