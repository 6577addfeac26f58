/* Marker clustering off the main thread: a classic worker around supercluster.
 *
 * Messages in:   {type: "init", lib}                      lib = supercluster's URL
 *                {type: "load", coords, refs}             Float64Array [x, y, …], Uint32Array
 *                                                         (category << 24 | point index)
 *                {type: "query", seq, bbox, zoom}         bbox = [west, south, east, north]
 *                {type: "expand", seq, id}                a cluster's id
 * Messages out:  {type: "loaded", n, ms}
 *                {type: "clusters", seq, xy, count, id, cat}   typed arrays, transferred:
 *                  count 1 = a single point whose id is its ref; cat = category, -1 = mixed
 *                {type: "expansion", seq, zoom}
 *                {type: "error", message}
 */
/* global Supercluster */
"use strict";

let index = null;

function load({ coords, refs }) {
  const started = performance.now();
  const features = new Array(refs.length);
  for (let i = 0; i < refs.length; i++) {
    features[i] = {
      type: "Feature",
      geometry: { type: "Point", coordinates: [coords[2 * i], coords[2 * i + 1]] },
      properties: { k: refs[i] >>> 24, r: refs[i] },
    };
  }
  index = new Supercluster({
    radius: 64,
    maxZoom: 17,
    minPoints: 2,
    map: (props) => ({ k: props.k }),
    reduce: (acc, props) => {
      if (acc.k !== props.k) acc.k = -1;
    },
  }).load(features);
  self.postMessage({ type: "loaded", n: refs.length, ms: performance.now() - started });
}

function query({ seq, bbox, zoom }) {
  const found = index ? index.getClusters(bbox, zoom) : [];
  const n = found.length;
  const xy = new Float64Array(2 * n);
  const count = new Uint32Array(n);
  const id = new Float64Array(n);
  const cat = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const { geometry, properties } = found[i];
    xy[2 * i] = geometry.coordinates[0];
    xy[2 * i + 1] = geometry.coordinates[1];
    const cluster = properties.cluster === true;
    count[i] = cluster ? properties.point_count : 1;
    id[i] = cluster ? properties.cluster_id : properties.r;
    cat[i] = properties.k;
  }
  self.postMessage(
    { type: "clusters", seq, xy, count, id, cat },
    [xy.buffer, count.buffer, id.buffer, cat.buffer],
  );
}

self.onmessage = ({ data }) => {
  try {
    if (data.type === "init") importScripts(data.lib);
    else if (data.type === "load") load(data);
    else if (data.type === "query") query(data);
    else if (data.type === "expand") {
      self.postMessage({ type: "expansion", seq: data.seq, zoom: index.getClusterExpansionZoom(data.id) });
    }
  } catch (error) {
    self.postMessage({ type: "error", seq: data.seq, message: String(error) });
  }
};
