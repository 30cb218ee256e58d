// Patches to Material, loaded before its bundle (overrides/main.html). Each is listed, with why
// and the browser test that guards it, in site_tools/site_build/theme_patches.py; this file ships
// with every page, so its comments stay short.
(() => {
  // 1. Search (worker and index) loads when the reader opens it, not on every page view.
  let release;
  const opened = new Promise((resolve) => { release = resolve; });
  document.addEventListener("focusin", (event) => {
    if (event.target.matches && event.target.matches(".md-search__input")) release();
  });
  document.addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest("label[for='__search']")) release();
  });
  document.addEventListener("keydown", (event) => {
    if (["f", "s", "/"].includes(event.key)) release();
  });

  const realOpen = XMLHttpRequest.prototype.open;
  const realSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.isSearchIndex = String(url).endsWith("search/search_index.json");
    return realOpen.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (body) {
    if (!this.isSearchIndex) return realSend.call(this, body);
    opened.then(() => realSend.call(this, body));
  };

  // 4. Search finds hyphenated terms as written ("pre-commit", "kill -9"). Runs in the worker,
  // after Material's script; the index keeps such words whole (mkdocs.yml, separator).
  const searchAsWritten = (lunr) => {
    // lunr's lexer splits queries at hyphens, with the separator it copied when it loaded.
    lunr.QueryLexer.termSeparator = /\s/;

    // A word is also indexed as its parts ("commit", "saved" find "pre-commit", "--saved"),
    // at the word's position, so the whole word is highlighted.
    const options = [];
    const forms = (token) => {
      const word = token.toString();
      const bare = word.replace(/^-+/, "");
      if (bare && bare !== word) options.push(word);
      const all = new Set([word, bare, ...bare.split("-")]);
      all.delete("");
      return [...all].map((form) => token.clone(() => form));
    };
    lunr.Pipeline.registerFunction(forms, "hyphenated-forms");
    const add = lunr.Builder.prototype.add;
    lunr.Builder.prototype.add = function (doc, attributes) {
      if (!this.pipeline._stack.includes(forms)) this.pipeline._stack.unshift(forms);
      return add.call(this, doc, attributes);
    };

    // A leading "-" is part of a word that begins an indexed option ("-9", "--saved"), which
    // is then a prefix like any word; otherwise it keeps lunr's meaning, "must not contain".
    const lexText = lunr.QueryLexer.lexText;
    lunr.QueryLexer.lexText = (lexer) => {
      const word = lexer.str.slice(lexer.pos).split(/\s/)[0].replace(/\*$/, "").toLowerCase();
      if (/^-+[^-]/.test(word) && options.some((option) => option.startsWith(word))) {
        while (lexer.str[lexer.pos] === "-") lexer.next();
      }
      return lexText(lexer);
    };
    const clause = lunr.Query.prototype.clause;
    lunr.Query.prototype.clause = function (spec) {
      if (spec.term && spec.term.startsWith("-")) spec.wildcard = lunr.Query.wildcard.TRAILING;
      return clause.call(this, spec);
    };

    // Two forms of a word can both match ("copy*"): each position is highlighted once.
    const query = lunr.Index.prototype.query;
    lunr.Index.prototype.query = function (fn) {
      const results = query.call(this, fn);
      for (const match of results) {
        const seen = new Set();
        const metadata = Object.create(null);
        for (const [term, fields] of Object.entries(match.matchData.metadata)) {
          metadata[term] = Object.create(null);
          for (const [field, data] of Object.entries(fields)) {
            const position = (data.position || []).filter((at) => {
              const first = !seen.has(`${field}:${at}`);
              seen.add(`${field}:${at}`);
              return first;
            });
            metadata[term][field] = { ...data, position };
          }
        }
        match.matchData.metadata = metadata;
      }
      return results;
    };
  };

  // The worker is a stand-in that queues messages until search opens; the real one runs
  // Material's script, then searchAsWritten.
  const RealWorker = window.Worker;
  window.Worker = function (url, options) {
    if (!String(url).includes("workers/search")) return new RealWorker(url, options);
    const standIn = new EventTarget();
    const queued = [];
    let real = null;
    standIn.postMessage = (message) => (real ? real.postMessage(message) : queued.push(message));
    standIn.terminate = () => real && real.terminate();
    opened.then(() => {
      const script = new URL(url, location.href).href;
      const source = `importScripts(${JSON.stringify(script)});(${searchAsWritten})(lunr);`;
      real = new RealWorker(URL.createObjectURL(new Blob([source])), options);
      for (const type of ["message", "error", "messageerror"]) {
        real.addEventListener(type, (event) => {
          standIn.dispatchEvent(new MessageEvent(type, { data: event.data }));
        });
      }
      queued.splice(0).forEach((message) => real.postMessage(message));
    });
    return standIn;
  };

  // 2. The colour scheme is declared once, in <head>: the bundle's own <meta> stays out of the
  // document (each one added or changed restyles the whole page), and what it says is copied
  // to the declared one only when it differs, as after a palette switch.
  const declared = document.querySelector('meta[name="color-scheme"]');
  if (!declared) return;
  const appendToHead = document.head.appendChild;
  document.head.appendChild = function (node) {
    if (!(node instanceof HTMLMetaElement && node.name === "color-scheme")) {
      return appendToHead.call(this, node);
    }
    new MutationObserver(() => {
      if (node.content && node.content !== declared.content) declared.content = node.content;
    }).observe(node, { attributes: true, attributeFilter: ["content"] });
    return node;
  };
})();

// 3. Focus stays on a code block Material mounts while it has focus: its tab stop becomes
// tabindex="-1" instead of going (site_tools/site_build/lazy_code.py), or focus would drop to <body>.
(() => {
  const removeAttribute = Element.prototype.removeAttribute;
  Element.prototype.removeAttribute = function (name) {
    if (name === "tabindex" && this === document.activeElement && this.matches("pre > code")) {
      this.setAttribute("tabindex", "-1");
      return;
    }
    removeAttribute.call(this, name);
  };
})();
