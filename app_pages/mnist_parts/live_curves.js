// The MNIST page's live curves: the mini-batch loss, the loss per epoch and the accuracy per
// epoch, drawn on three canvases from the compact numbers of core/mnist/live_curves.py. Plain
// JavaScript, no library, nothing fetched: Streamlit serves it inline. Drawing all three takes
// well under a millisecond, so the browser stays free while the server trains.
//
// Streamlit calls the default export with every new data, on the same parentElement while the
// component stays mounted (the page gives it a fixed key); the canvases live on that element.

const FONT = '"Source Sans Pro", Helvetica, Arial, sans-serif';
const TRAIN = '#1f77b4';
const VAL = '#ff7f0e';
const WIDTH = 420, HEIGHT = 260, LEFT = 46, RIGHT = 10, TOP = 26, BOTTOM = 34;

// tickValues and tickText: app_pages/components/canvas_common.js.

function label(v, percent) {
  return percent ? Math.round(v * 100) + '%' : tickText(v);
}

function makePanel(root, title) {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', title);
  canvas.style.display = 'block';
  canvas.style.width = '100%';
  canvas.style.maxWidth = WIDTH + 'px';
  canvas.style.aspectRatio = WIDTH + ' / ' + HEIGHT;
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  canvas.width = Math.round(WIDTH * dpr);
  canvas.height = Math.round(HEIGHT * dpr);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const cell = document.createElement('div');
  cell.className = 'np-curves-cell';
  cell.appendChild(canvas);
  root.appendChild(cell);
  return { canvas, ctx, title };
}

function extent(lists, fallbackLo, fallbackHi) {
  let lo = Infinity, hi = -Infinity;
  for (const list of lists) for (const v of list) {
    if (v === null || !isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!isFinite(lo)) return [fallbackLo, fallbackHi];
  if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
  return [lo, hi];
}

function drawPanel(panel, series, xRange, yRange, opts) {
  // series: [{x, y, colour, markers, width}]; None (null) values leave a gap.
  const { ctx } = panel;
  const pw = WIDTH - LEFT - RIGHT, ph = HEIGHT - TOP - BOTTOM;
  const [x0, x1] = xRange, [y0, y1] = yRange;
  const sx = (v) => LEFT + (v - x0) / (x1 - x0 || 1) * pw;
  const sy = (v) => TOP + ph - (v - y0) / (y1 - y0 || 1) * ph;
  ctx.clearRect(0, 0, WIDTH, HEIGHT);
  ctx.font = '14px ' + FONT;
  ctx.fillStyle = '#31333F';
  ctx.textAlign = 'left';
  ctx.fillText(panel.title, LEFT, 16);
  ctx.font = '10px ' + FONT;
  ctx.fillStyle = '#555';
  ctx.strokeStyle = '#eee';
  ctx.lineWidth = 1;
  ctx.textAlign = 'center';
  for (const v of tickValues(x0, x1, 6)) {
    ctx.beginPath(); ctx.moveTo(sx(v), TOP); ctx.lineTo(sx(v), TOP + ph); ctx.stroke();
    ctx.fillText(label(v, false), sx(v), TOP + ph + 13);
  }
  ctx.fillText('epoch', LEFT + pw / 2, TOP + ph + 28);
  ctx.textAlign = 'right';
  for (const v of tickValues(y0, y1, 5)) {
    ctx.beginPath(); ctx.moveTo(LEFT, sy(v)); ctx.lineTo(LEFT + pw, sy(v)); ctx.stroke();
    ctx.fillText(label(v, opts.percent), LEFT - 4, sy(v) + 3.5);
  }
  ctx.save();
  ctx.beginPath();
  ctx.rect(LEFT, TOP - 4, pw, ph + 8);
  ctx.clip();
  for (const s of series) {
    ctx.strokeStyle = s.colour;
    ctx.fillStyle = s.colour;
    ctx.lineWidth = s.width || 1.5;
    ctx.beginPath();
    let open = false;
    for (let i = 0; i < s.x.length; i++) {
      const v = s.y[i];
      if (v === null || v === undefined || !isFinite(v)) { open = false; continue; }
      if (open) ctx.lineTo(sx(s.x[i]), sy(v)); else ctx.moveTo(sx(s.x[i]), sy(v));
      open = true;
    }
    ctx.stroke();
    if (s.markers) {
      for (let i = 0; i < s.x.length; i++) {
        const v = s.y[i];
        if (v === null || !isFinite(v)) continue;
        ctx.beginPath(); ctx.arc(sx(s.x[i]), sy(v), 2.5, 0, 2 * Math.PI); ctx.fill();
      }
    }
  }
  ctx.restore();
  if (opts.empty) {
    ctx.textAlign = 'center';
    ctx.fillStyle = 'rgba(49,51,63,0.6)';
    ctx.font = '13px ' + FONT;
    ctx.fillText(opts.empty, LEFT + pw / 2, TOP + ph / 2);
  }
}

function build(parentElement) {
  const root = document.createElement('div');
  root.className = 'np-curves';
  const s = {
    root,
    batch: makePanel(root, 'Mini-batch loss'),
    loss: makePanel(root, 'Loss per epoch'),
    acc: makePanel(root, 'Accuracy per epoch'),
  };
  const legend = document.createElement('p');
  legend.className = 'np-curves-legend';
  legend.innerHTML = '';
  for (const [name, colour] of [['train', TRAIN], ['validation', VAL]]) {
    const key = document.createElement('span');
    key.style.color = colour;
    key.textContent = '━ ';
    legend.appendChild(key);
    legend.appendChild(document.createTextNode(name + '   '));
  }
  root.appendChild(legend);
  parentElement.appendChild(root);
  return s;
}

export default function (component) {
  const { data, parentElement } = component;
  if (!data || !data.batch) return undefined;
  let s = parentElement.__npCurves;
  if (!s) {
    s = build(parentElement);
    parentElement.__npCurves = s;
  }
  s.root.dataset.playing = String(!!data.playing);
  const b = data.batch, e = data.epoch;
  const total = Math.max(1, data.epochs_total || 1);
  const bx = extent([b.x], 0, 1);
  drawPanel(s.batch, [{ x: b.x, y: b.y, colour: TRAIN, width: 1 }], [0, Math.max(bx[1], Math.min(total, 1))],
    extent([b.y], 0, 1).map((v, i) => (i === 0 ? Math.min(0, v) : v * 1.05)),
    { percent: false, empty: b.x.length ? '' : 'the first mini-batches are training ...' });
  const xEpochs = [0, Math.max(total, 1)];
  const noEpoch = e.x.length ? '' : 'the first epoch is under way ...';
  const lossY = extent([e.train_loss, e.val_loss], 0, 1);
  drawPanel(s.loss, [
    { x: e.x, y: e.train_loss, colour: TRAIN, markers: true },
    { x: e.x, y: e.val_loss, colour: VAL, markers: true },
  ], xEpochs, [Math.min(0, lossY[0]), lossY[1] * 1.05], { percent: false, empty: noEpoch });
  const accY = extent([e.train_acc, e.val_acc], 0, 1);
  drawPanel(s.acc, [
    { x: e.x, y: e.train_acc, colour: TRAIN, markers: true },
    { x: e.x, y: e.val_acc, colour: VAL, markers: true },
  ], xEpochs, [Math.max(0, Math.floor(accY[0] * 10) / 10), 1], { percent: true, empty: noEpoch });
  return undefined;
}
