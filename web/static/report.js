// Report page: when a paragraph is linked (#pN), show how other agencies describe
// the same thing, from /api/paragraphs/<id>/similar. The excerpts arrive HTML-escaped
// with only <mark> added by the server; everything else is set as text.
(function () {
  "use strict";
  var panel = document.getElementById("similar-panel");
  var article = document.querySelector("article.report");
  if (!panel || !article) { return; }
  var reportId = article.getAttribute("data-report-id");

  // 摘录 and 复制 for a similar paragraph, as the server writes them for the others (site.js handles clicks)
  function tools(hit) {
    var span = document.createElement("span");
    span.className = "para-tools";
    span.setAttribute("data-pid", hit.id);
    span.setAttribute("data-cite", hit.citation);  // 单位 · 报告年度 2025 · 标题 · 第N段, as the server says it
    span.setAttribute("data-url", hit.url);
    span.setAttribute("data-text", hit.text);
    [["collect", "＋摘录"], ["copy", "复制"]].forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = b[0];
      button.textContent = b[1];
      if (b[0] === "collect") { button.setAttribute("aria-pressed", "false"); }
      span.appendChild(button);
    });
    return span;
  }

  // the panel says when it has its answer (data-ready: tests wait for it, never for time)
  function done() { panel.setAttribute("data-ready", ""); }

  function show(anchor) {
    panel.removeAttribute("data-ready");
    var para = anchor && document.getElementById(anchor);
    if (!para || !para.classList.contains("para")) { panel.hidden = true; done(); return; }
    var id = reportId + "." + anchor;
    fetch("/api/paragraphs/" + encodeURIComponent(id) + "/similar?limit=4")
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        var list = panel.querySelector("ol");
        list.textContent = "";
        panel.querySelector(".for").textContent = "¶" + anchor.slice(1);
        if (!data || !data.similar.length) { panel.hidden = true; done(); return; }
        data.similar.forEach(function (hit) {
          var li = document.createElement("li");
          var meta = document.createElement("p");
          meta.className = "meta";
          meta.textContent = hit.agency + " · 报告年度 " + hit.year;
          var a = document.createElement("a");
          a.href = hit.url;
          a.innerHTML = hit.excerpt_html;  // escaped by the server, <mark> only
          li.appendChild(meta);
          li.appendChild(a);
          li.appendChild(tools(hit));
          list.appendChild(li);
        });
        panel.hidden = false;
        document.dispatchEvent(new Event("kb:tools"));  // site.js marks those already collected
        done();
      })
      .catch(function () { panel.hidden = true; done(); });
  }

  show(location.hash.slice(1));
  window.addEventListener("hashchange", function () { show(location.hash.slice(1)); });
}());
