"use strict";
// The overview's figures and charts, each read from the API with the page's own filters
// (data-query), so a chart shows what /api/v1/agreements/stats/?... answers.
document.addEventListener("DOMContentLoaded", () => {
  const D = window.Dashboard;
  const root = document.getElementById("overview");
  const query = root.dataset.query;
  const api = root.dataset.api;
  const kinds = JSON.parse(document.getElementById("agreement-kinds").textContent);
  const children = JSON.parse(document.getElementById("region-children").textContent);
  const region = root.dataset.region ? { code: root.dataset.region, name: root.dataset.regionName } : null;

  const stats = (group, changes = {}) => D.getJSON(`${api}stats/?${D.params(query, { group_by: group, ...changes })}`);
  const listUrl = (changes) => `${root.dataset.list}?${D.params(query, changes)}`;
  const hereUrl = (changes) => `${location.pathname}?${D.params(query, changes)}`;
  const open = (url) => { window.location.assign(url); };
  const tooltip = { trigger: "item", renderMode: "richText" };

  function chart(name, option, onClick) {
    const node = document.getElementById(`chart-${name}`);
    const instance = echarts.init(node);
    instance.setOption({ animation: false, tooltip, ...option });
    instance.on("click", onClick);
    window.addEventListener("resize", () => instance.resize());
    node.dataset.ready = "true";
    return instance;
  }

  function bars(name, rows, onClick, horizontal = false) {
    const names = rows.map((row) => row.name);
    const category = { type: "category", data: names, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    const value = { type: "value", minInterval: 1 };
    chart(
      name,
      {
        grid: { left: horizontal ? 160 : 50, right: 20, top: 20, bottom: horizontal ? 30 : 90 },
        xAxis: horizontal ? value : category,
        yAxis: horizontal ? { ...category, inverse: true } : value,
        series: [{ type: "bar", barMaxWidth: 48, data: rows.map((row) => ({ name: row.name, value: row.value })), label: { show: true, position: horizontal ? "right" : "top" } }],
      },
      (event) => onClick(rows[event.dataIndex]),
    );
  }

  function dataTable(name, rows, target) {
    D.table(document.getElementById(`table-${name}`), [D.t("group"), D.t("agreements")], rows.map((row) => {
      const url = target(row);
      return [url ? D.link(url, row.name) : row.name, row.value];
    }));
  }

  D.getJSON(`${api}summary/?${query}`).then((figures) => {
    for (const node of root.querySelectorAll("[data-figure]")) node.textContent = figures[node.dataset.figure];
  });

  // Per month, one series per agreement kind (the filter's kinds, or every kind).
  const chosenKinds = new URLSearchParams(query).getAll("kind");
  const monthKinds = kinds.filter(([value]) => chosenKinds.length === 0 || chosenKinds.includes(value));
  Promise.all(monthKinds.map(([value]) => stats("month", { kind: value }))).then((answers) => {
    const months = [...new Set(answers.flatMap((answer) => answer.results.map((row) => row.key)))]
      .sort((a, b) => (a === null) - (b === null) || String(a).localeCompare(String(b)));
    const labels = months.map((month) => month === null ? D.t("undated") : month);
    const series = answers.map((answer, index) => {
      const counts = new Map(answer.results.map((row) => [row.key, row.count]));
      return { name: monthKinds[index][1], kind: monthKinds[index][0], type: "bar", stack: "kind", barMaxWidth: 48, data: months.map((month) => counts.get(month) || 0) };
    }).filter((serie) => serie.data.some((count) => count > 0));
    const monthLink = (kind, month) => {
      if (month === null) return listUrl({ kind });
      const [year, number] = month.split("-").map(Number);
      const last = new Date(Date.UTC(year, number, 0)).getUTCDate();
      return listUrl({ kind, signed_after: `${month}-01`, signed_before: `${month}-${String(last).padStart(2, "0")}` });
    };
    chart("month", {
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "category", data: labels },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map(({ name, type, stack, barMaxWidth, data }) => ({ name, type, stack, barMaxWidth, data })),
    }, (event) => open(monthLink(series[event.seriesIndex].kind, months[event.dataIndex])));
    D.table(document.getElementById("table-month"), [D.t("month"), ...series.map((serie) => serie.name)], months.map((month, index) => [
      labels[index], ...series.map((serie) => serie.data[index] ? D.link(monthLink(serie.kind, month), serie.data[index]) : "0"),
    ]));
  });

  // By region: the regions one level down; a click narrows the filter to one, or lists the agreements.
  stats("region").then((answer) => {
    const rows = D.rollUp(answer.results, children, region);
    const target = (row) => row.own ? (row.code ? listUrl({ region: row.code }) : null) : hereUrl({ region: row.code });
    bars("region", rows, (row) => { const url = target(row); if (url) open(url); });
    dataTable("region", rows, target);
  });

  const simple = (name, group, parameter, horizontal) => stats(group).then((answer) => {
    const rows = answer.results.map((row) => ({ key: row.key, name: row.label, value: row.count }));
    const target = (row) => row.key === null ? null : listUrl({ [parameter]: row.key });
    if (name === "party_kind") {
      chart(name, {
        series: [{ type: "pie", radius: ["30%", "65%"], data: rows.map((row) => ({ name: row.name, value: row.value })), label: { formatter: "{b}: {c}" } }],
      }, (event) => { const url = target(rows[event.dataIndex]); if (url) open(url); });
    } else {
      bars(name, rows, (row) => { const url = target(row); if (url) open(url); }, horizontal);
    }
    dataTable(name, rows, target);
  });
  simple("party_kind", "party_kind", "party_kind");
  simple("project_type", "project_type", "project_type", true);
  simple("partners", "partners", "party", true);

  const form = document.getElementById("save-view");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = { name: form.elements.name.value, shared: form.elements.shared.checked, resource: "agreements", query: D.queryObject(query) };
    D.sendJSON(form.dataset.api, "POST", data, form).then(() => {
      const result = document.getElementById("save-view-result");
      result.replaceChildren(D.t("saved"), " ", D.link(document.getElementById("saved-views-link").href, D.t("saved_views")));
      form.reset();
    });
  });
});
