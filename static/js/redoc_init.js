/* Starts Redoc on templates/api/redoc.html from data in the page (no inline script; issue 11.10). */
(function () {
  "use strict";
  const container = document.getElementById("redoc-container");
  const raw = JSON.parse(document.getElementById("redoc-settings").textContent || "{}");
  const settings = typeof raw === "string" ? JSON.parse(raw) : raw; // drf-spectacular passes it as JSON text
  window.Redoc.init(container.dataset.schemaUrl, settings, container);
})();
