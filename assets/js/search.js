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
    if (!terms.length) { status.textContent = "Nhập từ cần tìm (có dấu hoặc không dấu)."; return; }
    var found = [];
    documents.forEach(function (doc) {
      var score = matches(doc, terms);
      if (score) { found.push({ doc: doc, score: score }); }
    });
    found.sort(function (a, b) { return b.score - a.score || a.doc.t.localeCompare(b.doc.t, "vi"); });
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
    status.textContent = found.length ? "Tìm thấy " + found.length + " trang" + (found.length > 50 ? ", hiện 50 trang đầu." : ".")
                                      : "Không tìm thấy trang nào cho “" + query + "”.";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (documents) { show(input.value); }
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
  });
  status.textContent = "Đang tải chỉ mục tìm kiếm…";
  fetch("index.json").then(function (response) { return response.json(); }).then(function (index) {
    documents = index.documents;
    var query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    if (query) { show(query); } else { status.textContent = "Nhập từ cần tìm (có dấu hoặc không dấu)."; }
  }).catch(function () {
    status.textContent = "Không tải được chỉ mục tìm kiếm. Khi mở trang trực tiếp từ máy (file://), trình duyệt không cho phép tìm kiếm; hãy mở qua máy chủ web.";
  });
})();
