// Progressive enhancement only: every page works without this file.
// Move focus to an error summary so screen reader users hear what went wrong first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
