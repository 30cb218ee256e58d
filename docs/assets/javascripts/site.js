// Material's search overlay is a dialog without a name; screen readers announce it as "dialog".
document.querySelectorAll('.md-search[role="dialog"]').forEach((dialog) => {
  dialog.setAttribute("aria-label", "Search the site");
});
