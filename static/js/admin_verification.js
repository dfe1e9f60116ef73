// Shows the chosen verification function's signature and docstring under the select (PORTAL-ADM-6). The
// details come from a JSON script the widget renders next to the select.
(function () {
  "use strict";

  function attach(select) {
    const docsNode = document.getElementById(`${select.id}_docs`);
    const target = document.getElementById(`${select.id}_doc`);
    if (!docsNode || !target) return;
    const docs = JSON.parse(docsNode.textContent);
    select.addEventListener("change", () => {
      target.replaceChildren();
      const info = docs[select.value];
      if (!info) return;
      const code = document.createElement("code");
      code.textContent = info.signature;
      const pre = document.createElement("pre");
      pre.textContent = info.doc;
      const small = document.createElement("small");
      small.textContent = info.source;
      target.append(code, pre, small);
    });
  }

  function init() {
    document.querySelectorAll("select[data-verification-select]").forEach(attach);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
