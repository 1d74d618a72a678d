// The Explore page's family panel (#family): ConvLSTM1D/2D/3D and RNN over a list of cells.
// Its data (#family-data) is a compact table from the package: names, meanings, formulas'
// text, limits and messages. The shape and count rules below are the package's
// (lstm_outputs.shapes: conv_output_length, conv_lstm_tensors, rnn_tensors); the site's
// tests compare this panel with the package over a grid of configurations.
function startFamilyExplorer() {
  "use strict";
  const root = document.getElementById("family");
  const source = document.getElementById("family-data");
  if (!root || !source) return;
  const data = JSON.parse(source.textContent);
  const byId = (id) => document.getElementById(id);
  const control = (field) => root.querySelector(`[data-field="${field}"]`);
  const unknownBox = (field) => root.querySelector(`[data-unknown="${field}"]`);
  const sizeFields = [...root.querySelectorAll("input[type=text]")].map((e) => e.dataset.field);

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
  }
  const say = (kind, values) => ({ error: fill(data.messages[kind], values) });

  // One positive whole number within a limit, or an error naming the field.
  function positive(field, text, limit) {
    const value = JSON.stringify(text);
    if (text === "") return say("empty", { field });
    if (!/^\+?\d+$/.test(text) || Number(text) < 1) return say("not_integer", { field, value });
    if (Number(text) > limit) return say("too_large", { field, value, limit });
    return { value: Number(text) };
  }

  // Sizes separated by commas or spaces, each checked as `positive`.
  function list(field, limit) {
    const text = control(field).value.trim();
    const parts = text.split(/[\s,]+/).filter((p) => p !== "");
    if (parts.length === 0) return say("empty", { field });
    const values = [];
    for (const part of parts) {
      const one = positive(field, part, limit);
      if ("error" in one) return { error: one.error, bad: true };
      values.push(one.value);
    }
    return { value: values, text };
  }

  function size(field) {
    const box = unknownBox(field);
    if (box && box.checked) return { value: null };
    return positive(field, control(field).value.trim(), data.limits[field]);
  }

  // A per-axis argument: one size for every axis, or one per axis.
  function axes(field, rank) {
    const read = list(field, data.limits.axis);
    if ("error" in read || read.value.length === rank) return read;
    if (read.value.length === 1) return { value: Array(rank).fill(read.value[0]) };
    return say("axes", { field, rank, value: JSON.stringify(read.text) });
  }

  // The length of one axis after the convolution, or null where the kernel does not fit.
  function convLength(n, k, s, d, padding) {
    if (padding !== "valid") return Math.floor((n - 1) / s) + 1;
    const span = d * (k - 1) + 1;
    return span > n ? null : Math.floor((n - span) / s) + 1;
  }

  function read() {
    const layer = control("layer").value;
    const rank = data.conv_layers[layer];
    const config = { layer, conv: rank !== undefined };
    for (const f of ["return_sequences", "return_state"]) config[f] = control(f).checked;
    const errors = {};
    const take = (field, result) => {
      if ("error" in result) errors[field] = result.error;
      else config[field] = result.value;
    };
    for (const f of ["timesteps", "features", "batch"]) take(f, size(f));
    if (!config.conv) {
      config.cell = control("cell").value;
      const cells = list("cells", data.limits.cells);
      if ("error" in cells) {
        errors.cells = fill(data.messages.cells, { value: JSON.stringify(control("cells").value) });
      } else config.cells = cells.value;
      return { config, errors };
    }
    take("filters", size("filters"));
    const spatial = list("spatial", data.limits.axis);
    if (!("error" in spatial) && spatial.value.length !== rank) {
      errors.spatial = fill(data.messages.spatial_axes,
        { rank, layer, value: JSON.stringify(spatial.text) });
    } else take("spatial", spatial);
    for (const f of ["kernel_size", "strides", "dilation_rate"]) take(f, axes(f, rank));
    config.padding = control("padding").value;
    config.data_format = control("data_format").value;
    if (!errors.strides && !errors.dilation_rate &&
        Math.max(...config.strides) > 1 && Math.max(...config.dilation_rate) > 1) {
      errors.strides = data.messages.strides_with_dilation;
    }
    if (Object.keys(errors).length > 0) return { config, errors };
    config.frame = config.spatial.map((n, i) => convLength(
      n, config.kernel_size[i], config.strides[i], config.dilation_rate[i], config.padding));
    const misfit = config.frame.indexOf(null);
    if (misfit >= 0) {
      errors.kernel_size = fill(data.messages.kernel_too_large, {
        kernel: config.kernel_size[misfit], dilation: config.dilation_rate[misfit],
        length: config.spatial[misfit] });
    }
    return { config, errors };
  }

  const shapeText = (shape) => `(${shape.map((s) => (s === null ? "None" : s)).join(", ")})`;
  // An int, or a tuple written as Python writes it (the same size on every axis: the int).
  const axesText = (values) =>
    (new Set(values).size === 1 ? String(values[0]) : `(${values.join(", ")})`);

  // What the layer returns: tensors, or lists of tensors (a cell's states), in Keras's order.
  function returned(config) {
    const first = config.return_sequences ? "sequence" : "last_hidden";
    const { batch, timesteps } = config;
    if (config.conv) {
      const frame = config.data_format === "channels_last"
        ? [...config.frame, config.filters] : [config.filters, ...config.frame];
      const names = [first, ...(config.return_state ? ["state_h", "state_c"] : [])];
      return names.map((name) => ({
        name, meaning: data.meanings[name],
        shape: name === "sequence" ? [batch, timesteps, ...frame] : [batch, ...frame],
      }));
    }
    const top = config.cells[config.cells.length - 1];
    const items = [{
      name: first, meaning: data.stacked_meanings[first],
      shape: config.return_sequences ? [batch, timesteps, top] : [batch, top],
    }];
    if (!config.return_state) return items;
    config.cells.forEach((units, index) => {
      const states = data.cells[config.cell].states.map((state) => ({
        name: fill(data.cell_state_name, { index, state }),
        meaning: fill(data.stacked_meanings[`state_${state}`], { index }),
        shape: [batch, units],
      }));
      items.push(states.length > 1 ? states : states[0]);
    });
    return items;
  }

  function call(config) {
    const flags = ["return_sequences", "return_state"].filter((f) => config[f])
      .map((f) => `${f}=True`);
    if (!config.conv) {
      const cells = config.cells.map((u) => `${config.cell}Cell(${u})`).join(", ");
      return `RNN(${[`[${cells}]`, ...flags].join(", ")})`;
    }
    const args = [String(config.filters), axesText(config.kernel_size)];
    if (axesText(config.strides) !== "1") args.push(`strides=${axesText(config.strides)}`);
    if (config.padding !== "valid") args.push(`padding='${config.padding}'`);
    if (config.data_format !== "channels_last") args.push(`data_format='${config.data_format}'`);
    if (axesText(config.dilation_rate) !== "1") {
      args.push(`dilation_rate=${axesText(config.dilation_rate)}`);
    }
    return `${config.layer}(${[...args, ...flags].join(", ")})`;
  }

  // The parameter count (exact: BigInt) and the formula it comes from, filled in.
  function parameters(config) {
    const big = BigInt;
    if (config.conv) {
      const k = config.kernel_size.reduce((p, v) => p * v, 1);
      const [c, f] = [config.features, config.filters];
      const count = 4n * (big(k) * big(c + f) * big(f) + big(f));
      const filled = data.conv_formula.replace("K", k).replace("C", c).replaceAll("F", f);
      return { count, formula: `${filled}, from ${data.conv_formula}` };
    }
    let width = config.features;
    let count = 0n;
    const parts = [];
    for (const units of config.cells) {
      const formula = data.cells[config.cell].formula;
      const sizes = { units: big(units), features: big(width) };
      count += formula.terms.reduce(
        (sum, [k, names]) => sum + names.reduce((p, n) => p * sizes[n], big(k)), 0n);
      parts.push(formula.template.replaceAll("U", units).replaceAll("F", width));
      width = units;
    }
    return { count, formula: `${parts.join(" + ")}, from ${data.cells[config.cell].formula.text}` };
  }

  // The names of what the layer returns, nested as Python unpacks them.
  const unpack = (items) => items.map((item) => (Array.isArray(item)
    ? `[${item.map((t) => t.name).join(", ")}]` : item.name)).join(", ");

  // A script that builds the layer with Keras and prints each returned tensor's shape.
  function kerasCode(config, frameIn, items, rows) {
    const shape = [config.timesteps, ...frameIn].map((s) => (s === null ? "None" : s));
    const batch = config.batch === null ? "None" : config.batch;
    const made = call(config).replace(/(LSTM|GRU|SimpleRNN)Cell\(/g, "keras.layers.$1Cell(");
    return [
      "import keras",
      "",
      `x = keras.Input(shape=(${shape.join(", ")}), batch_size=${batch})`,
      `layer = keras.layers.${made}`,
      `${unpack(items)} = layer(x)`,
      ...rows.map(([, t]) => `print("${t.name}", ${t.name}.shape)`),
      'print("parameters", layer.count_params())',
    ].join("\n");
  }

  async function copy() {
    const code = byId("family-keras-code");
    try {
      await navigator.clipboard.writeText(code.textContent);
      byId("family-copied").textContent = "Copied";
    } catch {
      // No clipboard permission (some file:// views): select the code for Ctrl+C instead.
      const range = document.createRange();
      range.selectNodeContents(code);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      byId("family-copied").textContent = "Selected: press Ctrl+C";
    }
  }

  function render(config) {
    const channels = config.conv ? config.features : null;
    const frameIn = !config.conv ? [config.features]
      : config.data_format === "channels_last" ? [...config.spatial, channels]
        : [channels, ...config.spatial];
    byId("family-input-shape").textContent = shapeText([config.batch, config.timesteps, ...frameIn]);
    byId("family-call").textContent = call(config);
    const items = returned(config);
    byId("family-unpacking").textContent = `${unpack(items)} = layer(x)`;
    const rows = [];
    items.forEach((item, i) => {
      if (!Array.isArray(item)) rows.push([`[${i}]`, item]);
      else item.forEach((t, j) => rows.push([`[${i}][${j}]`, t]));
    });
    byId("family-tensors").tBodies[0].replaceChildren(...rows.map(([index, t]) => {
      const row = document.createElement("tr");
      for (const [cls, text, code] of [["index", index, true], ["name", t.name, true],
          ["shape", shapeText(t.shape), true], ["meaning", t.meaning, false]]) {
        const cell = document.createElement("td");
        cell.className = `family-${cls}`;
        if (code) {
          const inner = document.createElement("code");
          inner.textContent = text;
          cell.append(inner);
        } else cell.textContent = text;
        row.append(cell);
      }
      return row;
    }));
    byId("family-keras-code").textContent = kerasCode(config, frameIn, items, rows);
    byId("family-copied").textContent = "";
    const { count, formula } = parameters(config);
    byId("family-parameters").textContent = count.toLocaleString("en-US");
    byId("family-formula").textContent = formula;
    if (config.conv) {
      byId("family-frame-formula").textContent = `${data.conv_output_formulas[config.padding]}: ${
        config.spatial.map((n, i) => `${n} → ${config.frame[i]}`).join(", ")}`;
    }
  }

  function update() {
    const conv = control("layer").value in data.conv_layers;
    for (const part of root.querySelectorAll("[data-for]")) {
      part.hidden = part.dataset.for !== (conv ? "conv" : "cells");
    }
    for (const f of ["timesteps", "batch"]) control(f).disabled = unknownBox(f).checked;
    const { config, errors } = read();
    for (const f of sizeFields) {
      const message = errors[f] || "";
      root.querySelector(`[data-error="${f}"]`).textContent = message;
      control(f).setAttribute("aria-invalid", message ? "true" : "false");
    }
    // A wrong field hides the answer: the last one may belong to another layer.
    const invalid = Object.keys(errors).length > 0;
    byId("family-results").hidden = invalid;
    byId("family-invalid").hidden = !invalid;
    if (!invalid) render(config);
  }

  root.addEventListener("input", update);
  root.addEventListener("change", update);
  root.querySelector("form").addEventListener("submit", (e) => e.preventDefault());
  byId("family-copy").addEventListener("click", copy);
  window.lstmFamilyExplorer = { update, read: () => read(), data };
  update();
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", startFamilyExplorer);
} else {
  startFamilyExplorer();
}
