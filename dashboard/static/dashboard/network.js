"use strict";
// The network around an institution: /api/v1/institutions/{id}/network/ drawn with Cytoscape.js;
// a click on a node recentres on it; the picture downloads as PNG.
document.addEventListener("DOMContentLoaded", () => {
  const D = window.Dashboard;
  const root = document.getElementById("network");
  const form = document.getElementById("network-form");
  const palette = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#475569",
    "#ea580c", "#0d9488", "#9333ea", "#ca8a04", "#be123c", "#4f46e5", "#15803d", "#78716c"];
  const kinds = JSON.parse(document.getElementById("institution-kinds").textContent);
  const colour = new Map(kinds.map((kind, index) => [kind.value, palette[index % palette.length]]));
  const label = new Map(kinds.map((kind) => [kind.value, kind.label]));
  let cy = null;

  function query() {
    const params = new URLSearchParams();
    params.set("depth", form.elements.depth.value);
    const after = form.elements.year_from.value;
    const before = form.elements.year_to.value;
    if (after) params.set("signed_after", `${after}-01-01`);
    if (before) params.set("signed_before", `${before}-12-31`);
    return params.toString();
  }

  // Around an institution, or (before any recentring) around a region's institutions.
  function draw(id) {
    const url = id ? root.dataset.api.replace("/0/", `/${id}/`) : root.dataset.regionApi;
    D.getJSON(`${url}?${query()}`).then((network) => {
      const most = Math.max(1, ...network.edges.map((edge) => edge.agreements));
      const elements = [
        ...network.nodes.map((node) => ({
          data: { id: String(node.id), name: node.name, kind: node.kind, colour: colour.get(node.kind) || "#475569", centre: id && String(node.id) === String(id) ? 1 : 0 },
        })),
        ...network.edges.map((edge) => ({
          data: { id: `${edge.source}-${edge.target}`, source: String(edge.source), target: String(edge.target), agreements: edge.agreements, width: 1 + 7 * (edge.agreements / most) },
        })),
      ];
      if (cy) cy.destroy();
      cy = cytoscape({
        container: document.getElementById("network-canvas"),
        elements,
        // A few nodes would otherwise be drawn huge to fill the box.
        maxZoom: 1.4,
        style: [
          { selector: "node", style: { "background-color": "data(colour)", label: "data(name)", "font-size": 12, "text-valign": "bottom", "text-margin-y": 4, "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 2, width: 22, height: 22 } },
          { selector: "node[centre = 1]", style: { width: 34, height: 34, "border-width": 3, "border-color": "#111827" } },
          { selector: "edge", style: { width: "data(width)", "line-color": "#94a3b8", "curve-style": "bezier", label: "data(agreements)", "font-size": 10, color: "#475569", "text-background-color": "#ffffff", "text-background-opacity": 0.85 } },
        ],
        layout: id
          ? { name: "concentric", concentric: (node) => (node.data("centre") ? 2 : 1), levelWidth: () => 1, minNodeSpacing: 140 }
          : { name: "cose", animate: false, idealEdgeLength: () => 140, nodeRepulsion: () => 800000, padding: 30 },
      });
      cy.on("tap", "node", (event) => recentre(event.target.id()));
      root.dataset.nodes = JSON.stringify(network.nodes.map((node) => node.name));
      document.getElementById("network-truncated").hidden = !network.truncated;
      // The same nodes as a list, which the keyboard reaches: each recentres the network.
      document.getElementById("network-nodes").replaceChildren(...network.nodes.map((node) => D.el("li", {},
        D.el("button", { type: "button", class: "link", "data-node": String(node.id) }, node.name),
        ` (${label.get(node.kind) || node.kind}; ${D.t("agreements_count", { count: node.agreements })}) `,
        D.link(root.dataset.profile.replace("/0/", `/${node.id}/`), D.t("profile")))));
      document.getElementById("network-legend").replaceChildren(...[...new Set(network.nodes.map((node) => node.kind))].map((kind) => {
        const swatch = D.el("span", { class: "swatch" });
        swatch.style.backgroundColor = colour.get(kind) || "#475569";
        return D.el("li", {}, swatch, label.get(kind) || kind);
      }));
      root.dataset.ready = "true";
    });
  }

  function recentre(id) {
    root.dataset.centre = id;
    const url = new URL(window.location.href);
    url.pathname = root.dataset.page.replace("/0/", `/${id}/`);
    window.history.replaceState(null, "", url);
    draw(id);
  }

  document.getElementById("network-nodes").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-node]");
    if (button) recentre(button.dataset.node);
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); draw(root.dataset.centre); });
  document.getElementById("network-png").addEventListener("click", () => {
    if (!cy) return;
    const a = D.el("a", { href: cy.png({ full: true, scale: 2, bg: "#ffffff" }), download: `network-${root.dataset.centre || "region"}.png` });
    document.body.append(a);
    a.click();
    a.remove();
  });
  draw(root.dataset.centre);
});
