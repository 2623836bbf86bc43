// Progressive enhancement for the SPP 2298 site. Every page works without it.
"use strict";

// "Copy BibTeX" buttons inside each publication's BibTeX box.
function addCopyButtons() {
  for (const box of document.querySelectorAll("details.spp-pub-bibtex")) {
    const pre = box.querySelector("pre");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "spp-copy";
    button.textContent = "Copy BibTeX";
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(pre.textContent);
        button.textContent = "Copied";
      } catch (err) {
        button.textContent = "Select the text to copy";
      }
    });
    box.appendChild(button);
  }
}

// Project catalogue: filter cards in place by perspective, start year or institution. The same
// links lead to perspective pages, start-year lists and institution entries without JavaScript.
function enhanceCatalogue() {
  const grid = document.getElementById("spp-project-grid");
  const status = document.getElementById("spp-project-count");
  if (!grid || !status) return;
  const cards = Array.from(grid.querySelectorAll(".spp-project-card"));
  const facets = new Map();
  for (const card of cards) {
    for (const cls of card.classList) {
      const m = cls.match(/^spp-f-(perspective|since|institution)-(.+)$/);
      if (m) facets.set(`${m[1]}=${m[2]}`, true);
    }
  }
  status.setAttribute("role", "status");
  const apply = () => {
    const params = new URLSearchParams(location.search);
    let shown = 0;
    for (const card of cards) {
      let ok = true;
      for (const kind of ["perspective", "since", "institution"]) {
        const value = params.get(kind);
        if (value && !card.classList.contains(`spp-f-${kind}-${value}`)) ok = false;
      }
      card.hidden = !ok;
      if (ok) shown += 1;
    }
    const active = ["perspective", "since", "institution"].filter((k) => params.get(k));
    status.textContent = active.length
      ? `${shown} of ${cards.length} projects (${active.map((k) => `${k}: ${params.get(k)}`).join(", ")})`
      : `${cards.length} projects`;
  };
  const links = document.querySelectorAll("#spp-project-filters a");
  for (const link of links) {
    const href = link.getAttribute("href") || "";
    let key = null;
    let m = href.match(/perspectives\/(\w+)\.html/);
    if (m) key = `perspective=${m[1]}`;
    m = href.match(/#projects-funded-since-(\d{4})/);
    if (m) key = `since=${m[1]}`;
    m = href.match(/#institution-([\w-]+)/);
    if (m) key = `institution=${m[1]}`;
    if (!key || !facets.has(key)) continue;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const [kind, value] = key.split("=");
      const params = new URLSearchParams(location.search);
      if (params.get(kind) === value) params.delete(kind);
      else params.set(kind, value);
      const query = params.toString();
      history.pushState(null, "", query ? `?${query}` : location.pathname);
      apply();
    });
  }
  window.addEventListener("popstate", apply);
  apply();
}

// ---- Search (Pagefind) --------------------------------------------------------------------
// Pagefind's script loads on the first query; after that a query downloads only the index
// chunks it needs. Every text shown comes from the index and is inserted as text, never as HTML.

function siteRoot() {
  return new URL(document.documentElement.dataset.content_root || "./", location.href);
}

let pagefindLoading = null;
function loadPagefind() {
  if (!pagefindLoading) {
    // Pages and publications are in small indexes (see search.py), publications by year, newest
    // first: merged, they answer as one, and results without a query arrive newest year first.
    const root = siteRoot();
    const indexes = fetch(new URL("_pagefind/merged-indexes.json", root)).then((r) => r.json());
    pagefindLoading = import(new URL("_pagefind/pages/pagefind.js", root).href).then(async (pagefind) => {
      await pagefind.options({ baseUrl: "/", excerptLength: 24 });
      await pagefind.init();
      const merged = (await indexes).map((name) => new URL(`_pagefind/${name}/`, root).href);
      await Promise.all(merged.map((url) => pagefind.mergeIndex(url, { baseUrl: "/" })));
      await pagefind.filters(); // loads the filter chunks, so every search reports facet counts
      return pagefind;
    });
  }
  return pagefindLoading;
}

function resultHref(url) {
  return new URL(url.replace(/^\//, ""), siteRoot()).href;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Text with every occurrence of the query's words wrapped in <mark>, built from text nodes.
function highlighted(tag, className, text, terms) {
  const node = element(tag, className);
  const words = terms.filter((t) => t.length > 1).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (!words.length) {
    node.textContent = text;
    return node;
  }
  const pattern = new RegExp(`(${words.join("|")})`, "gi");
  for (const [i, part] of text.split(pattern).entries()) {
    if (!part) continue;
    node.appendChild(i % 2 ? element("mark", "", part) : document.createTextNode(part));
  }
  return node;
}

// Pagefind's excerpt marks matches with <mark>; keep those and plain text, drop everything else.
function excerpt(html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const out = element("p", "spp-result-excerpt");
  for (const child of parsed.body.firstChild.childNodes) {
    if (child.nodeName === "MARK") out.appendChild(element("mark", "", child.textContent));
    else out.appendChild(document.createTextNode(child.textContent));
  }
  return out;
}

function publicationItem(data, terms) {
  const meta = data.meta;
  const item = element("li", "spp-pub spp-result");
  item.appendChild(highlighted("span", "spp-pub-authors", meta.authors || "", terms));
  item.appendChild(document.createTextNode(". "));
  const link = highlighted("a", "spp-pub-title", meta.title || "", terms);
  link.href = resultHref(data.url);
  item.appendChild(link);
  item.appendChild(document.createTextNode(". "));
  if (meta.venue) {
    item.appendChild(highlighted("span", "spp-pub-venue", meta.venue, terms));
    item.appendChild(document.createTextNode(", "));
  }
  item.appendChild(element("span", "spp-pub-year", meta.year));
  item.appendChild(document.createTextNode("."));
  const info = element("span", "spp-pub-meta");
  info.appendChild(element("span", "spp-pub-type", meta.type));
  if (meta.projects) info.appendChild(element("span", "spp-pub-projects-text", meta.projects));
  item.appendChild(info);
  return item;
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// Shows the next `size` of the `pending` results in `list`, rendered by `render`; returns the
// new items, or null if `isCurrent()` is false once their data is in (a newer query started).
async function appendBatch(pending, size, list, render, isCurrent) {
  const data = await Promise.all(pending.splice(0, size).map((r) => r.data()));
  if (!isCurrent()) return null;
  const items = data.map(render);
  list.append(...items);
  return items;
}

// Opened from a file (file://), the browser blocks the search index from loading: say so where
// search would be, instead of a search that silently finds nothing.
const SERVED = location.protocol !== "file:";
function needsServer(where) {
  const note = element("p", "spp-needs-server",
    "Search works when the site is served: run `nox -s serve` (or `python3 -m http.server -d _build/html`) " +
    "and open http://127.0.0.1:8000.");
  note.setAttribute("role", "note");
  where.after(note);
}

// The publications page: text search plus facets with live counts; the state is the URL.
function enhanceExplorer() {
  const form = document.querySelector(".spp-explorer-form");
  if (!form) return;
  if (!SERVED) {
    form.hidden = true;
    return needsServer(form);
  }
  const input = form.querySelector("#spp-q");
  const selects = Array.from(form.querySelectorAll("select"));
  const status = document.getElementById("spp-pub-count");
  const results = document.getElementById("spp-results");
  const more = document.getElementById("spp-more");
  const latest = document.getElementById("spp-latest");
  const total = Number.parseInt(status.textContent, 10);
  for (const option of form.querySelectorAll("option[data-label]")) option.dataset.total = option.textContent;
  status.setAttribute("aria-live", "polite");
  let pending = [];
  let terms = [];
  let generation = 0;

  const readUrl = () => {
    const params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    for (const select of selects) select.value = params.get(select.name) || "";
  };
  const writeUrl = (push) => {
    const params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    for (const select of selects) if (select.value) params.set(select.name, select.value);
    const query = params.toString();
    const url = query ? `?${query}` : location.pathname;
    if (url === location.search || (!query && !location.search)) return;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  };
  const showMore = async (mine) => {
    const items = await appendBatch(pending, 10, results, (d) => publicationItem(d, terms), () => mine === generation);
    if (items) more.hidden = pending.length === 0;
  };
  const run = async () => {
    const mine = ++generation;
    const query = input.value.trim();
    const filters = {};
    for (const select of selects) if (select.value) filters[select.name] = select.value;
    if (!query && !Object.keys(filters).length) {
      results.hidden = true;
      more.hidden = true;
      latest.hidden = false;
      status.textContent = `${total} publications`;
      for (const option of form.querySelectorAll("option[data-label]")) option.textContent = option.dataset.total;
      return;
    }
    const started = performance.now();
    const pagefind = await loadPagefind();
    // A facet's counts apply every other choice but its own, so its alternatives stay visible.
    const searches = await Promise.all([null, ...selects].map((select) => {
      const rest = { kind: "Publication", ...filters };
      if (select && !select.value) return null;
      if (select) delete rest[select.name];
      return pagefind.search(query || null, { filters: rest });
    }));
    if (mine !== generation) return;
    const search = searches[0];
    for (const [i, select] of selects.entries()) {
      const facet = searches[i + 1] || search;
      const counts = (facet.filters && facet.filters[select.name]) || {};
      for (const option of select.querySelectorAll("option[data-label]")) {
        option.textContent = `${option.dataset.label} (${counts[option.value] || 0})`;
      }
    }
    const n = search.results.length;
    const described = [query ? `matching “${query}”` : "", ...Object.entries(filters).map(([k, v]) => {
      const option = form.querySelector(`#spp-f-${k} option[value="${CSS.escape(v)}"]`);
      return `${k}: ${option ? option.dataset.label : v}`;
    })].filter(Boolean).join(", ");
    status.textContent = `${n} of ${total} publications ${described}`.trim();
    window.sppLastSearchMs = performance.now() - started;
    terms = query.split(/\s+/);
    pending = search.results.slice();
    results.replaceChildren();
    await showMore(mine);
    if (mine !== generation) return;
    results.hidden = false;
    latest.hidden = true;
    window.sppLastQueryMs = performance.now() - started;
    document.documentElement.dataset.sppQuery = String(generation);
  };
  const typed = debounce(() => {
    writeUrl(false);
    run();
  }, 120);
  input.addEventListener("input", () => {
    // Fetch the index chunks for the words while the debounce waits (as Pagefind's own
    // debouncedSearch does), so the search itself starts with its data at hand.
    const query = input.value.trim();
    if (query) loadPagefind().then((pagefind) => pagefind.preload(query));
    typed();
  });
  for (const select of selects) {
    select.addEventListener("change", () => {
      writeUrl(true);
      run();
    });
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    writeUrl(true);
    run();
  });
  form.addEventListener("reset", () => {
    setTimeout(() => {
      writeUrl(true);
      run();
      input.focus();
    });
  });
  more.addEventListener("click", () => showMore(generation));
  input.addEventListener("focus", () => loadPagefind(), { once: true });
  window.addEventListener("popstate", () => {
    readUrl();
    run();
  });
  readUrl();
  if (location.search) run();
}

// The search page: pages and publications, reached from the theme's search button and Ctrl+K.
function enhanceSiteSearch() {
  const input = document.getElementById("spp-site-q");
  if (!input) return;
  if (!SERVED) return needsServer(input.form);
  const form = input.form;
  const status = document.getElementById("spp-site-status");
  const list = document.getElementById("spp-site-results");
  const more = document.getElementById("spp-site-more");
  const BATCH = 30;
  status.setAttribute("aria-live", "polite");
  let generation = 0;
  let pending = [];
  let terms = [];
  let shown = 0;
  let total = 0;
  let query = "";
  const describe = () => {
    status.textContent = total ? `${total} result${total === 1 ? "" : "s"} for “${query}”`
      + (shown < total ? ` (first ${shown} shown)` : "") : `No results for “${query}”`;
  };
  const resultItem = (d) => {
    const item = element("li", "spp-search-result");
    const isPublication = d.filters && d.filters.kind && d.filters.kind.includes("Publication");
    const link = highlighted("a", "spp-result-title", d.meta.title || d.url, terms);
    link.href = resultHref(d.url);
    item.appendChild(link);
    if (isPublication) {
      item.appendChild(element("span", "spp-result-kind", ` Publication, ${d.meta.year}`));
      item.appendChild(highlighted("p", "spp-result-excerpt", `${d.meta.authors}. ${d.meta.venue || ""}`, terms));
    } else {
      item.appendChild(excerpt(d.excerpt));
    }
    return item;
  };
  // The next batch; returns its first item (or null).
  const showNext = async (mine) => {
    const items = await appendBatch(pending, BATCH, list, resultItem, () => mine === generation);
    if (!items) return null;
    shown += items.length;
    more.hidden = pending.length === 0;
    describe();
    return items[0] || null;
  };
  const run = async () => {
    const mine = ++generation;
    query = input.value.trim();
    if (!query) {
      list.replaceChildren();
      pending = [];
      more.hidden = true;
      status.textContent = "";
      return;
    }
    const pagefind = await loadPagefind();
    const search = await pagefind.search(query);
    if (mine !== generation) return;
    terms = query.split(/\s+/);
    pending = search.results.slice();
    total = pending.length;
    shown = 0;
    list.replaceChildren();
    await showNext(mine);
    if (mine === generation) document.documentElement.dataset.sppQuery = String(generation);
  };
  more.addEventListener("click", async () => {
    // Keyboard users continue at the first new result, not back at the button.
    const first = await showNext(generation);
    if (first) first.querySelector("a").focus();
  });
  const update = (push) => {
    const query = input.value.trim();
    const url = query ? `?q=${encodeURIComponent(query)}` : location.pathname;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
    run();
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    update(true);
  });
  input.addEventListener("input", debounce(() => update(false), 150));
  window.addEventListener("popstate", () => {
    input.value = new URLSearchParams(location.search).get("q") || "";
    run();
  });
  input.value = new URLSearchParams(location.search).get("q") || "";
  input.focus();
  run();
}

document.addEventListener("DOMContentLoaded", () => {
  addCopyButtons();
  enhanceCatalogue();
  enhanceExplorer();
  enhanceSiteSearch();
});
