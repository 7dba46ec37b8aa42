// The validation Web Worker: runs the order-file validator (wasm) off the page's thread and
// reports progress. build-spa.sh fills in the hashed names of the validator's files.
//
// An XML file is first read in pieces by the validator's fast path (the file is never whole in
// memory); a large one in two parts at once, the second read by a helper worker (this same
// script). When the fast path cannot conclude (an error, or an unusual construct), the whole
// file is read and the full validator writes the report.
import init, { validate_order, convert_sheet, PieceCheck, find_cut } from '/__VALIDATOR_JS__';

const ready = init({ module_or_path: '/__VALIDATOR_WASM__' });

// The helper's validation time, when there is one.
let helperBusy = 0;

// Files from this size are read in two parts by two workers.
const PARALLEL_FROM = 8 << 20;
// Where the cut between the parts is looked for: this much from the middle of the file.
const CUT_WINDOW = 1 << 20;

// Milliseconds spent validating (in the validator's calls, not waiting for the file), by this
// worker and its helper: reported beside the total for the benchmark.
let busy = 0;
function timed(f) {
  const t = performance.now();
  const r = f();
  busy += performance.now() - t;
  return r;
}

// Reads `blob` piece by piece into a PieceCheck; `progress(bytes)` after each piece.
// Returns the check, finished, or null when the fast path gave up.
async function readPart(blob, today, first, last, progress) {
  const check = new PieceCheck(today, first, last);
  const reader = blob.stream().getReader();
  let done = 0;
  for (;;) {
    const { done: end, value } = await reader.read();
    if (end) break;
    if (!timed(() => check.feed(value))) {
      await reader.cancel();
      check.free();
      return null;
    }
    done += value.length;
    progress(done);
  }
  if (!timed(() => check.finish())) {
    check.free();
    return null;
  }
  return check;
}

// The helper worker, started ahead (loading the validator takes a moment) by the page's worker,
// not by a helper.
const IS_HELPER = self.name === 'tom-aide';
let spare = null;
function startHelper() {
  if (!IS_HELPER && typeof Worker !== 'undefined') {
    spare = new Worker(new URL(import.meta.url), { type: 'module', name: 'tom-aide' });
  }
}
function takeHelper() {
  const helper = spare || new Worker(new URL(import.meta.url), { type: 'module', name: 'tom-aide' });
  spare = null;
  // Ready for the next file.
  startHelper();
  return helper;
}
startHelper();

// The fast path over the whole file: its number of operations when it is valid, else null.
async function fastCheck(file, today, progress) {
  const size = file.size;
  let cut = -1;
  if (size >= PARALLEL_FROM && typeof Worker !== 'undefined') {
    const mid = Math.floor(size / 2);
    const window = new Uint8Array(await file.slice(mid, Math.min(size, mid + CUT_WINDOW)).arrayBuffer());
    const at = find_cut(window);
    if (at >= 0) cut = mid + at;
  }
  if (cut < 0) {
    const check = await readPart(file, today, true, true, progress);
    if (!check) return null;
    const operations = check.operations();
    check.free();
    return operations;
  }
  let mine = 0;
  let theirs = 0;
  const helper = takeHelper();
  const rest = new Promise((resolve) => {
    helper.onmessage = (event) => {
      const data = event.data;
      if (data.type === 'part-progress') {
        theirs = data.done;
        progress(mine + theirs);
      } else {
        resolve(data.type === 'part' ? data : null);
      }
    };
    helper.onerror = () => resolve(null);
  });
  helper.postMessage({ part: { file, start: cut, end: size, today } });
  const check = await readPart(file.slice(0, cut), today, true, false, (done) => {
    mine = done;
    progress(mine + theirs);
  });
  if (!check) {
    helper.terminate();
    return null;
  }
  const other = await rest;
  helper.terminate();
  if (other) helperBusy = other.busy;
  const total = other
    ? timed(() => check.merge_with(other.operations, other.elements, new Uint8Array(other.keys)))
    : -1;
  check.free();
  return total >= 0 ? total : null;
}

// The helper's side: one part of the file, its outcome sent back with its holder keys.
async function checkPart({ file, start, end, today }) {
  const check = await readPart(file.slice(start, end), today, false, true, (done) =>
    self.postMessage({ type: 'part-progress', done }));
  if (!check) {
    self.postMessage({ type: 'part-unsure' });
    return;
  }
  const keys = check.keys();
  self.postMessage(
    { type: 'part', operations: check.operations(), elements: check.elements(), keys: keys.buffer, busy },
    [keys.buffer],
  );
  check.free();
}

self.onmessage = async (event) => {
  const { file, today, sheet, header, part } = event.data;
  try {
    await ready;
    if (part) {
      await checkPart(part);
      return;
    }
    if (sheet) {
      // A filled spreadsheet template, converted to the XML order here (the conversion of
      // `tom order convert`); the page then has the XML checked like a file.
      const bytes = new Uint8Array(await file.arrayBuffer());
      self.postMessage({ type: 'table', json: convert_sheet(bytes, header) });
      return;
    }
    const total = file.size;
    const started = performance.now();
    busy = 0;
    helperBusy = 0;
    const progress = (done) => self.postMessage({ type: 'progress', done, total });
    const operations = await fastCheck(file, today, progress);
    let json;
    if (operations !== null) {
      json = JSON.stringify({ valid: true, operations, errors: [] });
    } else {
      const bytes = new Uint8Array(await file.arrayBuffer());
      json = timed(() => validate_order(bytes, today, progress));
    }
    // millis: from the start to the verdict, reading the file included (what the page shows);
    // busy: validating, this worker then its helper (their sum is the work, the larger one
    // is the time if reading were instant).
    self.postMessage({
      type: 'result', json, millis: performance.now() - started, total, busy: [busy, helperBusy],
    });
  } catch (error) {
    self.postMessage({ type: 'error', message: String(error) });
  }
};
