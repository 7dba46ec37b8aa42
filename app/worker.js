// The validation Web Worker: runs the order-file validator (wasm) off the page's thread and
// reports progress. build-spa.sh fills in the hashed names of the validator's files.
import init, { validate_order, read_sheet } from '/__VALIDATOR_JS__';

const ready = init({ module_or_path: '/__VALIDATOR_WASM__' });

self.onmessage = async (event) => {
  const { file, today, sheet, xlsx } = event.data;
  try {
    await ready;
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (sheet) {
      // A filled spreadsheet template: its rows go back to the page, which makes the XML.
      self.postMessage({ type: 'table', json: read_sheet(bytes, Boolean(xlsx)) });
      return;
    }
    const total = bytes.length;
    const started = performance.now();
    const json = validate_order(bytes, today, (done) => self.postMessage({ type: 'progress', done, total }));
    self.postMessage({ type: 'result', json, millis: performance.now() - started, total });
  } catch (error) {
    self.postMessage({ type: 'error', message: String(error) });
  }
};
