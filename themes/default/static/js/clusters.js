// The main thread's side of cluster-worker.js: hands it the shown points as transferable
// typed arrays and asks it for the clusters of a view. Answers to superseded questions are
// dropped, so a fast pan never draws a stale view.

/** A clusterer on a worker; `workerUrl` and `libUrl` (supercluster) from config.assets. */
export function createClusterer(workerUrl, libUrl, onError) {
  const worker = new Worker(workerUrl);
  const waiting = new Map(); // seq -> resolve
  let seq = 0;
  let latestQuery = 0;
  worker.postMessage({ type: "init", lib: new URL(libUrl, location.href).href });
  worker.onmessage = ({ data }) => {
    if (data.type === "error") {
      onError(data.message);
      waiting.get(data.seq)?.(null);
      waiting.delete(data.seq);
      return;
    }
    if (data.type === "loaded") {
      // For benchmarks/frontend.py: the worker's own time to index the points.
      performance.mark("sitegen:cluster-load", { detail: { ms: data.ms, points: data.n } });
      return;
    }
    const resolve = waiting.get(data.seq);
    waiting.delete(data.seq);
    if (!resolve) return;
    if (data.type === "clusters" && data.seq !== latestQuery) resolve(null);
    else resolve(data);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    onError(event.message);
  };

  function ask(message, transfer = []) {
    message.seq = ++seq;
    return new Promise((resolve) => {
      waiting.set(message.seq, resolve);
      worker.postMessage(message, transfer);
    });
  }

  return {
    /** Replaces the clustered points; the arrays are moved to the worker, not copied. */
    load(coords, refs) {
      worker.postMessage({ type: "load", coords, refs }, [coords.buffer, refs.buffer]);
    },
    /** The clusters and single points in `bbox` at `zoom`, or null if a newer query came. */
    query(bbox, zoom) {
      const message = { type: "query", bbox, zoom };
      const answer = ask(message);
      latestQuery = message.seq;
      return answer;
    },
    /** The zoom at which a cluster splits. */
    expansionZoom: (id) => ask({ type: "expand", id }).then((data) => data?.zoom ?? null),
  };
}
