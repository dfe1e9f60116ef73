// Annotator project page: group tabs, and auto-submit on entry in batches (SCORE-AUTO-2).
(function () {
  "use strict";

  // Tabs: one panel per question group; the choice is per card and survives htmx swaps of a panel.
  document.addEventListener("click", function (event) {
    const tab = event.target.closest("[data-tab]");
    if (!tab) return;
    const strip = tab.closest(".tabs");
    strip.querySelectorAll("[data-tab]").forEach(function (other) {
      const selected = other === tab;
      other.setAttribute("aria-selected", selected ? "true" : "false");
      const panel = document.getElementById(other.dataset.tab);
      if (panel) panel.hidden = !selected;
    });
  });

  function csrfToken() {
    const headers = document.body.getAttribute("hx-headers");
    try { return JSON.parse(headers)["X-CSRFToken"]; } catch (e) { return ""; }
  }

  // Auto-submit: entering the project already answered the first videos on the server (the box says
  // what); a larger project's remainder is posted in batches until the server says done, then the answer
  // panels of the cards on this page are refreshed.
  async function runAutoSubmit(box) {
    const url = box.dataset.url;
    const total = parseInt(box.dataset.total, 10) || 0;
    const doneEl = box.querySelector("[data-role=done]");
    const fill = box.querySelector(".progress-fill");
    const bar = box.querySelector("[role=progressbar]");
    const result = box.querySelector("[data-role=result]");
    let after = parseInt(box.dataset.after, 10), processed = 0, submitted = 0, failedVerification = 0, failedDefault = 0;
    if (isNaN(after)) after = -1;
    const before = result.textContent.trim();
    const groups = {};
    const touched = new Set();
    for (let guard = 0; guard < 10000; guard++) {
      const body = new URLSearchParams({ after: String(after) });
      let response;
      try {
        response = await fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin" });
      } catch (e) {
        result.textContent = "Auto-submit stopped: the server could not be reached. Reload the page to retry.";
        return;
      }
      if (!response.ok) {
        result.textContent = "Auto-submit stopped (HTTP " + response.status + "). Reload the page to retry.";
        return;
      }
      const data = await response.json();
      processed += data.processed;
      submitted += data.submitted;
      failedVerification += data.failed_verification;
      failedDefault += data.failed_no_default || 0;
      data.video_ids.forEach(function (id) { touched.add(id); });
      Object.entries(data.groups || {}).forEach(function ([title, n]) { groups[title] = (groups[title] || 0) + n; });
      after = data.after;
      const shown = Math.min(processed, total);
      doneEl.textContent = String(shown);
      bar.setAttribute("aria-valuenow", String(shown));
      fill.style.width = (total ? (shown / total) * 100 : 100) + "%";
      if (data.done) break;
    }
    const perGroup = Object.keys(groups).sort().map(function (title) {
      return title + " on " + groups[title] + " video" + (groups[title] === 1 ? "" : "s");
    }).join(", ");
    const lines = before ? [before] : [];
    lines.push(submitted + " more group" + (submitted === 1 ? "" : "s") + " answered with default answers" + (perGroup ? ": " + perGroup : "") + ".");
    if (failedVerification) lines.push(failedVerification + " auto-submit groups could not be submitted (verification failed).");
    if (failedDefault) lines.push(failedDefault + " auto-submit groups could not be submitted (no default answer).");
    result.textContent = lines.join(" ");
    box.classList.add("finished");
    // Refresh the cards on this page that received answers (PORTAL-ANN-3).
    document.querySelectorAll(".video-card").forEach(function (card) {
      const id = parseInt(card.id.replace("card-", ""), 10);
      if (!touched.has(id) || !window.htmx) return;
      window.htmx.ajax("GET", card.dataset.answersUrl, { target: "#" + card.id + "-answers", swap: "outerHTML" });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const box = document.getElementById("auto-submit");
    if (box && box.dataset.url) runAutoSubmit(box);
  });
})();
