// What the app's canvas components share (prepended to each one's own JavaScript by
// app_pages/components/__init__.py): round axis ticks and their labels.

function tickValues(lo, hi, count) {
  // Round ticks between lo and hi: steps of 1, 2 or 5 times a power of ten.
  const span = hi - lo;
  if (!(span > 0) || !isFinite(span)) return [lo];
  const raw = span / Math.max(1, count - 1);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = raw;
  for (const m of [1, 2, 5, 10]) { if (m * power >= raw) { step = m * power; break; } }
  const ticks = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-6; v += step) ticks.push(v);
  return ticks;
}

function tickText(v) {
  if (Math.abs(v) < 1e-9) return '0';
  return Number(v.toPrecision(3)).toString();
}
