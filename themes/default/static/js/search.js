/* wufpress default theme — site search, an enhancement: every page reads without it.
   The index is Pagefind's (search/index.sh writes it to public/pagefind/ after wufpress builds
   the site). The search box (templates/partials/search.html) stays hidden unless this script
   finds that index; Pagefind's own script is loaded only when the reader starts typing.
   Pagefind searches the language of the page (<html lang>) and folds accents, Arabic harakat and
   hamza seats in queries and text alike (tests/test_search.sh measures it), so the query goes to
   it as typed. Each document is shown with the paragraphs (#para-N), notes or headings where the
   words were found. */
(function () {
  "use strict";
  var box = document.getElementById("site-search");
  if (!box || !window.fetch || !window.URL || !("noModule" in document.createElement("script"))) return;

  var bundle = new URL(box.getAttribute("data-bundle"), document.baseURI).href;
  var form = box.querySelector("form");
  var input = box.querySelector("input[type=search]");
  var status = box.querySelector(".search-status");
  var results = box.querySelector(".search-results");
  var MAX_DOCUMENTS = 10, MAX_PLACES = 3, DELAY = 200;
  var pagefind = null, loading = null, timer = 0, generation = 0, shown = "";

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function normalizeQuery(q) {
    return q.replace(/\s+/g, " ").trim();
  }

  function load() {
    if (!loading) {
      loading = import(bundle + "pagefind.js").then(function (module) {
        /* Result URLs are site-absolute ("/en/doc/"): anchor them where the site is served. */
        var root = new URL("..", bundle).pathname;
        return Promise.resolve(module.options({ baseUrl: root, excerptLength: 26 })).then(function () {
          module.init();
          pagefind = module;
          return module;
        });
      });
    }
    return loading;
  }

  /* Pagefind's excerpts are escaped text with <mark> around the matches: rebuild them as nodes,
     keeping only the text and the marks. */
  function excerptNode(html) {
    var p = document.createElement("p");
    p.className = "search-excerpt";
    var doc = new DOMParser().parseFromString("<body>" + html, "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeType === 3) p.appendChild(document.createTextNode(node.textContent));
      else if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else p.appendChild(document.createTextNode(node.textContent));
    });
    return p;
  }

  function squash(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  function link(href, text, className) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    if (className) a.className = className;
    return a;
  }

  /* The places in a document where the words were found: Pagefind's sub-results, one per
     numbered paragraph, note or heading (templates/document.html gives paragraphs and notes a
     title so they count). The best few by weight, shown in the document's order. */
  function places(data) {
    var subs = (data.sub_results || []).map(function (s, i) {
      var weight = 0;
      (s.weighted_locations || []).forEach(function (w) { weight += w.balanced_score || w.weight || 1; });
      return { sub: s, weight: weight || (s.locations || []).length, order: s.anchor ? s.anchor.location : -1, index: i };
    });
    subs.sort(function (a, b) { return b.weight - a.weight || a.index - b.index; });
    return subs.slice(0, MAX_PLACES).sort(function (a, b) { return a.order - b.order; }).map(function (x) { return x.sub; });
  }

  function render(query, found) {
    results.textContent = "";
    if (!found.length) {
      status.textContent = say(box.getAttribute("data-no-results"), { query: query });
      return;
    }
    status.textContent = say(box.getAttribute("data-results"), { n: found.length, query: query });
    var list = document.createElement("ol");
    list.className = "search-list";
    found.forEach(function (data) {
      var item = document.createElement("li");
      item.className = "search-hit";
      var title = (data.meta && data.meta.title) || data.url;
      var heading = document.createElement("p");
      heading.className = "search-hit-title";
      heading.appendChild(link(data.url, title));
      item.appendChild(heading);
      var where = places(data);
      /* Words found before the first anchor (the document's header and opening lines) are shown
         under the document's own title, which links there. */
      var top = where.filter(function (s) { return !s.anchor; })[0];
      if (top || !where.length) item.appendChild(excerptNode((top || data).excerpt || ""));
      where = where.filter(function (s) { return s.anchor; });
      if (where.length) {
        var sublist = document.createElement("ul");
        sublist.className = "search-places";
        where.forEach(function (s) {
          var li = document.createElement("li");
          var name = s.title || s.anchor.text || title;
          li.appendChild(link(s.url, name, "search-place"));
          /* A heading found by its own words needs no excerpt repeating it. */
          if (squash(s.plain_excerpt || "") !== squash(name)) li.appendChild(excerptNode(s.excerpt || ""));
          sublist.appendChild(li);
        });
        item.appendChild(sublist);
      }
      list.appendChild(item);
    });
    results.appendChild(list);
  }

  function run(raw) {
    var query = normalizeQuery(raw);
    var mine = ++generation;
    if (!query) {
      shown = "";
      results.textContent = "";
      status.textContent = "";
      box.removeAttribute("data-state");
      return;
    }
    if (query === shown) return;
    box.setAttribute("data-state", "searching");
    status.textContent = box.getAttribute("data-searching");
    load().then(function (pf) {
      return pf.search(query);
    }).then(function (search) {
      if (mine !== generation || !search) return null;
      return Promise.all(search.results.slice(0, MAX_DOCUMENTS).map(function (r) { return r.data(); }));
    }).then(function (found) {
      if (mine !== generation || !found) return;
      shown = query;
      render(raw.trim(), found);
      box.setAttribute("data-query", query);
      box.setAttribute("data-state", "done");
    }).catch(function () {
      if (mine !== generation) return;
      shown = "";
      results.textContent = "";
      status.textContent = box.getAttribute("data-unavailable");
      box.setAttribute("data-state", "error");
    });
  }

  function enable() {
    box.hidden = false;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value); }, DELAY);
    });
    input.addEventListener("focus", function () { load().catch(function () {}); }, { once: true });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && input.value) {
        input.value = "";
        run("");
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      shown = "";
      run(input.value);
    });
    /* A link such as /fr/?q=logement opens with its results. */
    var q = new URLSearchParams(location.search).get("q");
    if (q) {
      input.value = q;
      run(q);
    }
  }

  /* Show the box only where an index was built (search/index.sh may have been skipped). */
  fetch(bundle + "pagefind-entry.json", { method: "GET" }).then(function (response) {
    if (response.ok) enable();
  }).catch(function () {});
})();
