"use strict";
// The agreements that match the page's filters, a page at a time, as /api/v1/agreements/ lists them.
document.addEventListener("DOMContentLoaded", () => {
  const D = window.Dashboard;
  const root = document.getElementById("agreements");
  const size = 50;
  let offset = 0;
  const statuses = JSON.parse(document.getElementById("agreement-statuses").textContent);
  const adminUrl = (id) => root.dataset.admin.replace("/0/", `/${id}/`);
  const profileUrl = (id) => root.dataset.profile.replace("/0/", `/${id}/`);
  const signed = (row) => {
    if (!row.signed_earliest) return "";
    return row.signed_earliest === row.signed_latest ? row.signed_earliest : `${row.signed_earliest} – ${row.signed_latest || ""}`;
  };

  function load() {
    D.getJSON(`${root.dataset.api}?${D.params(root.dataset.query, { limit: size, offset })}`).then((page) => {
      document.getElementById("agreement-count").textContent = D.t("count", { count: page.count });
      document.getElementById("agreement-rows").replaceChildren(...page.results.map((row) => {
        const parties = D.el("ul", { class: "plain" }, ...row.parties.map((party) => D.el("li", {}, D.link(profileUrl(party.institution.id), party.institution.name))));
        return D.el("tr", {},
          D.el("td", {}, D.link(adminUrl(row.id), row.title)),
          D.el("td", {}, signed(row)),
          D.el("td", {}, statuses[row.status] || row.status),
          D.el("td", {}, row.region ? row.region.path.map((step) => step.name).join(" › ") : ""),
          D.el("td", {}, parties));
      }));
      document.getElementById("page-previous").disabled = !page.previous;
      document.getElementById("page-next").disabled = !page.next;
    });
  }
  document.getElementById("page-previous").addEventListener("click", () => { offset = Math.max(0, offset - size); load(); });
  document.getElementById("page-next").addEventListener("click", () => { offset += size; load(); });
  load();
});
