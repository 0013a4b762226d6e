// The live access graph of odpsh serve --ui: polls /ui/version every second, redraws from
// /ui/graph.svg when it changed, and lists the selected node's grants from /ui/grants.
"use strict";

let version = null;
let selected = null;

function setStatus(text, error) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.className = error ? "error" : "";
}

async function get(path) {
  const response = await fetch(path, { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) {
    throw new Error((await response.text()).trim() || response.statusText);
  }
  return response;
}

async function showGrants(id) {
  selected = id;
  document.querySelectorAll("#graph g.node").forEach((g) => {
    g.classList.toggle("selected", g.dataset.id === id);
  });
  const title = document.getElementById("panel-title");
  const listings = document.getElementById("listings");
  try {
    const panel = await (await get(`/ui/grants?node=${encodeURIComponent(id)}`)).json();
    title.textContent = panel.label ? `${panel.label} (${panel.caption})` : id;
    document.getElementById("panel-hint").hidden = true;
    listings.replaceChildren();
    if (panel.listings.length === 0) {
      const p = document.createElement("p");
      p.textContent = "No grants of its own to list.";
      listings.append(p);
    }
    for (const listing of panel.listings) {
      const h = document.createElement("h3");
      h.textContent = listing.title;
      const pre = document.createElement("pre");
      pre.textContent = listing.text;
      listings.append(h, pre);
    }
  } catch (e) {
    listings.textContent = String(e.message);
  }
}

async function redraw() {
  const svg = await (await get("/ui/graph.svg")).text();
  const graph = document.getElementById("graph");
  graph.innerHTML = svg;
  graph.querySelectorAll("g.node").forEach((g) => {
    g.addEventListener("click", () => showGrants(g.dataset.id));
  });
  const nodes = graph.querySelectorAll("g.node").length;
  setStatus(`${nodes} nodes, updated ${new Date().toLocaleTimeString()}`, false);
  if (selected !== null) {
    await showGrants(selected);
  }
}

async function poll() {
  try {
    const now = (await (await get("/ui/version")).json()).version;
    if (now !== version) {
      await redraw();
      version = now;
    }
  } catch (e) {
    setStatus(`cannot reach odpsh serve: ${e.message}`, true);
  }
  setTimeout(poll, 1000);
}

poll();
