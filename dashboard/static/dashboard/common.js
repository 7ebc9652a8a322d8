"use strict";
// Shared by the workspace's pages: reading the API, the page's strings, small DOM helpers and
// the roll-up of per-region counts into the regions one level down.
window.Dashboard = (() => {
  const strings = JSON.parse(document.getElementById("dashboard-strings").textContent);

  function t(key, values = {}) {
    return (strings[key] || key).replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));
  }

  function showError(url, status, body) {
    const box = document.getElementById("errors");
    box.hidden = false;
    const item = document.createElement("p");
    let detail = "";
    if (body && typeof body === "object") {
      detail = Object.entries(body).map(([name, messages]) => `${name}: ${[].concat(messages).join(" ")}`).join("; ");
    }
    item.textContent = `${t("error")} ${status} ${detail}`;
    box.append(item);
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      showError(url, response.status, body);
      throw new Error(`${url}: ${response.status}`);
    }
    return body;
  }

  async function sendJSON(url, method, data, form) {
    const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    const response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
      credentials: "same-origin",
      body: JSON.stringify(data),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      showError(url, response.status, body);
      throw new Error(`${url}: ${response.status}`);
    }
    return body;
  }

  // The query with some parameters set (a value) or removed (null).
  function params(query, changes = {}) {
    const result = new URLSearchParams(query);
    for (const [name, value] of Object.entries(changes)) {
      result.delete(name);
      if (value !== null && value !== undefined) result.set(name, value);
    }
    return result.toString();
  }

  // A saved view keeps its filters as {name: value or [values]} (the saved-views API); these turn one into the other.
  function queryObject(query) {
    const params = new URLSearchParams(query);
    const result = {};
    for (const name of new Set(params.keys())) {
      const values = params.getAll(name);
      result[name] = values.length === 1 ? values[0] : values;
    }
    return result;
  }

  function queryString(object) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(object || {})) for (const item of [].concat(value)) params.append(name, item);
    return params.toString();
  }

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  }

  function link(href, text) {
    return el("a", { href }, String(text));
  }

  // A table of rows; a cell is text or a node.
  function table(container, headers, rows) {
    const head = el("tr", {}, ...headers.map((header) => el("th", { scope: "col" }, header)));
    const body = rows.map((row) => el("tr", {}, ...row.map((cell) => el("td", {}, cell instanceof Node ? cell : String(cell)))));
    container.replaceChildren(el("table", { class: "data" }, el("thead", {}, head), el("tbody", {}, ...body)));
  }

  // Per-region counts (the stats' keys are the agreements' own region codes) summed under the
  // regions one level below `parent` (GB/T 2260 codes share their parent's leading digits);
  // those recorded at `parent` itself count under it.
  function rollUp(results, children, parent) {
    const groups = new Map();
    const add = (key, name, count, own) => {
      const group = groups.get(key) || { code: key, name, value: 0, own };
      group.value += count;
      groups.set(key, group);
    };
    for (const row of results) {
      if (row.key === null) {
        add("", t("no_region"), row.count, true);
      } else if (parent && row.key === parent.code) {
        add(parent.code, `${parent.name} ${t("itself")}`, row.count, true);
      } else {
        const child = children.find(
          (c) => c.code === row.key || (c.level === "province" && c.code.slice(0, 2) === row.key.slice(0, 2))
            || (c.level === "prefecture" && c.code.slice(0, 4) === row.key.slice(0, 4)),
        );
        if (child) add(child.code, child.name, row.count, false);
        else add(row.key, row.label, row.count, true);
      }
    }
    return [...groups.values()].sort((a, b) => b.value - a.value || a.code.localeCompare(b.code));
  }

  // The filter bar sends only the filters that are set, so the URL holds what the API is asked.
  document.addEventListener("DOMContentLoaded", () => {
    const bar = document.getElementById("filter-bar");
    if (!bar) return;
    bar.addEventListener("submit", () => {
      for (const field of bar.elements) if (field.name && field.value === "") field.disabled = true;
    });
  });

  return { t, getJSON, sendJSON, params, queryObject, queryString, el, link, table, rollUp };
})();
