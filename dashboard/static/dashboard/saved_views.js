"use strict";
// The saved views the user may see (theirs and those shared), from /api/v1/saved-views/.
document.addEventListener("DOMContentLoaded", () => {
  const D = window.Dashboard;
  const root = document.getElementById("saved-views");
  const queryOf = (view) => D.queryString(view.query);
  D.getJSON(`${root.dataset.api}?limit=200`).then((answer) => {
    // The overview opens views of the agreement list; views of other lists are the API's alone.
    const views = (Array.isArray(answer) ? answer : answer.results).filter((view) => view.resource === "agreements");
    if (views.length === 0) {
      root.replaceChildren(D.el("p", {}, D.t("no_saved_views")));
      return;
    }
    D.table(root, [D.t("name"), D.t("shared"), D.t("owner"), D.t("filters")], views.map((view) => [
      D.link(`${root.dataset.open}?${queryOf(view)}`, view.name),
      view.shared ? D.t("yes") : D.t("no"),
      view.owner && typeof view.owner === "object" ? view.owner.username || "" : view.owner || "",
      Object.entries(view.query || {}).map(([name, value]) => `${name}=${[].concat(value).join(",")}`).join(" ") || "—",
    ]));
    root.dataset.ready = "true";
  });
});
