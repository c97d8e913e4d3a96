/* The search box in the header (overrides/partials/search.html), with Pagefind.

   Pagefind's index is in site/pagefind/, written by `python -m generator build`. It is
   split in small files: the first search fetches the entry file, the metadata of every
   page, the search engine (WebAssembly), the index chunks of the words typed and the
   text of the results it shows, not the whole index (about 310 kB gzipped at 10,000
   records, BENCHMARKS.md). A large list's index is in parts (pagefind-2/ …), searched
   as one. Nothing is fetched until someone focuses the box.

   Results are drawn with Material's own search markup and classes, so they look like
   the rest of the site in light and dark mode and on a phone. Contributor text is
   untrusted: titles and excerpts are put in the page as text, never as HTML; the only
   markup is the <mark> around words found, an element this script makes itself. */
(function () {
  "use strict";

  var box = document.querySelector("[data-rl-search]");
  if (!box) return;
  var toggle = document.getElementById("__search");
  var input = box.querySelector("[data-rl-search-query]");
  var form = input.form;
  var meta = box.querySelector("[data-rl-search-meta]");
  var list = box.querySelector("[data-rl-search-list]");
  var more = box.querySelector("[data-rl-search-more]");
  var PAGE = 10;

  var config = {};
  try {
    config = JSON.parse(document.getElementById("__config").textContent);
  } catch (error) {
    config = {};
  }
  var words = config.translations || {};
  function say(key, count) {
    var text = words[key] || "";
    return count === undefined ? text : text.replace("#", String(count));
  }
  // The site's root, as a path ("/reading-list/"): Material gives it relative.
  var root = new URL((config.base || ".") + "/", location.href);
  var index = box.getAttribute("data-rl-index");

  var engine = null; // a promise of Pagefind, loaded on first use
  var OPTIONS = {
    baseUrl: root.pathname,
    excerptLength: 24,
    // Authors (overrides/main.html) rank with the title, above abstract text.
    ranking: { metaWeights: { title: 5, authors: 5 } },
  };
  // A large list's index is in parts (generator/search_index.py). parts.json names the
  // parts after the first, which Pagefind merges into one search, and the ids of the
  // page of every word that each part holds so as never to guess; those are never
  // shown. It changes with every build, so the browser asks again rather than use a
  // copy it has kept (Pagefind does the same for its own entry file). A site without
  // it has no index: the search box says search is not available.
  var hidden = [];
  function partsFile() {
    var url = new URL(index + "parts.json", root).href;
    return fetch(url, { cache: "no-cache" }).then(function (response) {
      if (!response.ok) throw new Error("parts.json: HTTP " + response.status);
      return response.json();
    });
  }
  function pagefind() {
    if (!engine) {
      var loading = import(new URL(index + "pagefind.js", root).href);
      engine = Promise.all([loading, partsFile()]).then(function (loadedAndParts) {
        var loaded = loadedAndParts[0];
        var listed = loadedAndParts[1];
        hidden = listed.hidden || [];
        return Promise.resolve(loaded.options(OPTIONS))
          .then(function () {
            return loaded.init();
          })
          .then(function () {
            return Promise.all(
              (listed.parts || []).map(function (part) {
                return loaded.mergeIndex(new URL(part, root).pathname, OPTIONS);
              })
            );
          })
          .then(function () {
            return loaded;
          });
      });
    }
    return engine;
  }

  function setOpen(open) {
    if (toggle && toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change")); // Material locks scrolling on phones
    }
  }

  // The excerpt as text, with the words found in <mark> elements. Pagefind's excerpt
  // is HTML of the page text with "<" and ">" escaped but "&" not, so it cannot be
  // read back exactly ("&lt;" may have been "<" or "&lt;"). The page's own text is in
  // data.content, split into words the way Pagefind splits it: the excerpt's words are
  // found there and shown as they are; marks are copied by position.
  function escaped(word) {
    return word.replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function excerptWords(data) {
    var shown = String(data.excerpt || "").split(" ");
    var plain = shown.map(function (word) {
      return word.replace(/<\/?mark>/g, "");
    });
    var words = String(data.content || "").split(/[\r\n\s]+/g);
    for (var start = 0; start + plain.length <= words.length; start++) {
      var same = true;
      for (var i = 0; same && i < plain.length; i++) same = escaped(words[start + i]) === plain[i];
      if (same) {
        return shown.map(function (word, i) {
          return { text: words[start + i], mark: word.indexOf("<mark>") === 0 };
        });
      }
    }
    // Not found (should not happen): unescape "<" and ">" only; still never HTML.
    return shown.map(function (word) {
      return {
        text: word.replace(/<\/?mark>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">"),
        mark: word.indexOf("<mark>") === 0,
      };
    });
  }
  function excerpt(data, into) {
    excerptWords(data).forEach(function (word, i) {
      if (i) into.appendChild(document.createTextNode(" "));
      if (word.mark) {
        var mark = document.createElement("mark");
        mark.textContent = word.text;
        into.appendChild(mark);
      } else into.appendChild(document.createTextNode(word.text));
    });
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = data.url;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    var title = document.createElement("h1");
    title.textContent = (data.meta && data.meta.title) || data.url;
    var text = document.createElement("p");
    excerpt(data, text);
    article.append(icon, title, text);
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  var current = null; // the search whose results are shown
  var shown = 0;
  function showMore() {
    var search = current;
    var next = search.results.slice(shown, shown + PAGE);
    shown += next.length;
    more.hidden = true;
    return Promise.all(
      next.map(function (result) {
        return result.data();
      })
    ).then(
      function (pages) {
        if (search !== current) return;
        pages.forEach(function (data) {
          list.appendChild(item(data));
        });
        more.hidden = shown >= search.results.length;
      },
      function () {
        // A result's page text could not be fetched: say so, and let the reader retry.
        if (search !== current) return;
        shown -= next.length;
        more.hidden = false;
        status("Some results could not be loaded; check the connection and try again.");
      }
    );
  }

  function status(text) {
    meta.textContent = text;
  }

  function unavailable(why) {
    status(why);
    list.textContent = "";
    more.hidden = true;
  }

  var asked = 0;
  function run() {
    var query = input.value.trim();
    var mine = ++asked;
    if (!index) {
      unavailable(
        "Search needs the index that `python -m generator build` writes; `mkdocs serve` has none."
      );
      return;
    }
    if (location.protocol === "file:") {
      // Browsers refuse to load Pagefind's modules from files; say how to serve them.
      unavailable(
        "Search needs the site served over HTTP: run `python -m http.server -d site` and open http://localhost:8000/"
      );
      return;
    }
    if (!query) {
      current = null;
      list.textContent = "";
      more.hidden = true;
      status(say("search.result.placeholder"));
      return;
    }
    pagefind()
      .catch(function (error) {
        engine = null; // loading failed: the next query tries again
        throw error;
      })
      .then(function (engine) {
        return engine.debouncedSearch(query, {}, 150);
      })
      .then(function (search) {
        if (!search || mine !== asked) return; // a newer query took over
        current = {
          results: search.results.filter(function (result) {
            return hidden.indexOf(result.id) < 0;
          }),
        };
        shown = 0;
        list.textContent = "";
        var n = current.results.length;
        status(n === 0 ? say("search.result.none") : n === 1 ? say("search.result.one") : say("search.result.other", n));
        return (n ? showMore() : Promise.resolve()).then(function () {
          // The query whose results are on screen (while typing, earlier ones show).
          if (mine === asked) box.setAttribute("data-rl-search-shown", query);
        });
      })
      .catch(function () {
        unavailable("Search is not available here: the search index could not be loaded.");
      });
  }

  input.addEventListener("focus", function () {
    setOpen(true);
    if (index && location.protocol !== "file:") pagefind().catch(function () {}); // load while the reader types
  });
  input.addEventListener("input", run);
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked && document.activeElement !== input) input.focus();
    });
  }
  more.addEventListener("click", function () {
    var first = list.children.length;
    showMore().then(function () {
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) link.focus();
    });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault(); // Enter opens the first result
    var link = list.querySelector("a");
    if (link) location.href = link.href;
  });
  form.addEventListener("reset", function () {
    setTimeout(function () {
      run();
      input.focus();
    });
  });

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }
  box.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      setOpen(false);
      input.blur();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var all = links();
    if (!all.length) return;
    var at = all.indexOf(document.activeElement);
    event.preventDefault();
    if (event.key === "ArrowDown") (all[at + 1] || all[0]).focus();
    else if (at <= 0) input.focus();
    else all[at - 1].focus();
  });
  // "/" or "s" opens the search from anywhere, as with Material's own search.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "/" || event.key === "s" || event.key === "S") {
      event.preventDefault();
      setOpen(true);
      input.focus();
    }
  });
})();
