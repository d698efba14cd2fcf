// Search over the index built with the site. Queries match with or without diacritics:
// both sides are folded the same way (lower case, no accents, đ -> d).
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input || !status || !list) { return; }
  var documents = null;
  // The page's language gives the messages: {count} and {query} are filled in here.
  function message(name, values) {
    var text = form.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }
  var collation = form.getAttribute("data-collation") || "vi";

  function fold(text) {
    return text.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function words(text) { return fold(text).match(/[a-z0-9]+/g) || []; }

  // Whole words count more than word beginnings, and the title more than the rest of the page.
  function matches(doc, terms) {
    var body = " " + doc.w + " ";
    var title = " " + doc.f.replace(/[^a-z0-9]+/g, " ") + " ";
    var score = 0;
    for (var i = 0; i < terms.length; i++) {
      var word = " " + terms[i] + " ", start = " " + terms[i];
      if (title.indexOf(word) >= 0) { score += 10; }
      else if (title.indexOf(start) >= 0) { score += 3; }
      else if (body.indexOf(word) >= 0) { score += 1; }
      else if (body.indexOf(start) >= 0) { score += 0.5; }
      else { return 0; }
    }
    return score;
  }

  function show(query) {
    var terms = words(query);
    list.innerHTML = "";
    if (!terms.length) { status.textContent = message("prompt"); return; }
    var found = [];
    documents.forEach(function (doc) {
      var score = matches(doc, terms);
      if (score) { found.push({ doc: doc, score: score }); }
    });
    found.sort(function (a, b) { return b.score - a.score || a.doc.t.localeCompare(b.doc.t, collation); });
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
    if (documents) { show(input.value); }
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
  });
  status.textContent = message("loading");
  fetch("index.json").then(function (response) { return response.json(); }).then(function (index) {
    documents = index.documents;
    var query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    if (query) { show(query); } else { status.textContent = message("prompt"); }
  }).catch(function () {
    status.textContent = message("failed");
  });
})();
