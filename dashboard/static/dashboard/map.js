"use strict";
// A tile-grid map: one square per province, placed roughly where it lies (no boundary data);
// inside a province, one square per region below it. Counts from /api/v1/agreements/stats/?group_by=region.
const PROVINCE_TILES = {
  // code: [row, column]
  23: [0, 8], 15: [1, 5], 22: [1, 8],
  65: [2, 0], 11: [2, 5], 12: [2, 6], 21: [2, 7],
  62: [3, 2], 64: [3, 3], 14: [3, 4], 13: [3, 5], 37: [3, 6],
  54: [4, 0], 63: [4, 1], 61: [4, 3], 41: [4, 4], 34: [4, 5], 32: [4, 6], 31: [4, 7],
  51: [5, 2], 50: [5, 3], 42: [5, 4], 36: [5, 5], 33: [5, 6],
  53: [6, 2], 52: [6, 3], 43: [6, 4], 35: [6, 5], 71: [6, 7],
  45: [7, 3], 44: [7, 4], 81: [7, 5],
  46: [8, 3], 82: [8, 4],
};

document.addEventListener("DOMContentLoaded", () => {
  const D = window.Dashboard;
  const root = document.getElementById("tile-map");
  const children = JSON.parse(document.getElementById("region-children").textContent);
  const region = root.dataset.region ? { code: root.dataset.region, name: "" } : null;
  D.getJSON(`${root.dataset.api}stats/?${D.params(root.dataset.query, { group_by: "region" })}`).then((answer) => {
    const counts = new Map(D.rollUp(answer.results, children, region).map((row) => [row.code, row.value]));
    const largest = Math.max(1, ...counts.values());
    const tiles = children.map((child) => {
      const count = counts.get(child.code) || 0;
      const href = `${location.pathname}?${D.params(root.dataset.query, { region: child.code })}`;
      const tile = D.el("a", { class: "tile", href, "data-code": child.code, "data-count": String(count), title: `${child.name}: ${count}` },
        D.el("span", { class: "tile-name" }, child.name), D.el("span", { class: "tile-count" }, String(count)));
      // Shades of one blue, from empty to the largest count (set through the CSSOM, which the policy allows).
      const share = count / largest;
      tile.style.backgroundColor = count ? `rgba(37, 99, 235, ${0.15 + 0.85 * share})` : "";
      if (share > 0.5) tile.classList.add("dark");
      const place = region ? null : PROVINCE_TILES[Number(child.code.slice(0, 2))];
      if (place) {
        tile.style.gridRow = String(place[0] + 1);
        tile.style.gridColumn = String(place[1] + 1);
      }
      return tile;
    });
    root.replaceChildren(...tiles);
    const own = region ? counts.get(region.code) : 0;
    if (own) {
      root.after(D.el("p", {}, D.link(`${root.dataset.list}?${root.dataset.query}`, D.t("own_agreements", { count: own }))));
    }
  });
});
