(selectors) => {
  // WCAG 2 contrast of every piece of text inside the selectors' elements (code blocks, API
  // signatures) against the solid background it sits on, found by walking up to the first
  // opaque background. Returns how many pieces of text it checked and what failed.
  const problems = [];
  const rgba = (value, where) => {
    const m = value.match(/^rgba?\(([^)]*)\)$/);
    if (!m) { problems.push(`${where}: unreadable colour ${value}`); return [0, 0, 0, 1]; }
    const [r, g, b, a = 1] = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  };
  const over = ([r, g, b, a], [R, G, B]) => [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a)];
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x); return (hi + 0.05) / (lo + 0.05); };
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
  const backgrounds = new Map();
  const background = (el) => {
    if (backgrounds.has(el)) return backgrounds.get(el);
    const style = getComputedStyle(el);
    // Only what this check can read: no image, filter, blend or transparency on the way up.
    for (const [property, plain] of [["backgroundImage", "none"], ["filter", "none"], ["mixBlendMode", "normal"], ["opacity", "1"]]) {
      if (style[property] !== plain) problems.push(`${name(el)}: ${property} ${style[property]}`);
    }
    const own = rgba(style.backgroundColor, name(el));
    const below = own[3] === 1 || !el.parentElement ? [255, 255, 255] : background(el.parentElement);
    const result = own[3] === 0 ? below : over(own, below);
    backgrounds.set(el, result);
    return result;
  };
  let checked = 0;
  for (const block of document.querySelectorAll(selectors.join(", "))) {
    for (const el of [block, ...block.querySelectorAll("*")]) {
      const text = Array.from(el.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join("").trim();
      if (!text || el.getClientRects().length === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility !== "visible") continue;
      if (style.textShadow !== "none") problems.push(`${name(el)}: text-shadow ${style.textShadow}`);
      const bg = background(el);
      const fg = over(rgba(style.color, name(el)), bg);
      const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
      const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
      const found = ratio(fg, bg);
      checked += 1;
      if (found < needed) problems.push(`${name(el)} "${text.slice(0, 30)}": contrast ${found.toFixed(2)} < ${needed}`);
    }
  }
  return {checked, problems};
}
