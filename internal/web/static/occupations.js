// Search as you type for occupation fields (issue 12 item 7): an input with
// data-occupations gets the names of the occupations whose labels hold what
// was typed, from /api/v1/occupations, in its datalist. Without this script
// the fields still work: the server resolves a name, or offers the closest
// ones on the field.
"use strict";
(() => {
  for (const input of document.querySelectorAll("input[data-occupations]")) {
    const list = document.getElementById(input.getAttribute("list"));
    if (!list) continue;
    let timer = 0, asked = "";
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const q = input.value.trim();
        if (q.length < 2 || q === asked) return;
        asked = q;
        try {
          const resp = await fetch("/api/v1/occupations?limit=10&q=" + encodeURIComponent(q), {
            headers: { Accept: "application/json" }, credentials: "same-origin",
          });
          if (!resp.ok || q !== input.value.trim()) return;
          const body = await resp.json();
          list.replaceChildren(...body.occupations.map((o) => {
            const opt = document.createElement("option");
            opt.value = o.label;
            return opt;
          }));
        } catch {
          // Offline or signed out: the field keeps working without suggestions.
        }
      }, 200);
    });
  }
})();
