// Forms that apply a choice as soon as it is made (data-submit-on-change), without inline handlers,
// which the Content-Security-Policy forbids. Without JavaScript the form's own button submits it.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
});
