// The admin Export page (PORTAL-ADM-10). The page works without this; it only keeps the ticks of a project listed in
// several project groups in step and updates the selected count as the admin ticks.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!box.matches("#export-form input[type=checkbox][name=p]")) return;
  for (const other of document.querySelectorAll(`#export-form input[type=checkbox][name=p][value="${box.value}"]`)) {
    other.checked = box.checked;
    other.closest("tr")?.classList.toggle("selected", box.checked);
  }
  const ticked = new Set([...document.querySelectorAll("#export-form input[name=p]")]
    .filter((input) => input.type === "hidden" || input.checked).map((input) => input.value));
  const count = document.getElementById("selected-count");
  if (count) count.textContent = `${ticked.size} ticked`;
});
