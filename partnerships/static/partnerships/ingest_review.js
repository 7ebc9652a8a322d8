"use strict";
// The review page's missed names (partnerships/admin_ingest_repairs.py): a name selected in the
// article text fills the next free row with its quote and its offsets into the text, counted in
// code points as the server counts them (text[start:end] == quote, which the server checks).
// Without this script the rows still take a quote typed by hand. Kept in a file: the content
// security policy allows no inline script.
document.addEventListener("DOMContentLoaded", () => {
  const text = document.getElementById("ingest-text");
  const button = document.getElementById("ingest-add-selection");
  const status = document.getElementById("ingest-selection-status");
  if (!text || !button || !status) return;
  const points = (value) => Array.from(value).length;
  let last = null;

  // The selection inside the article text, as {quote, start, end}; null when there is none.
  function selected() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return null;
    const before = document.createRange();
    before.setStart(text, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const raw = range.toString();
    const quote = raw.trim();
    if (!quote) return null;
    const start = points(before.toString()) + points(raw.slice(0, raw.length - raw.trimStart().length));
    return { quote, start, end: start + points(quote) };
  }

  // Pressing the button may move the selection: the last one made in the text is kept.
  document.addEventListener("selectionchange", () => {
    const found = selected();
    if (found) last = found;
  });

  const quotes = Array.from(document.querySelectorAll("input[data-missed-quote]"));
  const offsets = (input) => {
    const slot = input.dataset.missedQuote;
    return [document.getElementById(`id_m${slot}_start`), document.getElementById(`id_m${slot}_end`)];
  };
  // A quote typed by hand has no offsets: the server finds its first occurrence.
  for (const input of quotes) {
    input.addEventListener("input", () => {
      for (const field of offsets(input)) field.value = "";
    });
  }

  button.hidden = false;
  button.addEventListener("click", () => {
    const found = selected() || last;
    if (!found) {
      status.textContent = button.dataset.none;
      return;
    }
    const free = quotes.find((input) => !input.value.trim());
    if (!free) {
      status.textContent = button.dataset.full;
      return;
    }
    free.value = found.quote;
    const [start, end] = offsets(free);
    start.value = String(found.start);
    end.value = String(found.end);
    last = null;
    status.textContent = button.dataset.added.replace("{quote}", found.quote);
    document.getElementById(`id_m${free.dataset.missedQuote}_kind`).focus();
  });
});
