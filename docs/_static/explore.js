// The Explore page: looks the chosen configuration up in the data the package embedded in
// the page (#explore-data) and puts numbers into its templates. Every name, meaning, shape
// template, formula and line of code comes from that data; nothing here knows a layer.
function startExplorer() {
  "use strict";
  const root = document.getElementById("explore");
  const source = document.getElementById("explore-data");
  if (!root || !source) return;
  const data = JSON.parse(source.textContent);
  const byId = (id) => document.getElementById(id);
  const control = (field) => root.querySelector(`[data-field="${field}"]`);
  const unknownBox = (field) => root.querySelector(`[data-unknown="${field}"]`);
  const errorSlot = (field) => root.querySelector(`[data-error="${field}"]`);
  const sizeFields = Object.keys(data.limits);
  const flagFields = data.hash_fields.filter(
    (f) => !sizeFields.includes(f) && control(f).type === "checkbox");

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, key) =>
      key in values ? values[key] : whole);
  }

  // A size from its text: a number, null (unknown), or an error message naming the field.
  function readSize(field) {
    const box = unknownBox(field);
    if (box && box.checked) return { value: null };
    // A size that does not apply to the layer (its control disabled) is its smallest value.
    const minimum = field in data.minimums ? data.minimums[field] : 1;
    if (control(field).disabled) return { value: minimum };
    const text = control(field).value.trim();
    const say = (kind) => ({
      error: fill(data.messages[kind], {
        field, value: JSON.stringify(text), limit: data.limits[field] }),
    });
    if (text === "") return say("empty");
    if (!/^[+-]?\d+$/.test(text)) return say("not_integer");
    const value = Number(text);
    if (value < minimum) return say(minimum === 0 ? "negative" : "too_small");
    if (value > data.limits[field]) return say("too_large");
    return { value };
  }

  function layerEntry(name) {
    return data.layers.find((l) => l.name === name);
  }

  // The configuration the controls describe, or the fields in error.
  function read() {
    const layer = control("layer").value;
    const config = { layer, merge_mode: control("merge_mode").value };
    for (const f of flagFields) config[f] = control(f).checked;
    const errors = {};
    for (const f of sizeFields) {
      const size = readSize(f);
      if ("error" in size) errors[f] = size.error;
      else config[f] = size.value;
    }
    // A size that must stay below another (proj_size < units), checked once both are valid.
    for (const [f, other] of Object.entries(data.below)) {
      if (f in errors || other in errors || config[f] < config[other]) continue;
      errors[f] = fill(data.messages.not_below, {
        field: f, other, limit: config[other], value: JSON.stringify(String(config[f])) });
    }
    return { config, errors };
  }

  // The configuration's key, from the fields the data names (a flag as 0 or 1).
  function key(config) {
    const values = { ...config, wrapper: config.bidirectional ? config.merge_mode : "plain" };
    const fields = layerEntry(config.layer).reset_after ? data.key_fields_reset_after
                                                        : data.key_fields;
    return fields.map((f) => (typeof values[f] === "boolean" ? +values[f] : values[f])).join(":");
  }

  function shapeText(template, sizes) {
    const axes = template.map((axis) => {
      if (typeof axis === "number") return String(axis);
      const [size, times] = data.symbols[axis];
      return sizes[size] === null ? "None" : String(times * sizes[size]);
    });
    return axes.length === 1 ? `(${axes[0]},)` : `(${axes.join(", ")})`;
  }

  // A formula's terms: a coefficient times the sizes it names.
  function count(formula, sizes) {
    return formula.terms.reduce(
      (sum, [k, names]) => sum + names.reduce((product, n) => product * sizes[n], k), 0);
  }

  function filledFormula(formula, sizes) {
    return formula.template.replace(/[A-Z]/g, (s) =>
      (s in data.letters ? String(sizes[data.letters[s]]) : s));
  }

  // The PyTorch variant's key: each PyTorch-only field as 0 or 1.
  function torchKey(config) {
    return data.torch_key_fields.map((f) => +Boolean(config[f])).join(":");
  }

  function setText(id, text) {
    byId(id).textContent = text;
  }

  // On a narrow screen the tensor table scrolls sideways; say so while it overflows.
  function showScrollHint() {
    const table = byId("explore-tensors");
    byId("explore-tensors-hint").hidden = table.scrollWidth <= table.clientWidth;
  }

  function render(config) {
    const entry = data.configurations[key(config)];
    const sizes = {};
    for (const f of sizeFields) sizes[f] = config[f];
    const shown = (v) => (v === null ? "None" : String(v));
    const values = {};
    for (const f of sizeFields) values[f] = shown(sizes[f]);
    for (const [f, standIn] of Object.entries(data.torch_stand_ins)) {
      values[`torch_${f}`] = sizes[f] === null ? String(standIn) : String(sizes[f]);
    }
    setText("explore-input-shape", shapeText(data.input, sizes));
    setText("explore-call", fill(entry.call, values));
    setText("explore-unpacking", entry.unpacking);
    const torch = entry.torch[torchKey(config)];
    const body = byId("explore-tensors").tBodies[0];
    body.replaceChildren(...entry.tensors.map((t, i) => {
      const row = document.createElement("tr");
      const expression = torch.expressions[i];
      const shownExpression = expression === null ? "none" : expression;
      for (const [cls, text] of [["index", String(i)], ["name", t.name],
          ["shape", shapeText(t.shape, sizes)], ["meaning", t.meaning],
          ["torch", shownExpression]]) {
        const cell = document.createElement("td");
        cell.className = `explore-${cls}`;
        if (cls === "name" || cls === "shape" || (cls === "torch" && expression !== null)) {
          const code = document.createElement("code");
          code.textContent = text;
          cell.append(code);
        } else {
          cell.textContent = text;
        }
        row.append(cell);
      }
      return row;
    }));
    showScrollHint();
    const params = count(entry.keras_formula, sizes);
    setText("explore-parameters", params.toLocaleString("en-US"));
    setText("explore-formula", filledFormula(entry.keras_formula, sizes));
    setText("explore-formula-text", entry.keras_formula.text);
    for (const diagram of root.querySelectorAll("[data-diagram]")) {
      diagram.hidden = diagram.dataset.diagram !== entry.diagram;
    }
    for (const lit of root.querySelectorAll(".explore-diagram .is-returned")) {
      lit.classList.remove("is-returned");
    }
    for (const t of entry.tensors) {
      for (const id of t.highlight) byId(id).classList.add("is-returned");
    }
    setText("explore-keras-code", fill(entry.keras_code, values));
    setText("explore-torch-call", fill(torch.call, values));
    setText("explore-torch-unpacking", torch.unpacking);
    const torchSizes = { ...sizes };
    for (const f of Object.keys(data.torch_stand_ins)) torchSizes[f] = Number(values[`torch_${f}`]);
    setText("explore-torch-shapes",
      torch.returns.map((r) => `${r.name} ${shapeText(r.shape, torchSizes)}`).join(", "));
    const torchParams = count(torch.formula, sizes);
    setText("explore-torch-parameters", torchParams.toLocaleString("en-US"));
    setText("explore-torch-formula", filledFormula(torch.formula, sizes));
    setText("explore-torch-formula-text", torch.formula.text);
    const note = byId("explore-torch-note");
    note.hidden = torch.note === null;
    note.textContent = torch.note === null ? "" : `No equivalent: ${torch.note}.`;
    setText("explore-torch-code", fill(torch.code, values));
  }

  function toHash(config, texts) {
    const params = new URLSearchParams();
    params.set("v", String(data.hash_version));
    for (const f of data.hash_fields) {
      if (sizeFields.includes(f)) params.set(f, texts[f]);
      else if (flagFields.includes(f)) params.set(f, config[f] ? "1" : "0");
      else params.set(f, config[f]);
    }
    return `#${params.toString()}`;
  }

  function sizeTexts() {
    const texts = {};
    for (const f of sizeFields) {
      const box = unknownBox(f);
      texts[f] = box && box.checked ? "None" : control(f).value.trim();
    }
    return texts;
  }

  // Controls that do not apply are disabled, so the form always says what is in force.
  function syncEnabled() {
    control("merge_mode").disabled = !control("bidirectional").checked;
    control("reset_after").disabled = !layerEntry(control("layer").value).reset_after;
    control("proj_size").disabled = !layerEntry(control("layer").value).proj_size;
    for (const f of data.unknowable) control(f).disabled = unknownBox(f).checked;
  }

  function update() {
    syncEnabled();
    // "Copied" stands until the code changes.
    for (const status of root.querySelectorAll("[data-copied]")) status.textContent = "";
    const { config, errors } = read();
    for (const f of sizeFields) {
      const message = errors[f] || "";
      errorSlot(f).textContent = message;
      control(f).setAttribute("aria-invalid", message ? "true" : "false");
    }
    root.classList.toggle("has-errors", Object.keys(errors).length > 0);
    history.replaceState(null, "", toHash(config, sizeTexts()));
    if (Object.keys(errors).length === 0) render(config);
  }

  // Sets the controls from a hash; returns false when it is not one this page wrote.
  function apply(hash) {
    const params = new URLSearchParams(hash.replace(/^#/, ""));
    if (params.get("v") !== String(data.hash_version)) return false;
    for (const f of data.hash_fields) {
      if (!params.has(f)) continue;
      const value = params.get(f);
      const box = unknownBox(f);
      if (sizeFields.includes(f)) {
        if (box) box.checked = value === "None";
        if (!box || value !== "None") control(f).value = value;
      } else if (flagFields.includes(f)) {
        control(f).checked = value === "1";
      } else if ([...control(f).options].some((o) => o.value === value)) {
        control(f).value = value;
      }
    }
    update();
    return true;
  }

  async function copy(button) {
    const text = byId(button.dataset.copy).textContent;
    const status = root.querySelector(`[data-copied="${button.dataset.copy}"]`);
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard permission (some file:// views): select the code for Ctrl+C instead.
      const range = document.createRange();
      range.selectNodeContents(byId(button.dataset.copy));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      status.textContent = "Selected: press Ctrl+C";
      return;
    }
    status.textContent = "Copied";
  }

  root.addEventListener("input", update);
  root.addEventListener("change", update);
  for (const form of root.querySelectorAll("form")) {
    form.addEventListener("submit", (e) => e.preventDefault());
  }
  for (const button of root.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", () => copy(button));
  }
  window.addEventListener("hashchange", () => apply(location.hash));
  new ResizeObserver(showScrollHint).observe(byId("explore-tensors"));
  window.lstmExplorer = { apply, read: () => read(), data };
  if (!apply(location.hash)) update();
}

// The theme loads scripts in the head: start once the page's markup is there.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", startExplorer);
} else {
  startExplorer();
}
