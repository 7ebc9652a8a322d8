"use strict";
// A <select data-autosubmit> sends its form when changed (the language switch); its submit
// button stays for browsers without scripts and is hidden here. Kept in a file: the content
// security policy allows no inline script.
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
    for (const button of select.form.querySelectorAll(".js-hidden")) button.hidden = true;
  }
});
