// The clustered points, drawn on one canvas instead of one element per marker: a phone redraws
// a view of hundreds of clusters in a few milliseconds, where as many marker elements cost it
// seconds of style and layout. A tap is matched to the nearest drawn marker.
//
// The markers repeat the list for the eyes (the list is the way in for keyboards and screen
// readers), so the canvas is hidden from assistive technology, as the marker pane was.

const PAD = 0.25; // the canvas reaches this far past each edge, so a short drag shows no gap
const PIN_R = 9; // a single place
const TAP_SLOP = 8; // px around a marker that still count as a tap on it

function clusterRadius(count) {
  return count < 10 ? 16 : count < 100 ? 19 : 23;
}

function label(count) {
  return count < 10000 ? String(count) : `${Math.round(count / 1000)}k`;
}

/**
 * A canvas layer on `map` (Leaflet `L`), in its own pane. `colours[category]` is each kind's
 * colour; `onTap(item)` gets `{count, id, cat, lng, lat}` of the marker tapped.
 */
export function createClusterLayer(L, map, { colours, onTap }) {
  const pane = map.createPane("clusters");
  pane.style.zIndex = "450"; // over the tiles, under the listed results and the person
  pane.style.pointerEvents = "none";
  pane.setAttribute("aria-hidden", "true");
  const canvas = document.createElement("canvas");
  canvas.className = "cluster-canvas";
  pane.append(canvas);
  const context = canvas.getContext("2d");
  let items = []; // what is drawn: {x, y, r, count, id, cat, lng, lat} in container pixels
  let answer = null;
  let origin = L.point(0, 0); // layer point of the canvas's top left corner
  let font = null;

  function draw() {
    const size = map.getSize();
    const ratio = window.devicePixelRatio || 1;
    const pad = size.multiplyBy(PAD).round();
    const width = size.x + 2 * pad.x;
    const height = size.y + 2 * pad.y;
    origin = map.containerPointToLayerPoint([-pad.x, -pad.y]).round();
    L.DomUtil.setPosition(canvas, origin);
    // Setting a canvas's size clears it and allocates its bitmap again: only when it changed.
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    items = [];
    if (!answer) return;
    context.textAlign = "center";
    context.textBaseline = "middle";
    // The page's font, read once: reading a computed style makes the browser restyle first.
    font ??= `700 12px ${getComputedStyle(map.getContainer()).fontFamily}`;
    context.font = font;
    for (let n = 0; n < answer.count.length; n++) {
      const lat = answer.xy[2 * n + 1];
      const lng = answer.xy[2 * n];
      const at = map.latLngToContainerPoint([lat, lng]);
      const x = at.x + pad.x;
      const y = at.y + pad.y;
      if (x < -30 || y < -30 || x > width + 30 || y > height + 30) continue;
      const count = answer.count[n];
      const cat = answer.cat[n];
      const colour = colours[cat] ?? "#455a64";
      const r = count > 1 ? clusterRadius(count) : PIN_R;
      items.push({ x: at.x, y: at.y, r, count, id: answer.id[n], cat, lng, lat });
      if (count > 1) drawCluster(x, y, r, colour, label(count));
      else drawPin(x, y, colour);
    }
  }

  function drawCluster(x, y, r, colour, text) {
    context.beginPath();
    context.arc(x, y, r, 0, 2 * Math.PI);
    context.fillStyle = "#ffffff";
    context.fill();
    context.lineWidth = 4;
    context.strokeStyle = colour;
    context.stroke();
    context.fillStyle = "#1b1f23";
    context.fillText(text, x, y + 0.5);
  }

  // A pin: a round head with a point below it, the same shape as the listed results' pins.
  function drawPin(x, y, colour) {
    context.beginPath();
    context.moveTo(x, y + PIN_R + 4);
    context.arc(x, y, PIN_R, Math.PI * 0.75, Math.PI * 0.25);
    context.closePath();
    context.fillStyle = colour;
    context.fill();
    context.lineWidth = 2;
    context.strokeStyle = "#ffffff";
    context.stroke();
  }

  function hit(point) {
    let best = null;
    for (const item of items) {
      const d = Math.hypot(item.x - point.x, item.y - point.y);
      if (d <= item.r + TAP_SLOP && (!best || d < best.d)) best = { d, item };
    }
    return best?.item ?? null;
  }

  map.on("click", (event) => {
    const item = hit(event.containerPoint);
    if (item) onTap(item);
  });
  map.on("mousemove", (event) => {
    map.getContainer().classList.toggle("over-marker", Boolean(hit(event.containerPoint)));
  });
  // While the map zooms the drawing would be at the wrong scale: hidden until redrawn.
  map.on("zoomstart", () => {
    canvas.hidden = true;
  });
  map.on("resize", draw);

  return {
    /** Draws the worker's answer ({xy, count, id, cat}) for the current view. */
    show(next) {
      answer = next;
      draw();
      canvas.hidden = false;
    },
    clear() {
      answer = null;
      draw();
    },
    /** How many markers are drawn (for the tests and benchmarks/frontend.py). */
    count: () => items.length,
  };
}
