// Live JSON check for admin textareas marked data-json-editor (PORTAL-ADM-3). It reports as the user types; the
// server still validates on save (DM-VID-4: a JSON object whose values are never null, at any depth).
(function () {
  "use strict";

  function findNull(value, path) {
    if (value === null) return path || "(top level)";
    if (typeof value === "object") {
      for (const key of Object.keys(value)) {
        const label = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
        const found = findNull(value[key], label);
        if (found) return found;
      }
    }
    return null;
  }

  function check(text, kind) {
    if (!text.trim()) return { ok: kind !== "metadata", message: kind === "metadata" ? "Empty: enter a JSON object such as {}." : "Empty." };
    let value;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { ok: false, message: `Invalid JSON: ${error.message}` };
    }
    if (kind === "metadata") {
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return { ok: false, message: "Valid JSON, but metadata must be an object { … }." };
      }
      const nullAt = findNull(value, "");
      if (nullAt) return { ok: false, message: `Valid JSON, but values may not be null: ${nullAt}.` };
      const n = Object.keys(value).length;
      return { ok: true, message: `Valid JSON object (${n} key${n === 1 ? "" : "s"}).` };
    }
    return { ok: true, message: "Valid JSON." };
  }

  function attach(textarea) {
    const status = document.createElement("div");
    status.className = "lp-json-status";
    status.id = `${textarea.id}_status`;
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    textarea.insertAdjacentElement("afterend", status);
    textarea.setAttribute("aria-describedby", `${textarea.getAttribute("aria-describedby") || ""} ${status.id}`.trim());
    const update = () => {
      const result = check(textarea.value, textarea.dataset.jsonEditor);
      status.textContent = result.message;
      status.classList.toggle("lp-json-valid", result.ok);
      status.classList.toggle("lp-json-invalid", !result.ok);
      textarea.setAttribute("aria-invalid", result.ok ? "false" : "true");
    };
    textarea.addEventListener("input", update);
    update();
  }

  function init() {
    document.querySelectorAll("textarea[data-json-editor]").forEach(attach);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
