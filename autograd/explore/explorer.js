// The step-through Explorer: one ES module for the Jupyter widget (anywidget) and the saved page.
// State comes from model.get("graph") (plain JSON made by Python); stepping needs no message back.

// Text of a number as JavaScript writes it (NaN, Infinity, 1e-7); symbolic data stays as it is.
function jsText(text) {
  const x = Number(text);
  return Number.isNaN(x) && text !== "NaN" ? text : String(x);
}

const WIDE_PX = 2400;

// A typed answer: a number, or a fraction p/q as the exact data prints it.
function parseAnswer(text) {
  const [p, q, ...rest] = text.split("/");
  return q === undefined ? Number(p) : rest.length ? NaN : Number(p) / Number(q);
}

// The graph's SVG (Graphviz's output) as an element, parsed as XML: nothing in it is read as HTML.
function parseSvg(text) {
  const parsed = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
  if (parsed.localName !== "svg") throw new Error("the Explorer's SVG does not parse");
  return document.adoptNode(parsed);
}

function render({ model, el }) {
  const graph = model.get("graph");
  const nodes = graph.nodes;
  const n = nodes.length;
  const last = 2 * n; // n forward steps, then n backward steps
  let position = 0;

  el.classList.add("ig-explorer");
  el.innerHTML = `
    <div class="ig-controls">
      <button type="button" data-action="step">Step</button>
      <button type="button" data-action="back">Back</button>
      <button type="button" data-action="reset">Reset</button>
      <label class="ig-quiz-toggle"><input type="checkbox" data-role="quiz"> quiz</label>
      <span class="ig-phase" data-role="phase"></span>
      <span class="ig-counter" data-role="counter"></span>
    </div>
    <div class="ig-legend" data-role="legend"></div>
    <form class="ig-quiz" data-role="quiz-form" hidden>
      <label><span data-role="quiz-question"></span> <input type="text" data-role="answer" size="14"></label>
      <button type="submit">Answer</button>
      <span data-role="verdict"></span>
    </form>
    <pre class="ig-formula" data-role="formula" aria-live="polite"></pre>
    <div class="ig-graph"></div>`;
  const $ = (selector) => el.querySelector(selector);
  // User text (labels, op names) reaches the page as text only: the legend is set as textContent and
  // the SVG is parsed as XML (never as HTML), so a label such as <img onerror=...> stays characters.
  $('[data-role="legend"]').textContent =
    "yellow: data computed (forward) · green: grad computed (backward) · blue border: this step" +
    (graph.wrt === null ? "" : ` · red: the paths of impacts of ${nodes[graph.wrt].name}`);
  $(".ig-graph").append(parseSvg(graph.svg));
  const buttons = {
    step: $('[data-action="step"]'),
    back: $('[data-action="back"]'),
    reset: $('[data-action="reset"]'),
  };
  // A graph that fits (up to twice the width of a page) is scaled to the width; a bigger one keeps
  // its size, scrolls, and follows the current node.
  const svg = el.querySelector(".ig-graph svg");
  const wide = svg.width.baseVal.value > WIDE_PX;
  if (wide) svg.classList.add("ig-wide");
  const quizBox = $('[data-role="quiz"]');
  const quizForm = $('[data-role="quiz-form"]');
  const answer = $('[data-role="answer"]');
  const verdict = $('[data-role="verdict"]');

  // Each SVG record gets data-node; its "data …" and "grad …" texts are hidden until reached.
  const shapes = nodes.map((node, k) => {
    const g = el.querySelector(`g[id="n${k}"]`);
    g.setAttribute("data-node", String(k));
    if (node.path) g.setAttribute("data-path", "true");
    const texts = Array.from(g.querySelectorAll("text"));
    const field = (prefix) => texts.find((t) => t.textContent.startsWith(prefix));
    return { g, data: field("data "), grad: field("grad ") };
  });
  for (const s of shapes) {
    for (const key of ["data", "grad"]) {
      if (s[key]) {
        s[key].dataset.full = s[key].textContent;
        s[key].textContent = `${key} ?`;
      }
    }
  }

  // An edge's label, ∂child/∂parent, is taken when the child is computed: "?" until its forward step
  // (else it would give away the data of the other operand, in the quiz too).
  const edgesInto = nodes.map(() => []);
  for (const e of el.querySelectorAll("g.edge")) {
    const ends = /n(\d+)\D+n(\d+)/.exec(e.querySelector("title")?.textContent ?? "");
    const label = e.querySelector("text");
    if (ends && label) {
      label.dataset.full = label.textContent;
      label.textContent = "?";
      edgesInto[Number(ends[2])].push(label);
    }
  }

  // Step p (1-based) reveals node p-1's data (forward), then node 2n-p's grad (backward).
  const stepOf = (p) => (p <= n ? { phase: "forward", k: p - 1 } : { phase: "backward", k: last - p });

  function show(p, on) {
    const { phase, k } = stepOf(p);
    const s = shapes[k];
    const key = phase === "forward" ? "data" : "grad";
    if (on) s.g.setAttribute(`data-${key}`, jsText(nodes[k][key]));
    else s.g.removeAttribute(`data-${key}`);
    if (s[key]) s[key].textContent = on ? s[key].dataset.full : `${key} ?`;
    if (phase === "forward") for (const t of edgesInto[k]) t.textContent = on ? t.dataset.full : "?";
  }

  function formula() {
    if (position === 0) return "Press Step: the forward pass computes each node's data, leaves first.";
    const { phase, k } = stepOf(position);
    let text = nodes[k][phase];
    if (graph.wrt !== null && position >= last - graph.wrt) text += `\n\nPaths of impacts:\n${graph.paths}`;
    return text;
  }

  function update() {
    for (const s of shapes) s.g.classList.remove("ig-current");
    if (position > 0) {
      const current = shapes[stepOf(position).k].g;
      current.classList.add("ig-current");
      if (wide) current.scrollIntoView({ block: "nearest", inline: "center" });
    }
    $('[data-role="phase"]').textContent = position <= n ? "forward" : "backward";
    $('[data-role="counter"]').textContent = `step ${position} of ${last}`;
    $('[data-role="formula"]').textContent = formula();
    buttons.step.disabled = position >= last;
    buttons.back.disabled = position <= 0;
    const asking = quizBox.checked && position < last;
    quizForm.hidden = !asking;
    if (asking) {
      const { phase, k } = stepOf(position + 1);
      $('[data-role="quiz-question"]').textContent =
        `${phase === "forward" ? "data" : "grad"} of ${nodes[k].name} =`;
    }
  }

  function step() {
    if (position >= last) return;
    position += 1;
    show(position, true);
    update();
  }
  function back() {
    if (position <= 0) return;
    show(position, false);
    position -= 1;
    verdict.textContent = "";
    update();
  }
  function reset() {
    while (position > 0) {
      show(position, false);
      position -= 1;
    }
    verdict.textContent = "";
    update();
  }

  // Quiz: the learner types the next value; it is then checked (to 4 significant digits) and shown.
  quizForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const { phase, k } = stepOf(position + 1);
    const key = phase === "forward" ? "data" : "grad";
    const expected = Number(nodes[k][key]);
    const given = parseAnswer(answer.value);
    if (!answer.value.trim() || (Number.isNaN(given) && answer.value.trim() !== "NaN")) {
      verdict.textContent = "type a number, such as 12, -0.5 or 3/4 (NaN and Infinity too)";
      return; // the same question again
    }
    const close = given === expected || Math.abs(given - expected) <= 5e-4 * Math.abs(expected);
    const what = `${key} of ${nodes[k].name}`;
    verdict.textContent = `${close ? "✓ right:" : "✗ no:"} ${what} = ${nodes[k].shown[key]}`;
    answer.value = "";
    step();
  });
  quizBox.checked = Boolean(model.get("quiz"));
  quizBox.addEventListener("change", () => {
    model.set("quiz", quizBox.checked);
    model.save_changes();
    update();
  });
  model.on("change:quiz", () => {
    quizBox.checked = Boolean(model.get("quiz"));
    update();
  });
  buttons.step.addEventListener("click", step);
  buttons.back.addEventListener("click", back);
  buttons.reset.addEventListener("click", reset);
  update();
}

export default { render };
