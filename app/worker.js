// The validation Web Worker: runs the order-file validator (wasm) off the page's thread and
// reports progress. build-spa.sh fills in the hashed names of the validator's files.
import init, { validate_order } from '/__VALIDATOR_JS__';

const ready = init({ module_or_path: '/__VALIDATOR_WASM__' });

self.onmessage = async (event) => {
  const { file, today } = event.data;
  try {
    await ready;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const total = bytes.length;
    const started = performance.now();
    const json = validate_order(bytes, today, (done) => self.postMessage({ type: 'progress', done, total }));
    self.postMessage({ type: 'result', json, millis: performance.now() - started, total });
  } catch (error) {
    self.postMessage({ type: 'error', message: String(error) });
  }
};
