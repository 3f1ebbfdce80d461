/* wufpress default theme — progressive enhancement only; every page reads without it.
   Numbered paragraphs carry the same anchor (#para-N) in every language, so the language
   switcher takes the reader's place along: paragraph 12 in French opens paragraph 12 in Arabic. */
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("nav.languages a[hreflang]");
  if (!link || !location.hash) return;
  var anchor = location.hash;
  if (!/^#(para-\d+|fn-[\w-]+)$/.test(anchor)) {
    /* Heading ids differ between languages: fall back to the nearest numbered paragraph. */
    var target = document.getElementById(decodeURIComponent(anchor.slice(1)));
    var next = target;
    while (next && !(next.id && /^para-\d+$/.test(next.id))) next = next.nextElementSibling;
    if (!next) return;
    anchor = "#" + next.id;
  }
  link.href = link.href.split("#")[0] + anchor;
});
