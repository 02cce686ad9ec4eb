// Report page: when a paragraph is linked (#pN), show how other agencies describe
// the same thing, from /api/paragraphs/<id>/similar. The excerpts arrive HTML-escaped
// with only <mark> added by the server; everything else is set as text.
(function () {
  "use strict";
  var panel = document.getElementById("similar-panel");
  var article = document.querySelector("article.report");
  if (!panel || !article) { return; }
  var reportId = article.getAttribute("data-report-id");

  function show(anchor) {
    var para = anchor && document.getElementById(anchor);
    if (!para || !para.classList.contains("para")) { panel.hidden = true; return; }
    var id = reportId + "." + anchor;
    fetch("/api/paragraphs/" + encodeURIComponent(id) + "/similar?limit=4")
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        var list = panel.querySelector("ol");
        list.textContent = "";
        panel.querySelector(".for").textContent = "¶" + anchor.slice(1);
        if (!data || !data.similar.length) { panel.hidden = true; return; }
        data.similar.forEach(function (hit) {
          var li = document.createElement("li");
          var meta = document.createElement("p");
          meta.className = "meta";
          meta.textContent = hit.agency + " · " + hit.year;
          var a = document.createElement("a");
          a.href = hit.url;
          a.innerHTML = hit.excerpt_html;  // escaped by the server, <mark> only
          li.appendChild(meta);
          li.appendChild(a);
          list.appendChild(li);
        });
        panel.hidden = false;
      })
      .catch(function () { panel.hidden = true; });
  }

  show(location.hash.slice(1));
  window.addEventListener("hashchange", function () { show(location.hash.slice(1)); });
}());
