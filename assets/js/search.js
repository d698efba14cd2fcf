// Search over the index built with the site. Queries match with or without diacritics:
// both sides are folded the same way (lower case, no accents, đ -> d).
(function () {
  "use strict";

  function fold(text) {
    return text.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  // A figure keeps its separators ("99,99", "1.076"), as reformdash/search.py writes it into the index.
  function words(text) { return fold(text).match(/[0-9]+(?:[.,][0-9]+)+|[a-z0-9]+/g) || []; }

  // The index's documents with their fields padded for whole-word look-ups, made once when it loads.
  function prepare(documents) {
    return documents.map(function (doc, order) {
      var title = words(doc.f);
      return { doc: doc, order: order, titleWords: title.join(" "), titleCount: title.length || 1,
               title: " " + title.join(" ") + " ", described: " " + (doc.d || "") + " ",
               figures: " " + (doc.n || "") + " ", body: " " + doc.w + " " };
    });
  }

  // How one page holds one word: a whole word of its title or a figure of its own statistics counts most,
  // then its description (which names a department's short name), then the rest of the page; a word's
  // beginning counts less than the whole word. 0: not on the page.
  function level(page, term) {
    var word = " " + term + " ", start = " " + term;
    if (page.title.indexOf(word) >= 0 || page.figures.indexOf(word) >= 0) { return 10; }
    if (page.described.indexOf(word) >= 0) { return 5; }
    if (page.title.indexOf(start) >= 0) { return 3; }
    if (page.described.indexOf(start) >= 0) { return 2; }
    if (page.body.indexOf(word) >= 0) { return 1; }
    if (page.body.indexOf(start) >= 0) { return 0.5; }
    return 0;
  }

  // The pages holding every word of the query, best first: a title that is the query itself, then the
  // weighed matches (a word found on nearly every page weighs almost nothing, a rare word much), then the
  // share of the title the query covers, then the index's own order (a department before its reports,
  // newer reports first: see reformdash/search.py).
  function rank(pages, query) {
    var terms = words(query).filter(function (term, i, all) { return all.indexOf(term) === i; });
    if (!terms.length) { return []; }
    var levels = terms.map(function (term) { return pages.map(function (page) { return level(page, term); }); });
    var weights = levels.map(function (found) {
      var holding = found.filter(function (l) { return l > 0; }).length;
      return Math.log((pages.length + 1) / (holding || 1));
    });
    var phrase = terms.join(" ");
    var found = [];
    pages.forEach(function (page, p) {
      var score = 0, inTitle = 0;
      for (var t = 0; t < terms.length; t++) {
        if (!levels[t][p]) { return; }
        score += levels[t][p] * weights[t];
        if (page.title.indexOf(" " + terms[t] + " ") >= 0) { inTitle += 1; }
      }
      found.push({ doc: page.doc, exact: page.titleWords === phrase ? 1 : 0, score: score,
                   cover: inTitle / page.titleCount, order: page.order });
    });
    found.sort(function (a, b) {
      return b.exact - a.exact || b.score - a.score || b.cover - a.cover || a.order - b.order;
    });
    return found;
  }

  if (typeof module === "object" && module.exports) {  // the tests rank with Node, as the page does
    module.exports = { fold: fold, words: words, prepare: prepare, rank: rank };
  }
  if (typeof document === "undefined") { return; }

  var form = document.getElementById("search-form");
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input || !status || !list) { return; }
  var pages = null;
  // The page's language gives the messages: {count} and {query} are filled in here.
  function message(name, values) {
    var text = form.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }

  function show(query) {
    list.innerHTML = "";
    if (!words(query).length) { status.textContent = message("prompt"); return; }
    var found = rank(pages, query);
    found.slice(0, 50).forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "../" + item.doc.p;
      a.textContent = item.doc.t;
      var section = document.createElement("span");
      section.className = "muted";
      section.textContent = " (" + item.doc.s + ")";
      li.appendChild(a);
      li.appendChild(section);
      list.appendChild(li);
    });
    status.textContent = !found.length ? message("none", { query: query })
      : message(found.length > 50 ? "found-many" : "found", { count: found.length });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (pages) { show(input.value); }
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
  });
  status.textContent = message("loading");
  fetch("index.json").then(function (response) { return response.json(); }).then(function (index) {
    pages = prepare(index.documents);
    var query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    if (query) { show(query); } else { status.textContent = message("prompt"); }
  }).catch(function () {
    status.textContent = message("failed");
  });
})();
