"use strict";
// The annual cooperation report: /api/v1/reports/cooperation/ as a table whose every filled cell
// links to the quotes it rests on, listed under the table.
document.addEventListener("DOMContentLoaded", () => {
  const D = window.Dashboard;
  const root = document.getElementById("report");
  if (!root.dataset.query) return;
  const cellOf = (row, column, index) => {
    const cell = Array.isArray(row) ? row[index] : (row.cells ? row.cells[column.key] : row[column.key]);
    return cell !== null && typeof cell === "object" && "value" in cell ? cell : { value: cell, citations: [] };
  };
  const sourceName = (source) => (source && typeof source === "object" ? source.title || source.key || source.id : source);

  D.getJSON(`${root.dataset.api}?${root.dataset.query}`).then((report) => {
    const notes = [];
    const head = D.el("tr", {}, ...report.columns.map((column) => D.el("th", { scope: "col" }, column.label)));
    const body = report.rows.map((row) => D.el("tr", {}, ...report.columns.map((column, index) => {
      const cell = cellOf(row, column, index);
      const value = cell.value === null || cell.value === undefined ? "" : String(cell.value);
      const citations = cell.citations || [];
      if (!value || citations.length === 0) return D.el("td", {}, value);
      const first = notes.length + 1;
      notes.push(...citations.map((citation) => ({ ...citation, column: column.label })));
      const refs = citations.map((_, offset) => D.el("a", { href: `#cite-${first + offset}`, class: "ref" }, `[${first + offset}]`));
      return D.el("td", { class: "cited" }, D.el("a", { href: `#cite-${first}`, "data-cite": String(first) }, value), " ", ...refs);
    })));
    const table = D.el("table", { class: "data report", id: "report-table" }, D.el("thead", {}, head), D.el("tbody", {}, ...body));
    const list = D.el("ol", { id: "report-citations", class: "citations" }, ...notes.map((note, index) => D.el("li", { id: `cite-${index + 1}`, tabindex: "-1" },
      D.el("strong", {}, note.column), " · ", String(note.title || sourceName(note.source) || ""), D.el("blockquote", {}, String(note.quote ?? "")))));
    const output = document.getElementById("report-output");
    output.replaceChildren(
      report.rows.length ? table : D.el("p", {}, D.t("report_empty")),
      D.el("h2", {}, D.t("citations")),
      notes.length ? list : D.el("p", {}, D.t("no_citations")),
    );
    root.dataset.ready = "true";
  });
});
