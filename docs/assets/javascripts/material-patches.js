// Three patches to Material's start-up, loaded just before its bundle (overrides/main.html).
// Each keeps what a reader sees and does, and removes work the bundle would do on every page view.
(() => {
  // 1. Search loads on first use, not on every page view.
  //
  // The bundle starts its search worker and requests search/search_index.json (with
  // XMLHttpRequest) as soon as a page loads; together they weigh more than the page a reader came
  // for. Both are held back until the reader opens search (focus on the field, a click on its
  // icon, or a search shortcut key): the worker is replaced by a stand-in that queues messages
  // until the real one starts. Every other request is untouched.
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

  const RealWorker = window.Worker;
  window.Worker = function (url, options) {
    if (!String(url).includes("workers/search")) return new RealWorker(url, options);
    const standIn = new EventTarget();
    const queued = [];
    let real = null;
    standIn.postMessage = (message) => (real ? real.postMessage(message) : queued.push(message));
    standIn.terminate = () => real && real.terminate();
    opened.then(() => {
      real = new RealWorker(url, options);
      for (const type of ["message", "error", "messageerror"]) {
        real.addEventListener(type, (event) => {
          standIn.dispatchEvent(new MessageEvent(type, { data: event.data }));
        });
      }
      queued.splice(0).forEach((message) => real.postMessage(message));
    });
    return standIn;
  };

  // 2. The page's colour scheme is declared once, in <head>, and only changes when the reader
  //    switches palette.
  //
  // The bundle appends its own <meta name="color-scheme"> and then fills it in. Chromium
  // restyles the whole document each time such a tag is added or changed, even when the scheme
  // stays the same: two full restyles of a long page on every view. The template already
  // declares the scheme in <head>; the bundle's tag is kept out of the document, and whatever
  // the bundle writes into it is copied to the declared tag only when it differs, as after a
  // palette switch.
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

// 3. Keyboard focus stays where the reader put it when Material mounts a code block.
//
// Blocks start with tabindex="0" (site_tools/build/lazy_code.py); when Material mounts one that does
// not scroll sideways, it removes the attribute, and if the block has focus (Tab just scrolled
// it into view) the browser drops focus to the page body. For the focused block, "out of the tab
// order" becomes tabindex="-1", which keeps focus on it; the next Tab moves on from there.
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
