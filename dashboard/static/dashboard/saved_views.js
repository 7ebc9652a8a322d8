"use strict";
// The saved views the user may see (theirs and those shared), from /api/v1/saved-views/.
document.addEventListener("DOMContentLoaded", () => {
  const D = window.Dashboard;
  const root = document.getElementById("saved-views");
  const queryOf = (view) => (typeof view.query === "string" ? view.query : new URLSearchParams(view.query).toString());
  D.getJSON(`${root.dataset.api}?limit=200`).then((answer) => {
    const views = Array.isArray(answer) ? answer : answer.results;
    if (views.length === 0) {
      root.replaceChildren(D.el("p", {}, D.t("no_saved_views")));
      return;
    }
    D.table(root, [D.t("name"), D.t("shared"), D.t("owner"), D.t("filters")], views.map((view) => [
      D.link(`${root.dataset.open}?${queryOf(view)}`, view.name),
      view.shared ? D.t("yes") : D.t("no"),
      view.owner && typeof view.owner === "object" ? view.owner.username || "" : view.owner || "",
      decodeURIComponent(queryOf(view).replace(/\+/g, " ")) || "—",
    ]));
    root.dataset.ready = "true";
  });
});
