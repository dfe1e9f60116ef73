// Reviewer and meta-reviewer pages: annotator selection shortcuts, "use this text", the history dialog.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    const pick = event.target.closest("[data-select]");
    if (pick) {
      const form = pick.closest("form");
      form.querySelectorAll("input[type=checkbox][name=ann]").forEach(function (box) {
        box.checked = pick.dataset.select === "completed" ? box.hasAttribute("data-completed") : false;
      });
      return;
    }
    const check = event.target.closest("[data-check]");
    if (check) {
      check.closest("form").querySelectorAll('input[type=checkbox][name="' + check.dataset.check + '"]').forEach(function (box) {
        box.checked = check.dataset.value === "1";
      });
      return;
    }
    const use = event.target.closest("[data-use-text]");
    if (use) {
      const field = document.getElementById(use.dataset.target);
      if (field) { field.value = use.dataset.useText; field.focus(); }
      return;
    }
  });

  // The History button loads its table with htmx into the dialog; open it once the table is in.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "history-body") {
      const dialog = document.getElementById("history-dialog");
      if (dialog && !dialog.open) dialog.showModal();
    }
  });
})();

