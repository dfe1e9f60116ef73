// Auto-submit panels (reviewer GT consensus, annotator default answers; SCORE-AUTO-5..7): post batches of at
// most 50 videos until the server says done, merging the counts. The buttons say it in plain words: "Load
// suggestions" (preload: fills this page's forms), "Show what would be submitted" (preview: vote breakdowns)
// and "Submit answers" (execute: reloads the page to show what was written). Action names stay the server's.
(function () {
  "use strict";
  const COUNTS = ["submitted", "skipped", "threshold", "no_votes", "tie", "verification", "errors"];

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function render(box, action, total, sum) {
    box.replaceChildren();
    const failed = sum.threshold + sum.no_votes + sum.tie + sum.verification;
    const verb = action === "execute" ? "Submitted" : "Would submit";
    box.append(el("p", verb + " " + sum.submitted + " group(s); skipped " + sum.skipped + " (already complete); could not submit " + failed +
      " (agreement too low " + sum.threshold + ", no votes " + sum.no_votes + ", tie " + sum.tie + ", verification failed " + sum.verification + ")" +
      (sum.errors ? "; errors " + sum.errors : "") + ".", "auto-summary"));
    if (sum.consensus !== undefined && sum.consensus !== null) {
      box.append(el("p", "Consensus score: " + (Math.floor(sum.consensus * 10) / 10) + "%"));
    }
    if (sum.submitted + failed > 0) {
      box.append(el("p", "Success rate: " + (Math.floor(sum.submitted * 1000 / (sum.submitted + failed)) / 10) + "%"));
    }
    if (sum.failures.length) {
      box.append(el("h4", "First groups that could not be submitted"));
      const list = el("ul");
      sum.failures.forEach(function (f) { list.append(el("li", f.video + " · " + f.group + ": " + f.reason)); });
      box.append(list);
    }
    if (sum.details.length) {
      box.append(el("h4", "Vote breakdown (first videos)"));
      const table = el("table", undefined, "list");
      const head = el("tr");
      ["Video", "Group", "Question", "Votes (weight, share)", "Agreement needed", "Result"].forEach(function (h) { head.append(el("th", h)); });
      table.append(head);
      sum.details.forEach(function (d) {
        if (!d.questions.length) {
          const row = el("tr");
          [d.video, d.group, "—", "—", "—", d.outcome === "skipped" ? "already complete" : d.reason].forEach(function (t) { row.append(el("td", t)); });
          table.append(row);
        }
        d.questions.forEach(function (q) {
          const row = el("tr");
          // A multiple-choice question lists each option with its share; `chosen` is the outcome as people read it.
          const values = q.values.map(function (v) { const shown = v.label === undefined ? v.value : v.label; return (shown === "" ? '""' : shown) + " (" + v.weight + ", " + v.share + ")"; }).join("; ") || "no votes";
          const result = q.accepted ? "✓ accepted" + (q.chosen ? ": " + q.chosen : "") : q.reason;
          [d.video, d.group, q.question, values, q.threshold, result].forEach(function (t) { row.append(el("td", t)); });
          table.append(row);
        });
      });
      box.append(table);
    }
  }

  // Load suggestions (preload, SCORE-AUTO-6): fill this page's forms with the winners; nothing is submitted.
  async function preload(form) {
    const box = form.querySelector(".auto-result");
    const data = new FormData(form);
    data.set("action", "preload");
    data.set("scope", "page");
    const response = await fetch(form.dataset.url, { method: "POST", body: data, credentials: "same-origin" });
    const body = await response.json();
    if (!response.ok) { box.replaceChildren(el("p", body.error || ("HTTP " + response.status), "error")); return; }
    let filled = 0, tied = 0;
    Object.entries(body.preload).forEach(function ([name, item]) {
      const boxes = Array.from(document.getElementsByName(name)).filter(function (input) { return input.type === "checkbox"; });
      if (boxes.length) {  // a multiple-choice set: item.value is its stored JSON list, [] ticks "None of these"
        if (boxes[0].disabled) return;
        const chosen = JSON.parse(item.value);
        boxes.forEach(function (box) { box.checked = chosen.length ? chosen.includes(box.value) : box.value === ""; });
        const question = boxes[0].closest(".question");
        if (question) { question.classList.add("preloaded"); if (item.tied) { question.classList.add("tied"); tied++; } }
        filled++;
        return;
      }
      const radio = Array.from(document.getElementsByName(name)).find(function (input) { return input.value === item.value; });
      const field = radio || document.querySelector('textarea[name="' + CSS.escape(name) + '"]');
      if (!field || field.disabled) return;
      if (radio) radio.checked = true; else field.value = item.value;
      const question = field.closest(".question");
      if (question) {
        question.classList.add("preloaded");
        if (item.tied) { question.classList.add("tied"); tied++; }
      }
      filled++;
    });
    box.replaceChildren(el("p", "Filled in " + filled + " suggested answer(s) on this page" + (tied ? " (" + tied + " tied, marked)" : "") +
      ". Nothing is submitted until you press a submit button.", "auto-summary"));
  }

  async function run(form, action) {
    if (action === "preload") { await preload(form); return; }
    const progress = form.querySelector(".auto-progress");
    const label = progress.querySelector("[data-role=label]");
    const fill = progress.querySelector(".progress-fill");
    const box = form.querySelector(".auto-result");
    const sum = { failures: [], details: [] };
    COUNTS.forEach(function (k) { sum[k] = 0; });
    progress.hidden = false;
    form.querySelectorAll("[data-auto]").forEach(function (b) { b.disabled = true; });
    let start = 0;
    try {
      for (let guard = 0; guard < 100000; guard++) {
        const data = new FormData(form);
        data.set("action", action);
        data.set("start", String(start));
        const response = await fetch(form.dataset.url, { method: "POST", body: data, credentials: "same-origin" });
        const body = await response.json();
        if (!response.ok) { box.replaceChildren(el("p", body.error || ("HTTP " + response.status), "error")); return; }
        COUNTS.forEach(function (k) { sum[k] += body.summary[k]; });
        if (body.consensus !== undefined) sum.consensus = body.consensus;
        sum.failures = sum.failures.concat(body.summary.failures).slice(0, 10);
        sum.details = sum.details.concat(body.summary.details);
        start = body.next;
        label.textContent = (action === "execute" ? "Submitting" : "Checking") + ": " + Math.min(start, body.total) + "/" + body.total + " videos";
        fill.style.width = (body.total ? Math.min(start, body.total) / body.total * 100 : 100) + "%";
        render(box, action, body.total, sum);
        if (body.done) break;
      }
      const submit = form.querySelector("[data-auto=execute]");
      if (action === "preview" && submit) {
        submit.dataset.label = submit.dataset.label || submit.textContent;
        submit.textContent = submit.dataset.label + " (" + sum.submitted + " group" + (sum.submitted === 1 ? "" : "s") + ")";
      }
      if (action === "execute" && sum.submitted > 0) {
        box.append(el("p", "Reloading to show the new ground truth…"));
        window.setTimeout(function () { window.location.reload(); }, 1200);
      }
    } catch (e) {
      box.replaceChildren(el("p", "Auto-submit stopped: the server could not be reached. Nothing more was sent.", "error"));
    } finally {
      form.querySelectorAll("[data-auto]").forEach(function (b) { b.disabled = false; });
    }
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-auto]");
    if (button) { run(button.closest("form"), button.dataset.auto); return; }
    const pool = event.target.closest("[data-pool]");
    if (pool) {
      pool.closest("form").querySelectorAll("input[name=pool]").forEach(function (box) { box.checked = pool.dataset.pool === "all"; });
    }
  });
})();
