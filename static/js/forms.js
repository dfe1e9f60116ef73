// Forms that apply a choice as soon as it is made (data-submit-on-change), without inline handlers,
// which the Content-Security-Policy forbids. Without JavaScript the form's own button submits it.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
});

// Multiple-choice boxes ([data-multiple] in templates/jinja2/annotation/question_types/multiple.jinja, and the
// admin's default options, whose widget container has the class lp-multiple-choice): "None of these" (value "")
// and the options exclude each other, so ticking one side unticks the other. The server refuses the
// contradiction anyway; this only saves a round trip.
document.addEventListener("change", (event) => {
  const box = event.target;
  const ticked = box.type === "checkbox" && box.checked;
  const group = ticked ? box.closest("[data-multiple]") || box.parentElement.closest(".lp-multiple-choice") : null;
  if (!group) return;
  group.querySelectorAll('input[type="checkbox"]').forEach((other) => {
    if (other.name === box.name && other !== box && (other.value === "") !== (box.value === "")) other.checked = false;
  });
});
