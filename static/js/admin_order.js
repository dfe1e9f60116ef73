// Ordering without typing numbers (PORTAL-ADM-2/5/6/7).
//
// Ordered membership inlines (fieldset.lp-ordered): each row gets up/down buttons; moving a row renumbers
// the position inputs 0..n-1 in row order, and the server checks and saves them as if typed. "Reset order"
// puts the rows back as stored. A filter box hides rows whose text does not match (large schemas).
//
// Option rows (div[data-lp-option-rows]): up/down swap rows and renumber the input names, which the server
// reads in index order; "Append option" adds a blank row up to the maximum; the default option's datalist
// follows the option values, shaped as the question type takes its default (the page's JSON "<id>_types":
// one option, a JSON list, or nothing), and on the add page its help follows the chosen type.
(function () {
  "use strict";

  function button(label, title, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "button lp-order-button";
    b.textContent = label;
    b.title = title;
    b.setAttribute("aria-label", title);
    b.addEventListener("click", onClick);
    return b;
  }

  function move(row, up) {
    const sibling = up ? row.previousElementSibling : row.nextElementSibling;
    if (!sibling || !sibling.matches(row.dataset.lpSiblings)) return false;
    if (up) sibling.before(row);
    else sibling.after(row);
    return true;
  }

  // ----------------------------------------------------------------- ordered membership inlines

  function orderedInline(fieldset) {
    const tbody = fieldset.querySelector("tbody");
    if (!tbody) return;
    const rows = () => Array.from(tbody.querySelectorAll("tr.form-row:not(.empty-form)"));
    const original = rows();
    const originalValues = new Map(original.map((r) => [r, positionInput(r) && positionInput(r).value]));

    function positionInput(row) {
      return row.querySelector("td.field-position input");
    }
    function renumber() {
      rows().forEach((row, i) => {
        const input = positionInput(row);
        if (input) input.value = String(i);
      });
    }

    original.forEach((row) => {
      row.dataset.lpSiblings = "tr.form-row:not(.empty-form)";
      const cell = row.querySelector("td.field-position") || row.lastElementChild;
      const wrap = document.createElement("span");
      wrap.className = "lp-order-buttons";
      wrap.append(
        button("↑", "Move up", () => move(row, true) && renumber()),
        button("↓", "Move down", () => move(row, false) && renumber()),
      );
      cell.append(wrap);
    });

    const tools = document.createElement("div");
    tools.className = "lp-order-tools";
    const filter = document.createElement("input");
    filter.type = "search";
    filter.placeholder = "Find a row…";
    filter.setAttribute("aria-label", "Find a row");
    filter.addEventListener("input", () => {
      const needle = filter.value.trim().toLowerCase();
      rows().forEach((row) => {
        row.hidden = needle !== "" && !row.textContent.toLowerCase().includes(needle);
      });
    });
    filter.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault(); // never submits the change form
    });
    const reset = button("Reset order", "Put the rows back in their stored order", () => {
      original.forEach((row) => {
        tbody.insertBefore(row, tbody.querySelector("tr.empty-form, tr.add-row") || null);
        const input = positionInput(row);
        if (input) input.value = originalValues.get(row);
      });
    });
    tools.append(filter, reset);
    fieldset.querySelector("table").before(tools);
  }

  // ----------------------------------------------------------------- option rows

  function optionRows(box) {
    const max = Number(box.dataset.max);
    const tbody = box.querySelector("tbody");
    const rows = () => Array.from(tbody.querySelectorAll("tr[data-lp-row]"));
    const defaultInput = document.querySelector("input[data-lp-default-option]");
    const datalist = defaultInput && document.getElementById(defaultInput.getAttribute("list"));
    const typesScript = defaultInput && document.getElementById(`${defaultInput.id}_types`);
    const types = typesScript ? JSON.parse(typesScript.textContent) : {};
    const qtypeSelect = document.querySelector("select[name=qtype]"); // the add page: the type is chosen
    const help = defaultInput && document.querySelector(`#${defaultInput.id}_helptext > div`);
    const allHelp = help && help.textContent;
    const chosenType = () => types[qtypeSelect ? qtypeSelect.value : defaultInput && defaultInput.dataset.lpQtype];

    function renumber() {
      rows().forEach((row, i) => {
        row.querySelectorAll("input").forEach((input) => {
          input.name = input.name.replace(/-(value|label|weight)-\d+$/, `-$1-${i}`);
        });
      });
      appendButton.disabled = rows().length >= max;
      refreshChoices();
    }
    function suggestions(values) {
      const type = chosenType();
      const shape = type ? type.suggests : "option";
      if (shape === "list") return values.length ? ["[]", ...values.map((v) => JSON.stringify([v]))] : [];
      return shape === "option" ? values : [];
    }
    function refreshChoices() {
      if (!datalist) return;
      const values = rows()
        .map((row) => row.querySelector("input[name*='-value-']").value)
        .filter((v) => v !== "");
      datalist.replaceChildren(
        ...suggestions(values).map((v) => Object.assign(document.createElement("option"), { value: v })),
      );
    }
    function refreshHelp() {
      if (!help || !qtypeSelect) return;
      const type = chosenType();
      help.textContent = type ? `${type.help} Empty means no default.` : allHelp;
    }
    function wire(row) {
      row.dataset.lpSiblings = "tr[data-lp-row]";
      row.querySelector("[data-lp-up]").addEventListener("click", () => move(row, true) && renumber());
      row.querySelector("[data-lp-down]").addEventListener("click", () => move(row, false) && renumber());
      row.querySelector("input[name*='-value-']").addEventListener("input", refreshChoices);
    }

    const appendButton = box.querySelector("[data-lp-append]");
    const last = rows()[rows().length - 1];
    const template = last.cloneNode(true);
    appendButton.addEventListener("click", () => {
      const current = rows();
      const lastRow = current[current.length - 1];
      if (lastRow && Array.from(lastRow.querySelectorAll("input")).every((input) => input.value === "")) {
        lastRow.querySelector("input").focus(); // the blank row is already there to fill in
        return;
      }
      if (current.length >= max) return;
      const row = template.cloneNode(true);
      delete row.dataset.lpLocked;
      row.querySelectorAll("input").forEach((input) => {
        input.value = "";
        input.readOnly = false;
        input.classList.remove("lp-locked");
        input.removeAttribute("title");
      });
      tbody.append(row);
      wire(row);
      renumber();
      row.querySelector("input").focus();
    });
    rows().forEach(wire);
    if (qtypeSelect) {
      qtypeSelect.addEventListener("change", () => {
        refreshChoices();
        refreshHelp();
      });
    }
    renumber();
    refreshHelp();
  }

  function init() {
    document.querySelectorAll("fieldset.lp-ordered").forEach(orderedInline);
    document.querySelectorAll("div[data-lp-option-rows]").forEach(optionRows);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
