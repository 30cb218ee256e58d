// Material's search overlay is a dialog without a name; screen readers announce it as "dialog".
document.querySelectorAll('.md-search[role="dialog"]').forEach((dialog) => {
  dialog.setAttribute("aria-label", "Search the site");
});

// A doctest's copy button (and Edit, run-python.js) gives its statements without prompts or
// output; Material copies data-copy, worked out here on first use (doctest_display.py).
(() => {
  const statements = (session) => {
    const kept = [];
    let continues = false;
    for (const line of session.split("\n")) {
      // "..." continues a statement only right after a prompt line; later it is output.
      const prompt = (continues ? [">>>", "..."] : [">>>"]).find(
        (p) => line === p || line.startsWith(`${p} `),
      );
      continues = prompt !== undefined;
      if (continues) kept.push(line.slice(prompt.length + 1));
    }
    return `${kept.join("\n").replace(/^\n+|\n+$/g, "")}\n`;
  };

  document.addEventListener(
    "click",
    ({ target }) => {
      if (!(target instanceof Element)) return;
      const bar = target.closest(".run-py");
      const block = bar ? bar.previousElementSibling : target.closest(".language-pycon");
      if (block && block.matches(".language-pycon") && !block.dataset.copy) {
        block.dataset.copy = statements(block.querySelector("code").textContent);
      }
    },
    true, // before the copy button and Edit read it
  );
})();
