// The Playground's live canvas: draws the decision boundary, the loss curves and the network
// diagram from the compact payloads of core/figures/live_frames.py (read that module's docstring
// for the byte format), and plays a payload's frames one after another, evenly spaced, until the
// next payload arrives. Plain JavaScript, no library, nothing fetched: Streamlit serves it inline.
//
// Streamlit calls the default export on every new payload, with the same parentElement while
// the component stays mounted; the player's state lives on that element.

const FONT = '"Source Sans Pro", Helvetica, Arial, sans-serif';
const BLUE = '#0877BD';
const ORANGE = '#F59322';

function readPayload(bytes) {
  if (bytes[0] !== 78 || bytes[1] !== 80 || bytes[2] !== 76 || bytes[3] !== 49) return null; // "NPL1"
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  const base = bytes.byteOffset + 8 + length;
  // A copy of each array (aligned for Float32Array whatever the payload's offset).
  const arrays = header.arrays.map(([start, size, dtype]) => {
    const copy = bytes.buffer.slice(base + start, base + start + size);
    return dtype === 'float32' ? new Float32Array(copy) : new Uint8Array(copy);
  });
  return { header, arrays };
}

// tickValues and tickText: app_pages/components/canvas_common.js.

function makeCanvas(parent, width, height, label) {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  canvas.style.display = 'block';
  canvas.style.width = '100%';
  canvas.style.height = 'auto';
  parent.appendChild(canvas);
  const entry = { canvas, ctx: canvas.getContext('2d'), width: 0, height: 0 };
  sizeCanvas(entry, width, height);
  return entry;
}

function sizeCanvas(entry, width, height) {
  // Logical size (CSS px) width x height, drawn at the screen's pixel density.
  if (entry.width === width && entry.height === height) return;
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  entry.canvas.width = Math.round(width * dpr);
  entry.canvas.height = Math.round(height * dpr);
  entry.canvas.style.maxWidth = width + 'px';
  entry.canvas.style.aspectRatio = width + ' / ' + height;
  entry.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  entry.width = width;
  entry.height = height;
}

function lutImage(cells, lut, lutOffset, width, height, luts, lutIds, mapSize) {
  // Indices -> an offscreen canvas of RGB pixels. lutIds: one LUT per map of mapSize^2 cells.
  const off = document.createElement('canvas');
  off.width = width;
  off.height = height;
  const ctx = off.getContext('2d');
  const image = ctx.createImageData(width, height);
  const px = image.data;
  for (let i = 0, n = cells.length; i < n; i++) {
    const table = lutIds ? luts : lut;
    const start = lutIds ? lutIds[(i / (mapSize * mapSize)) | 0] * 768 : lutOffset;
    const k = start + 3 * cells[i];
    px[4 * i] = table[k];
    px[4 * i + 1] = table[k + 1];
    px[4 * i + 2] = table[k + 2];
    px[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return off;
}

// ----------------------------------------------------------------------------- the scene
function prepareScene(s, header, arrays) {
  const sc = header.scene;
  const scene = {
    raw: sc,
    boundaryLut: arrays[sc.boundary_lut],
    mapLuts: arrays[sc.map_luts],
    curves: arrays[sc.curves],
    markerPaths: sc.markers.map((d) => new Path2D('M0 0' + d)),
    points: {
      xy: arrays[sc.points.xy], rgb: arrays[sc.points.rgb],
      marker: arrays[sc.points.marker], test: arrays[sc.points.test],
    },
  };
  const n = scene.curves.length / 5;
  scene.curveLength = n;
  scene.lastEpoch = n ? scene.curves[n - 1] : -1;
  return scene;
}

function boundaryOverlay(scene, size, left, top) {
  // The points and the axes, drawn once per scene; each frame draws the grid under them.
  const width = left + size + 8, height = top + size + 22;
  const off = document.createElement('canvas');
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  off.width = Math.round(width * dpr);
  off.height = Math.round(height * dpr);
  const ctx = off.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const [xLo, xHi, yLo, yHi] = scene.raw.extent;
  ctx.font = '10px ' + FONT;
  ctx.fillStyle = '#555';
  ctx.textAlign = 'center';
  for (const v of tickValues(xLo, xHi, 5)) {
    ctx.fillText(tickText(v), left + (v - xLo) / (xHi - xLo) * size, top + size + 14);
  }
  ctx.textAlign = 'right';
  for (const v of tickValues(yLo, yHi, 5)) {
    ctx.fillText(tickText(v), left - 4, top + (1 - (v - yLo) / (yHi - yLo)) * size + 3.5);
  }
  ctx.strokeStyle = '#ccc';
  ctx.lineWidth = 1;
  ctx.strokeRect(left + 0.5, top + 0.5, size - 1, size - 1);
  const p = scene.points;
  for (let i = 0, n = p.marker.length; i < n; i++) {
    const x = left + (p.xy[2 * i] - xLo) / (xHi - xLo) * size;
    const y = top + (1 - (p.xy[2 * i + 1] - yLo) / (yHi - yLo)) * size;
    if (x < left || x > left + size || y < top || y > top + size) continue;
    ctx.save();
    ctx.translate(x, y);
    ctx.fillStyle = `rgb(${p.rgb[3 * i]},${p.rgb[3 * i + 1]},${p.rgb[3 * i + 2]})`;
    const path = scene.markerPaths[p.marker[i] % scene.markerPaths.length];
    ctx.fill(path);
    ctx.strokeStyle = p.test[i] ? '#111' : '#fff';
    ctx.lineWidth = p.test[i] ? 1.3 : 0.8;
    ctx.stroke(path);
    ctx.restore();
  }
  return off;
}

// ----------------------------------------------------------------------------- drawing a frame
function drawBoundary(s, scene, frame, arrays) {
  const size = 360, left = 30, top = 6;
  const entry = s.boundary;
  sizeCanvas(entry, left + size + 8, top + size + 22);
  if (s.overlayId !== scene.raw.id) {  // the points and axes change with the scene only
    s.overlay = boundaryOverlay(scene, size, left, top);
    s.overlayId = scene.raw.id;
  }
  const r = frame.resolution;
  const grid = lutImage(arrays[frame.boundary], scene.boundaryLut, 0, r, r);
  const ctx = entry.ctx;
  ctx.clearRect(0, 0, entry.width, entry.height);
  ctx.imageSmoothingEnabled = !scene.raw.discretize;
  ctx.drawImage(grid, left, top, size, size);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(s.overlay, 0, 0, entry.width, entry.height);
}

function drawCurves(s, scene, frame) {
  const width = 460, height = 220, left = 42, right = 40, top = 22, bottom = 24;
  const entry = s.curves;
  sizeCanvas(entry, width, height);
  const ctx = entry.ctx;
  ctx.clearRect(0, 0, width, height);
  // The run so far: the scene's curve (5 rows: epoch, train/held loss, train/held metric) and
  // the frames played since.
  const n = scene.curveLength, c = scene.curves, extra = s.extra;
  const rows = [[], [], [], [], []];
  for (let i = 0; i < n; i++) for (let k = 0; k < 5; k++) rows[k].push(c[k * n + i]);
  for (const e of extra) for (let k = 0; k < 5; k++) rows[k].push(e[k]);
  s.curveRows = rows;
  ctx.font = '10px ' + FONT;
  ctx.fillStyle = '#555';
  ctx.textAlign = 'right';
  ctx.fillText('epoch ' + frame.epoch.toLocaleString('en-US'), width - 4, 13);
  const count = rows[0].length;
  const empty = count < 2 || !(rows[0][count - 1] > rows[0][0]);
  // Say it in words too (screen readers, and the browser tests read it).
  const label = empty ? `loss and accuracy curves: ${scene.raw.no_curves}` : 'loss and accuracy curves';
  if (entry.label !== label) { entry.canvas.setAttribute('aria-label', label); entry.label = label; }
  if (empty) {
    ctx.textAlign = 'left';
    ctx.fillStyle = 'rgba(49,51,63,0.6)';
    ctx.font = '14px ' + FONT;
    ctx.fillText(scene.raw.no_curves || '', 4, height / 2);
    return;
  }
  const pw = width - left - right, ph = height - top - bottom;
  const xMax = rows[0][count - 1] > 0 ? rows[0][count - 1] : 1;
  let yMax = 0;
  for (const k of [1, 2]) for (const v of rows[k]) if (isFinite(v) && v > yMax) yMax = v;
  yMax = yMax > 0 ? yMax * 1.05 : 1;
  let mLo = 0;
  if (scene.raw.task === 'regression') {
    let lo = Infinity;
    for (const v of rows[4]) if (isFinite(v) && v < lo) lo = v;
    mLo = isFinite(lo) ? Math.max(-1, Math.min(0, lo)) : 0;
  }
  const sx = (v) => left + v / xMax * pw;
  ctx.strokeStyle = '#eee';
  ctx.lineWidth = 1;
  ctx.textAlign = 'center';
  for (const v of tickValues(0, xMax, 5)) {
    ctx.beginPath(); ctx.moveTo(sx(v), top); ctx.lineTo(sx(v), top + ph); ctx.stroke();
    ctx.fillText(tickText(v), sx(v), top + ph + 13);
  }
  ctx.textAlign = 'right';
  for (const v of tickValues(0, yMax, 4)) {
    const y = top + ph - v / yMax * ph;
    ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(left + pw, y); ctx.stroke();
    ctx.fillText(tickText(v), left - 4, y + 3.5);
  }
  ctx.textAlign = 'left';
  for (const v of tickValues(mLo, 1, 4)) {
    ctx.fillText(tickText(v), left + pw + 4, top + ph - (v - mLo) / (1 - mLo) * ph + 3.5);
  }
  ctx.textAlign = 'center';
  ctx.fillText('epoch', left + pw / 2, height - 1);
  let legendX = left;
  scene.raw.series.forEach(([label, colour, dashed, onMetric], k) => {
    ctx.setLineDash(dashed ? [4, 3] : []);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(legendX, 10); ctx.lineTo(legendX + 16, 10); ctx.stroke();
    ctx.textAlign = 'left';
    ctx.fillStyle = '#555';
    ctx.fillText(label, legendX + 20, 13.5);
    legendX += 24 + 5.2 * label.length;
    const values = rows[k + 1];
    ctx.beginPath();
    let drawing = false;
    for (let i = 0; i < count; i++) {
      const v = values[i];
      if (!isFinite(v)) { drawing = false; continue; }
      const y = onMetric
        ? top + ph - (Math.min(1, Math.max(mLo, v)) - mLo) / (1 - mLo) * ph
        : top + ph - Math.min(1, Math.max(0, v / yMax)) * ph;
      if (drawing) ctx.lineTo(sx(rows[0][i]), y); else ctx.moveTo(sx(rows[0][i]), y);
      drawing = true;
    }
    ctx.stroke();
  });
  ctx.setLineDash([]);
  ctx.strokeStyle = '#ccc';
  ctx.lineWidth = 1;
  ctx.strokeRect(left, top, pw, ph);
}

function drawDiagram(s, scene, frame, arrays) {
  const d = scene.raw.diagram;
  const columns = d.names.length;
  const shown = d.names.map((names) => names.length);
  const tallest = Math.max(...shown);
  const node = 30, gap = 104, rowGap = 40, top = 46, left = 48, right = 48;
  const width = left + (columns - 1) * gap + node + right;
  const height = top + tallest * rowGap + (d.more.some((m) => m > 0) ? 18 : 4);
  const entry = s.diagram;
  sizeCanvas(entry, width, height);
  const ctx = entry.ctx;
  ctx.clearRect(0, 0, width, height);
  const centre = (c, j) => [left + node / 2 + c * gap, top + (tallest - shown[c]) * rowGap / 2 + j * rowGap + rowGap / 2];
  const weights = arrays[frame.weights], biases = arrays[frame.biases];
  s.geometry = { columns, shown, node, centre };
  const [thinnest, thickest, clamp] = scene.raw.weight_width;
  let w0 = 0;
  ctx.globalAlpha = 0.7;
  for (let c = 0; c < columns - 1; c++) {
    for (let i = 0; i < shown[c]; i++) {
      for (let j = 0; j < shown[c + 1]; j++) {
        const w = weights[w0 + i * shown[c + 1] + j];
        const [x0, y0] = centre(c, i), [x1, y1] = centre(c + 1, j);
        ctx.strokeStyle = w >= 0 ? BLUE : ORANGE;
        ctx.lineWidth = thinnest + (thickest - thinnest) * Math.min(Math.abs(w), clamp) / clamp;
        ctx.beginPath(); ctx.moveTo(x0 + node / 2, y0); ctx.lineTo(x1 - node / 2, y1); ctx.stroke();
      }
    }
    w0 += shown[c] * shown[c + 1];
  }
  ctx.globalAlpha = 1;
  const m = frame.map_size;
  const total = shown.reduce((a, b) => a + b, 0);
  const sprite = lutImage(arrays[frame.maps], null, 0, m, m * total, scene.mapLuts, frame.map_luts, m);
  s.sprite = sprite;
  ctx.font = '10px ' + FONT;
  let k = 0, b0 = 0;
  for (let c = 0; c < columns; c++) {
    const [x] = centre(c, 0);
    ctx.fillStyle = '#444';
    ctx.textAlign = 'center';
    d.titles[c].forEach((line, i) => ctx.fillText(line, x, 12 + 11 * i));
    ctx.fillStyle = '#888';
    ctx.font = '9px ' + FONT;
    ctx.fillText(frame.ranges[c], x, 12 + 11 * d.titles[c].length);
    ctx.font = '10px ' + FONT;
    for (let j = 0; j < shown[c]; j++, k++) {
      const [cx, cy] = centre(c, j);
      ctx.drawImage(sprite, 0, k * m, m, m, cx - node / 2, cy - node / 2, node, node);
      ctx.fillStyle = '#444';
      if (c === 0) {
        ctx.textAlign = 'right';
        ctx.fillText(d.names[c][j], cx - node / 2 - 4, cy + 3.5);
      } else {
        const bias = biases[b0 + j];
        ctx.globalAlpha = 0.25 + 0.75 * Math.min(Math.abs(bias), clamp) / clamp;
        ctx.fillStyle = bias >= 0 ? BLUE : ORANGE;
        ctx.fillRect(cx - node / 2 - 4, cy + node / 2 - 4, 7, 7);
        ctx.globalAlpha = 1;
        ctx.strokeStyle = '#fff';
        ctx.lineWidth = 0.8;
        ctx.strokeRect(cx - node / 2 - 4, cy + node / 2 - 4, 7, 7);
        ctx.fillStyle = '#444';
      }
      if (c === columns - 1) {
        ctx.textAlign = 'left';
        ctx.fillText(d.names[c][j], cx + node / 2 + 4, cy + 3.5);
      }
    }
    if (c > 0) b0 += shown[c];
    if (d.more[c] > 0) {
      const [mx, my] = centre(c, shown[c] - 1);
      ctx.textAlign = 'center';
      ctx.fillText('… +' + d.more[c], mx, my + node / 2 + 13);
    }
  }
  // What the picture says, as text: for screen readers (and the browser tests).
  const label = 'network diagram: ' + d.titles.map((title, c) =>
    `${title.join(' ')} (${frame.ranges[c]}): ${d.names[c].join(', ')}`).join('; ');
  if (entry.label !== label) { entry.canvas.setAttribute('aria-label', label); entry.label = label; }
  if (d.selected) {
    const [c, j] = d.selected;
    if (c >= 0 && c < columns && j >= 0 && j < shown[c]) {
      const [x, y] = centre(c, j);
      ctx.strokeStyle = '#D81B60';
      ctx.lineWidth = 2.5;
      ctx.strokeRect(x - node / 2 - 3, y - node / 2 - 3, node + 6, node + 6);
    }
  }
}


// ----------------------------------------------------------------------------- hover and clicks
const PLANE = { size: 360, left: 30, top: 6 };

function logical(entry, event) {
  // The event's position in the canvas's logical (CSS px at full size) coordinates.
  const rect = entry.canvas.getBoundingClientRect();
  return [(event.clientX - rect.left) * entry.width / rect.width,
    (event.clientY - rect.top) * entry.height / rect.height];
}

function planeAt(s, lx, ly) {
  // Plane coordinates (and the grid value there) under logical point (lx, ly), or null outside.
  const { size, left, top } = PLANE;
  const u = (lx - left) / size, v = (ly - top) / size;
  if (!s.current || u < 0 || u > 1 || v < 0 || v > 1) return null;
  const { scene, frame, arrays } = s.current;
  const [xLo, xHi, yLo, yHi] = scene.raw.extent;
  const r = frame.resolution;
  const cell = arrays[frame.boundary][Math.min(r - 1, (v * r) | 0) * r + Math.min(r - 1, (u * r) | 0)];
  const [zLo, zHi] = frame.zrange;
  return { x: xLo + u * (xHi - xLo), y: yHi - v * (yHi - yLo), z: zLo + cell / 255 * (zHi - zLo) };
}

function nearestPoint(s, lx, ly, radius) {
  const { size, left, top } = PLANE;
  const { scene } = s.current;
  const [xLo, xHi, yLo, yHi] = scene.raw.extent;
  const p = scene.points;
  let best = -1, bestD = radius * radius;
  for (let i = 0, n = p.marker.length; i < n; i++) {
    const dx = left + (p.xy[2 * i] - xLo) / (xHi - xLo) * size - lx;
    const dy = top + (1 - (p.xy[2 * i + 1] - yLo) / (yHi - yLo)) * size - ly;
    if (dx * dx + dy * dy <= bestD) { best = i; bestD = dx * dx + dy * dy; }
  }
  return best;
}

function fmt(v) { return v === null || v === undefined || !isFinite(v) ? '–' : Number(v).toFixed(3); }

function planeTip(s, lx, ly) {
  const at = planeAt(s, lx, ly);
  if (!at) return null;
  const task = s.current.scene.raw.task;
  const lines = [`x₁ = ${at.x.toFixed(2)}, x₂ = ${at.y.toFixed(2)}`];
  if (task === 'binary') lines.push(`P(class 1) ≈ ${at.z.toFixed(2)}`);
  else if (task === 'multiclass') lines.push(`predicted class ${Math.min(Math.floor(at.z), 9)}`);
  else lines.push(`prediction ≈ ${at.z.toFixed(2)}`);
  const i = nearestPoint(s, lx, ly, 6);
  if (i >= 0) {
    const p = s.current.scene.points;
    lines.push(`a ${p.test[i] ? 'test' : 'training'} point at (${p.xy[2 * i].toFixed(2)}, ${p.xy[2 * i + 1].toFixed(2)})`);
  }
  return { lines };
}

function neuronAt(s, lx, ly) {
  const g = s.geometry;
  if (!g) return null;
  for (let c = 0; c < g.columns; c++) {
    for (let j = 0; j < g.shown[c]; j++) {
      const [x, y] = g.centre(c, j);
      if (Math.abs(lx - x) <= g.node / 2 + 2 && Math.abs(ly - y) <= g.node / 2 + 2) return [c, j];
    }
  }
  return null;
}

function weightAt(s, lx, ly) {
  // The drawn weight line within 3 px of the point: [column, from, to, index] or null.
  const g = s.geometry;
  if (!g) return null;
  let w0 = 0;
  for (let c = 0; c < g.columns - 1; c++) {
    for (let i = 0; i < g.shown[c]; i++) {
      for (let j = 0; j < g.shown[c + 1]; j++) {
        const [x0, y0] = g.centre(c, i), [x1, y1] = g.centre(c + 1, j);
        const ax = x0 + g.node / 2, bx = x1 - g.node / 2;
        if (lx < ax || lx > bx) continue;
        const y = y0 + (y1 - y0) * (lx - ax) / (bx - ax);
        if (Math.abs(ly - y) <= 3) return [c, i, j, w0 + i * g.shown[c + 1] + j];
      }
    }
    w0 += g.shown[c] * g.shown[c + 1];
  }
  return null;
}

function diagramTip(s, lx, ly) {
  const { scene, frame, arrays } = s.current;
  const d = scene.raw.diagram;
  const hit = neuronAt(s, lx, ly);
  if (hit) {
    const [c, j] = hit;
    const lines = [`${d.names[c][j]} (${d.titles[c].join(' ')}; scale ${frame.ranges[c]})`];
    if (c > 0) {
      let b0 = 0;
      for (let k = 1; k < c; k++) b0 += s.geometry.shown[k];
      lines.push(`bias ${fmt(arrays[frame.biases][b0 + j])}`);
      if (s.clickable) lines.push('click: open it in the 🔍 Neuron tab');
    }
    let k = 0;
    for (let q = 0; q < c; q++) k += s.geometry.shown[q];
    return { lines, map: k + j };
  }
  const w = weightAt(s, lx, ly);
  if (w) {
    const [c, i, j, index] = w;
    return { lines: [`weight ${d.names[c][i]} → ${d.names[c + 1][j]}: ${fmt(arrays[frame.weights][index])}`] };
  }
  return null;
}

function curvesTip(s, lx) {
  const rows = s.curveRows;
  if (!rows || rows[0].length < 2) return null;
  const left = 42, pw = 460 - 42 - 40;
  const epoch = (lx - left) / pw * rows[0][rows[0].length - 1];
  if (epoch < 0) return null;
  let best = 0;
  for (let i = 0; i < rows[0].length; i++) if (Math.abs(rows[0][i] - epoch) < Math.abs(rows[0][best] - epoch)) best = i;
  const series = s.current.scene.raw.series;
  return { lines: [`epoch ${rows[0][best].toLocaleString('en-US')}`,
    ...series.map(([label], k) => `${label} ${fmt(rows[k + 1][best])}`)] };
}

function showTip(s, entry, tip, lx, ly) {
  const box = s.tip;
  if (!tip) { box.style.display = 'none'; return; }
  box.replaceChildren(...tip.lines.map((line) => { const div = document.createElement('div'); div.textContent = line; return div; }));
  if (tip.map !== undefined && s.sprite) {
    // The neuron's map, enlarged: what it computes over the whole plane.
    const m = s.current.frame.map_size;
    const big = document.createElement('canvas');
    big.width = big.height = 120;
    const ctx = big.getContext('2d');
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(s.sprite, 0, tip.map * m, m, m, 0, 0, 120, 120);
    big.className = 'np-live-tip-map';
    box.appendChild(big);
  }
  const rootRect = s.root.getBoundingClientRect(), rect = entry.canvas.getBoundingClientRect();
  const scale = rect.width / entry.width;
  box.style.display = 'block';
  const x = rect.left - rootRect.left + lx * scale + 14, y = rect.top - rootRect.top + ly * scale + 14;
  box.style.left = Math.max(0, Math.min(x, s.root.clientWidth - box.offsetWidth - 4)) + 'px';
  box.style.top = y + 'px';
}

function listen(s, entry, tipAt, onClick) {
  const move = (event) => {
    const [lx, ly] = logical(entry, event);
    s.hover = () => s.current && showTip(s, entry, tipAt(s, lx, ly), lx, ly);
    s.hover();
  };
  entry.canvas.addEventListener('pointermove', move);
  entry.canvas.addEventListener('pointerleave', () => { s.hover = null; s.tip.style.display = 'none'; });
  if (onClick) {
    // One tap or click (pointerup without a drag): the same on a phone and with a mouse.
    let down = null;
    entry.canvas.addEventListener('pointerdown', (event) => { down = [event.clientX, event.clientY]; });
    entry.canvas.addEventListener('pointerup', (event) => {
      if (!down || Math.hypot(event.clientX - down[0], event.clientY - down[1]) > 8) return;
      down = null;
      const [lx, ly] = logical(entry, event);
      onClick(lx, ly);
    });
  }
}

function planeClick(s, lx, ly) {
  if (!s.editable || !s.current) return;
  const at = planeAt(s, lx, ly);
  if (!at) return;
  const onPoint = nearestPoint(s, lx, ly, 7) >= 0;
  s.setTrigger('plane_click', { x: at.x, y: at.y, on_point: onPoint });
}

function diagramClick(s, lx, ly) {
  if (!s.clickable || !s.current) return;
  const hit = neuronAt(s, lx, ly);
  if (hit && hit[0] > 0) s.setTrigger('neuron_click', { layer: hit[0] - 1, neuron: hit[1] });
}

function show(s, item) {
  const { scene, frame, arrays } = item;
  if (s.scene !== scene) {
    // A new payload's scene: its curves run up to where its frames start.
    s.extra = [];
    s.scene = scene;
  }
  if (frame.epoch > scene.lastEpoch) {
    s.extra.push([frame.epoch, frame.train_loss ?? NaN, frame.test_loss ?? NaN,
      frame.train_metric ?? NaN, frame.test_metric ?? NaN]);
  }
  s.current = item;
  drawBoundary(s, scene, frame, arrays);
  drawCurves(s, scene, frame);
  if (s.diagram) drawDiagram(s, scene, frame, arrays);
  s.drawn += 1;
  if (s.hover) s.hover();  // a tooltip shown follows the new frame
  s.root.dataset.epoch = String(frame.epoch);
  s.root.dataset.scene = scene.raw.id;
  s.root.dataset.points = String(scene.points.marker.length);
  window.__npLiveState = { epoch: frame.epoch, scene: scene.raw.id, points: scene.points.marker.length };
  s.root.dataset.frames = String(s.drawn);
  // For the benchmark (benchmarks/playground_live.py): how many frames, and when.
  window.__npLiveFrames = (window.__npLiveFrames || 0) + 1;
  const times = (window.__npFrameTimes = window.__npFrameTimes || []);
  if (times.length < 100000) times.push(performance.now());
}

function loop(s, now) {
  // One frame per `spacing` ms on average while frames wait, on the screen's refresh ticks: each
  // frame is due `spacing` after the one before (so 48 frames/s on a 60 Hz screen alternate one
  // and two ticks, rather than falling to every other tick). More than two payloads behind:
  // skip ahead; after a wait (the queue ran dry), start counting again from now.
  if (s.queue.length > 2 * s.perPayload) s.queue.splice(0, s.queue.length - s.perPayload);
  if (s.queue.length) {
    if (!(s.due > now - 100)) s.due = now;
    if (now >= s.due - 2) {
      s.due += s.spacing;
      show(s, s.queue.shift());
    }
  }
  s.raf = requestAnimationFrame((t) => loop(s, t));
}

function build(parentElement, withDiagram) {
  const root = document.createElement('div');
  root.className = 'np-live';
  const left = document.createElement('div');
  left.className = 'np-live-left';
  root.appendChild(left);
  const s = { root, queue: [], drawn: 0, due: 0, spacing: 33, perPayload: 1, extra: [], scene: null };
  s.boundary = makeCanvas(left, 398, 388, 'decision boundary with the training points');
  s.curves = makeCanvas(left, 460, 220, 'loss and accuracy curves');
  if (withDiagram) {
    const right = document.createElement('div');
    right.className = 'np-live-right';
    root.appendChild(right);
    s.diagram = makeCanvas(right, 400, 300, 'network diagram');
    const legend = document.createElement('p');
    legend.className = 'np-live-legend';
    right.appendChild(legend);
    s.legend = legend;
  }
  const tip = document.createElement('div');
  tip.className = 'np-live-tip';
  root.appendChild(tip);
  s.tip = tip;
  listen(s, s.boundary, planeTip, (lx, ly) => planeClick(s, lx, ly));
  listen(s, s.curves, (state, lx) => curvesTip(state, lx), null);
  if (s.diagram) listen(s, s.diagram, diagramTip, (lx, ly) => diagramClick(s, lx, ly));
  parentElement.appendChild(root);
  return s;
}

export default function (component) {
  const { data, parentElement } = component;
  if (!data) return undefined;
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data.buffer || data);
  const payload = readPayload(bytes);
  if (!payload) return undefined;
  const { header, arrays } = payload;
  const withDiagram = !!header.scene.diagram;
  let s = parentElement.__npLive;
  if (!s || s.withDiagram !== withDiagram) {
    if (s) { cancelAnimationFrame(s.raf); s.root.remove(); }
    s = build(parentElement, withDiagram);
    s.withDiagram = withDiagram;
    parentElement.__npLive = s;
  }
  if (s.legend) s.legend.textContent = header.scene.legend || '';
  s.setTrigger = component.setTriggerValue;
  s.editable = !!header.editable;  // "Your points": a click adds or removes a point
  s.clickable = !!header.clickable;  // a neuron's click opens it in the inspector
  s.boundary.canvas.style.cursor = s.editable ? 'crosshair' : 'default';
  s.root.dataset.playing = String(!!header.playing);
  const scene = prepareScene(s, header, arrays);
  const items = header.frames.map((frame) => ({ scene, frame, arrays }));
  s.perPayload = Math.max(1, items.length);
  s.spacing = header.spacing_ms || 33;
  if (!header.playing) {
    s.queue = [];
    show(s, items[items.length - 1]);
  } else {
    s.queue.push(...items);
  }
  if (!s.raf) s.raf = requestAnimationFrame((t) => loop(s, t));
  return () => { cancelAnimationFrame(s.raf); s.raf = 0; };
}
