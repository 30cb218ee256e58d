// Run it here (site_tools/site_build/run_in_browser.py): a talk page's marked doctest blocks run in the
// reader's browser, in Pyodide served by this site. The page's inline starter imports this module
// on the first press of a Run button, never before, and calls run().
//
// The blocks of a page share one namespace and run in page order, as the test suite (Sybil) runs
// them: Run on a block first runs the marked blocks above it that have not run yet. Reset starts
// the namespace afresh. Edit swaps a block's session for its statements in a text area; Run then
// runs what is there, one top-level statement at a time, echoing values as the interpreter does.

// Runs in Pyodide, in a namespace of its own. Output is shown as a console session: each
// statement with its prompts, then what it printed (tracebacks without the runner's frame).
const RUNNER = String.raw`
import ast, builtins, contextlib, doctest, io, traceback


def new_namespace():
    return {"__name__": "__main__", "__builtins__": builtins}


def _failure(error, skip_first=True):
    tb = error.__traceback__
    if skip_first and tb is not None:
        tb = tb.tb_next
    text = "".join(traceback.format_exception(type(error), error, tb))
    head = "Traceback (most recent call last):\n"
    return text if text.startswith(head) else head + text


def _run(chunks, namespace, label):
    shown = []
    for source in chunks:
        lines = source.rstrip("\n").split("\n")
        shown += [("... " if n else ">>> ") + line for n, line in enumerate(lines)]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            try:
                exec(compile(source, label, "single", dont_inherit=True), namespace)
            except BaseException as error:
                out.write(_failure(error))
        if out.getvalue():
            shown.append(out.getvalue().rstrip("\n"))
    return "\n".join(shown) + "\n"


def run_session(session, namespace, label):
    examples = doctest.DocTestParser().get_examples(session)
    return _run([example.source for example in examples], namespace, label)


def run_code(code, namespace, label):
    try:
        tree = ast.parse(code, label)
    except SyntaxError as error:
        return _failure(error, skip_first=False)
    lines, spans = code.split("\n"), []
    for node in tree.body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        if spans and first <= spans[-1][1]:  # two statements on one line run together
            spans[-1] = (spans[-1][0], max(spans[-1][1], node.end_lineno))
        else:
            spans.append((first, node.end_lineno))
    return _run(["\n".join(lines[a - 1 : b]) + "\n" for a, b in spans], namespace, label)
`;

const CORE_FILES = 5; // what loadPyodide fetches (site_tools/site_build/run_in_browser.py, CORE_FILES)
let python = null; // Promise of {version, runSession, runCode, newNamespace}
let namespace = null;
let queue = Promise.resolve();
let announced = false; // the first run after start-up says which Python ran it
const ran = new Set();

const blocks = () => [...document.querySelectorAll("[data-run]")];
const partsOf = (block) => {
  const bar = block.nextElementSibling;
  return {
    bar,
    edit: bar.querySelector(".run-py__edit"),
    editor: bar.querySelector(".run-py__editor"),
    out: bar.querySelector(".run-py__out"),
  };
};

function button(label, className) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = `run-py__button ${className}`;
  element.textContent = label;
  return element;
}

// Give every block's bar its Edit and Reset buttons, editor and output area, once.
function setUp() {
  if (document.querySelector(".run-py__out")) return;
  blocks().forEach((block, index) => {
    const bar = block.nextElementSibling;
    bar.querySelector(".run-py__run").classList.add("run-py__button");
    const edit = button("Edit", "run-py__edit");
    const reset = button("Reset", "run-py__reset");
    const editor = document.createElement("textarea");
    editor.className = "run-py__editor";
    editor.id = `run-py-editor-${index + 1}`;
    editor.hidden = true;
    editor.spellcheck = false;
    editor.setAttribute("aria-label", `Code of example ${index + 1}, editable`);
    edit.setAttribute("aria-pressed", "false");
    edit.setAttribute("aria-controls", editor.id);
    const out = document.createElement("div");
    out.className = "run-py__out";
    out.setAttribute("aria-live", "polite");
    out.setAttribute("aria-label", `Output of example ${index + 1}`);
    out.setAttribute("role", "region");
    bar.append(edit, reset, editor, out);
    edit.addEventListener("click", () => toggleEditor(block));
    reset.addEventListener("click", () => {
      queue = queue.then(() => resetNamespace(block));
    });
  });
}

function toggleEditor(block) {
  const { edit, editor } = partsOf(block);
  const opening = editor.hidden;
  if (opening && !editor.value) editor.value = block.dataset.copy || "";
  editor.hidden = !opening;
  editor.rows = Math.min(20, editor.value.split("\n").length + 1);
  edit.setAttribute("aria-pressed", String(opening));
  if (opening) editor.focus();
}

// The output area: a status line, then (once something ran) the session as it ran here.
function show(out, state, status, transcript) {
  out.dataset.state = state;
  out.replaceChildren();
  const line = document.createElement("p");
  line.className = "run-py__status";
  line.textContent = status;
  out.append(line);
  if (transcript !== undefined) {
    const pre = document.createElement("pre");
    pre.tabIndex = 0;
    pre.className = "run-py__session";
    pre.textContent = transcript;
    out.append(pre);
  }
  return line;
}

function boot(base, out) {
  if (python) return python;
  const started = performance.now();
  const status = show(out, "loading", "Loading Python into this page (first Run only)…");
  const progress = document.createElement("progress");
  progress.max = CORE_FILES;
  progress.value = 0;
  progress.setAttribute("aria-label", "Python download");
  status.after(progress);
  let bytes = 0;
  const watcher = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.name.startsWith(base)) continue;
      progress.value = Math.min(CORE_FILES, progress.value + 1);
      bytes += entry.encodedBodySize || entry.decodedBodySize || 0;
      status.textContent = `Loading Python into this page (first Run only): ${progress.value} of ${CORE_FILES} files, ${(bytes / 1e6).toFixed(1)} MB…`;
    }
  });
  watcher.observe({ type: "resource" });
  python = (async () => {
    try {
      const { loadPyodide } = await import(`${base}pyodide.mjs`);
      const pyodide = await loadPyodide({ indexURL: base });
      const scope = pyodide.globals.get("dict")();
      pyodide.runPython(RUNNER, { globals: scope });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      out.dataset.bootMs = String(Math.round(performance.now() - started));
      return {
        started: `Python ${pyodide.runPython("import sys; sys.version.split()[0]")} (Pyodide ${pyodide.version}) started in ${seconds} s.`,
        runSession: scope.get("run_session"),
        runCode: scope.get("run_code"),
        newNamespace: scope.get("new_namespace"),
      };
    } finally {
      watcher.disconnect();
    }
  })();
  python.catch(() => {
    python = null; // a later Run tries again
  });
  return python;
}

async function runUpTo(target, base) {
  const list = blocks();
  const index = list.indexOf(target);
  let py;
  try {
    py = await boot(base, partsOf(target).out);
  } catch (error) {
    show(partsOf(target).out, "error", `Python could not start here: ${error.message}`);
    return;
  }
  if (!namespace) namespace = py.newNamespace();
  for (let i = 0; i <= index; i += 1) {
    if (i < index && ran.has(i)) continue;
    const block = list[i];
    const { editor, out } = partsOf(block);
    show(out, "running", "Running…");
    await new Promise((resolve) => setTimeout(resolve)); // let the status show first
    const label = `<example ${i + 1}>`;
    const edited = !editor.hidden;
    const session = edited
      ? py.runCode(editor.value, namespace, label)
      : py.runSession(block.querySelector("code").textContent, namespace, label);
    const how = edited ? "Your edited code ran" : "Ran";
    const before = i < index ? ` first: example ${index + 1} may use the names it defines` : "";
    show(out, "done", `${how} here${before}.${announced ? "" : ` ${py.started}`}`, session);
    announced = true;
    ran.add(i);
  }
}

function resetNamespace(block) {
  if (namespace) namespace.destroy();
  namespace = null;
  ran.clear();
  for (const other of blocks()) {
    const { out } = partsOf(other);
    out.replaceChildren();
    delete out.dataset.state;
  }
  show(partsOf(block).out, "reset", "Reset: the next Run starts from a fresh namespace and runs the examples above it again.");
}

// Called by the page's starter for each press of a Run button; runs are queued, one at a time.
export function run(runButton, base) {
  setUp();
  const block = runButton.closest(".run-py").previousElementSibling;
  queue = queue.then(() => runUpTo(block, new URL(base, document.baseURI).href));
  return queue;
}
