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

// Project catalogue: filter cards in place by perspective, phase or institution. The same
// links lead to perspective pages, phase lists and institution entries without JavaScript.
function enhanceCatalogue() {
  const grid = document.getElementById("spp-project-grid");
  const status = document.getElementById("spp-project-count");
  if (!grid || !status) return;
  const cards = Array.from(grid.querySelectorAll(".spp-project-card"));
  const facets = new Map();
  for (const card of cards) {
    for (const cls of card.classList) {
      const m = cls.match(/^spp-f-(perspective|phase|institution)-(.+)$/);
      if (m) facets.set(`${m[1]}=${m[2]}`, true);
    }
  }
  status.setAttribute("role", "status");
  const apply = () => {
    const params = new URLSearchParams(location.search);
    let shown = 0;
    for (const card of cards) {
      let ok = true;
      for (const kind of ["perspective", "phase", "institution"]) {
        const value = params.get(kind);
        if (value && !card.classList.contains(`spp-f-${kind}-${value}`)) ok = false;
      }
      card.hidden = !ok;
      if (ok) shown += 1;
    }
    const active = ["perspective", "phase", "institution"].filter((k) => params.get(k));
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
    m = href.match(/#projects-in-phase-(\d)/);
    if (m) key = `phase=${m[1]}`;
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

document.addEventListener("DOMContentLoaded", () => {
  addCopyButtons();
  enhanceCatalogue();
});
