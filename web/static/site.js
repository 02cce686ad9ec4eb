// Every page: keyboard (/ focuses the search box), the phone's 筛选 toggle, "search within
// these results", the collection (摘录) kept in localStorage, copying a paragraph with its
// citation, the filter box of long facets and the find box of long lists.
// Everything works without this script except these conveniences; all state a page
// shows is in its URL (the collection's ids too: /collection?id=…&id=…).
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var KEY = "kb.collection";

  // -- the collection ------------------------------------------------------------------
  function stored() {
    try {
      var ids = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(ids) ? ids.filter(function (x) { return typeof x === "string"; }) : [];
    } catch (e) { return []; }
  }
  function store(ids) {
    try { localStorage.setItem(KEY, JSON.stringify(ids)); } catch (e) { /* private mode: the URL still works */ }
    refresh();
  }
  function collectionUrl(ids) {
    return "/collection" + (ids.length ? "?" + ids.map(function (id) { return "id=" + encodeURIComponent(id); }).join("&") : "");
  }
  function refresh() {
    var ids = stored();
    var link = document.getElementById("collection-link");
    if (link) {
      link.href = collectionUrl(ids);
      var count = link.querySelector(".collection-count");
      count.textContent = "（" + ids.length + "）";
      count.hidden = !ids.length;
      link.setAttribute("aria-label", "摘录：" + ids.length + " 段");
    }
    document.querySelectorAll(".para-tools").forEach(function (t) {
      var on = ids.indexOf(t.getAttribute("data-pid")) !== -1;
      var b = t.querySelector("button.collect");
      if (b) {
        b.setAttribute("aria-pressed", on ? "true" : "false");
        b.textContent = on ? "✓已摘录" : "＋摘录";
      }
    });
  }
  window.addEventListener("storage", function (e) { if (e.key === KEY) { refresh(); } });
  document.addEventListener("kb:tools", refresh);  // tools added by another script

  function citation(tools) {
    var url = new URL(tools.getAttribute("data-url"), location.href).href;
    return tools.getAttribute("data-text") + "\n（" + tools.getAttribute("data-cite") + " · " + url + "）";
  }
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "offscreen";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }
  function flash(button, text) {
    var old = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", old);
    button.textContent = text;
    setTimeout(function () { button.textContent = old; }, 1500);
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest(".para-tools button");
    if (button) {
      var tools = button.closest(".para-tools");
      var id = tools.getAttribute("data-pid");
      if (button.classList.contains("collect")) {
        var ids = stored();
        var at = ids.indexOf(id);
        if (at === -1) { ids.push(id); } else { ids.splice(at, 1); }
        store(ids);
        announce(at === -1 ? "已加入摘录，共 " + ids.length + " 段" : "已移出摘录，共 " + ids.length + " 段");
      } else if (button.classList.contains("copy")) {
        copyText(citation(tools)).then(function () { flash(button, "已复制"); }, function () { flash(button, "复制失败"); });
      }
      return;
    }
    // on the collection page, removing and moving are links (the URL is the truth):
    // the stored collection follows them
    var edit = e.target.closest("a[data-collection]");
    if (edit) {
      var url = new URL(edit.href, location.href);
      store(url.searchParams.getAll("id"));
    }
  });

  var live;
  function announce(text) {
    if (!live) {
      live = document.createElement("p");
      live.className = "sr";
      live.setAttribute("aria-live", "polite");
      document.body.appendChild(live);
    }
    live.textContent = text;
  }

  // /collection with no ids: the stored collection; a collection page saves its ids on request
  var page = document.querySelector("[data-collection-page]");
  if (page) {
    var shown = JSON.parse(page.getAttribute("data-ids") || "[]");
    if (!shown.length && stored().length) {
      location.replace(collectionUrl(stored()));
      return;
    }
    var save = document.getElementById("collection-save");
    if (save && shown.join("\n") !== stored().join("\n")) {
      save.hidden = false;
      save.addEventListener("click", function () { store(shown); save.hidden = true; announce("已保存为本浏览器的摘录"); });
    }
  }

  // -- keyboard: / focuses the search box ----------------------------------------------
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) { return; }
    var box = document.getElementById("q");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });

  // -- search within these results ---------------------------------------------------------
  var form = document.querySelector("form.search");
  var within = document.getElementById("within");
  if (form && within) {
    within.closest("label").hidden = false;  // without this script the filters are always kept
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[data-filter]").forEach(function (i) { i.disabled = !within.checked; });
    });
  }

  // -- the phone's 筛选 toggle ---------------------------------------------------------------
  var toggle = document.querySelector(".filter-toggle");
  var facets = document.getElementById("facets");
  if (toggle && facets) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = facets.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // -- the filter box of a long facet: its values from /api/facets/<name> ------------------
  document.querySelectorAll("form.facet-find").forEach(function (f) {
    var input = f.querySelector("input[name=contains]");
    var list = f.parentNode.querySelector("ul.found");
    var timer;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var params = new URLSearchParams(new FormData(f));
        params.set("facet_size", "30");
        if (!input.value.trim()) { list.textContent = ""; list.hidden = true; return; }
        fetch(f.getAttribute("data-api") + "?" + params.toString())
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            list.textContent = "";
            if (!data) { return; }
            data.values.forEach(function (v) {
              var li = document.createElement("li");
              var a = document.createElement("a");
              a.href = v.toggle_url;
              a.textContent = (v.selected ? "✓ " : "") + v.label;
              a.setAttribute("data-value", v.value);
              var c = document.createElement("span");
              c.className = "count";
              c.textContent = v.count;
              li.appendChild(a);
              li.appendChild(document.createTextNode(" "));
              li.appendChild(c);
              list.appendChild(li);
            });
            if (!data.values.length) {
              var none = document.createElement("li");
              none.textContent = "没有包含“" + input.value + "”的" + f.getAttribute("data-label");
              list.appendChild(none);
            }
            list.hidden = false;
          });
      }, 150);
    });
  });

  // -- long lists: the find box narrows the rows as one types (the form is the fallback;
  //    the order of the rows is the URL's: ?sort=…) ----------------------------------------
  // a group's count in the links above the list (法律（12） · 行政法规（3）…) follows the find box
  function countIn(group, shown) {
    var heading = group.querySelector("h2[id]");
    var link = heading && document.querySelector('a[href="#' + heading.id + '"]');
    if (link) { link.textContent = link.textContent.replace(/（\d+）$/, "（" + shown + "）"); }
  }
  document.querySelectorAll("input[data-find]").forEach(function (box) {
    var id = box.getAttribute("data-find");
    var tables = document.querySelectorAll('table.findable[id="' + id + '"], table[data-find-with="' + id + '"]');
    var status = document.querySelector('[data-find-status="' + id + '"]');
    if (!tables.length) { return; }
    box.addEventListener("input", function () {
      var want = box.value.trim().toLowerCase();
      var n = 0;
      tables.forEach(function (table) {
        var shown = 0;
        Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
          var show = !want || r.textContent.toLowerCase().indexOf(want) !== -1;
          r.hidden = !show;
          shown += show ? 1 : 0;
        });
        var group = table.closest("section.kind-group");
        if (group) { group.hidden = !shown; countIn(group, shown); }
        n += shown;
      });
      if (status) { status.textContent = want ? "找到 " + n + " 项" : ""; }
    });
  });

  refresh();
  // the box a page opens on gets the focus now, not whenever the browser gets to autofocus;
  // then the page says it is ready (tests wait for data-ready, never for time)
  var first = document.querySelector("[autofocus]");
  if (first && (!document.activeElement || document.activeElement === document.body)) { first.focus(); }
  root.setAttribute("data-ready", "");
}());
