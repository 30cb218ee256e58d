// Load search on first use, not on every page view.
//
// Material's bundle starts its search worker and requests search/search_index.json (with
// XMLHttpRequest) as soon as a page loads; together they weigh more than the page a reader came
// for. This script runs before the bundle and holds both back until the reader opens search
// (focus on the field, a click on its icon, or a search shortcut key): the worker is replaced by
// a stand-in that queues messages until the real one starts. Every other request is untouched.
(() => {
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
})();
