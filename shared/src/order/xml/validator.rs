//! The order validator's conductor: tries the fast path (whole, in parallel parts or in pieces)
//! and, when it gives way, runs the full reader, which writes the report.
//!
//! Over a file in memory, the fast path carries on past the operations it cannot conclude on
//! and the full reader reads only those ([`super::chain`]), unless a check says it must read
//! the whole file; over pieces, the fast path gives way at the first doubt.
//!
//! Neither reader knows the other: both take [`Settings`], the schema tables and the rules'
//! bindings; this module decides which runs, releases the bytes behind them, cuts a file into
//! parts and compares the parts' holder keys.

use std::borrow::Cow;

use crate::date::Date;
use crate::message::Message;
use crate::order::errors::{codes, Severity, ValidationError};
use crate::order::xml::chain::{conclude, Outcome, PartScan};
pub use crate::order::xml::encoding::Transcoded;
use crate::order::xml::encoding::{detect, to_utf8, transcode_into, BadUtf16, Encoding};
use crate::order::xml::fast::{Fast, Verdict};
use crate::order::xml::keys::{Keys, SPILL_FROM};
use crate::order::xml::read::Full;
pub use crate::order::xml::read::Report;
use crate::order::xml::schema::El;
use crate::order::xml::{bom_len, Settings};

/// Validates a whole order file. `today` anchors the date rules (the crate never reads a clock).
pub fn validate(bytes: &[u8], today: Date) -> Report {
    Validator::new(today).validate(bytes)
}

/// Validation settings; [`Validator::start`] gives a step-by-step run for progress reporting.
#[derive(Clone, Debug)]
pub struct Validator {
    settings: Settings,
    fast_path: bool,
    parallel_from: usize,
}

impl Validator {
    /// Defaults: 1000 errors, depth 32, 8 million elements, 4096 bytes of text per value.
    pub fn new(today: Date) -> Validator {
        Validator {
            settings: Settings {
                encoding: Encoding::Utf8,
                today,
                errors: 1000,
                depth: 32,
                elements: 8_000_000,
                text_bytes: 4096,
                keys_in_memory: SPILL_FROM,
                build_model: true,
            },
            fast_path: true,
            parallel_from: 8 << 20,
        }
    }

    /// Stop after this many findings (a last error then says the limit was reached).
    pub fn max_errors(mut self, n: usize) -> Validator {
        self.settings.errors = n.max(1);
        self
    }

    pub fn max_depth(mut self, n: usize) -> Validator {
        self.settings.depth = n.max(1);
        self
    }

    pub fn max_elements(mut self, n: usize) -> Validator {
        self.settings.elements = n;
        self
    }

    pub fn max_text_bytes(mut self, n: usize) -> Validator {
        self.settings.text_bytes = n;
        self
    }

    /// Whether to build the [`Order`](crate::order::Order) (off: validation only, e.g. in the
    /// browser).
    pub fn build_model(mut self, yes: bool) -> Validator {
        self.settings.build_model = yes;
        self
    }

    /// Whether a validation without the model first tries the fast path, which proves a
    /// valid file valid at several times the full reader's speed and gives way to it at the
    /// first doubt (default: yes). Off, the full reader runs alone: the reports are the same,
    /// which the tests check by comparing the two.
    pub fn fast_path(mut self, yes: bool) -> Validator {
        self.fast_path = yes;
        self
    }

    /// Below this size (default 8 MiB), [`Validator::validate_releasing`] uses one thread.
    pub fn parallel_from(mut self, bytes: usize) -> Validator {
        self.parallel_from = bytes;
        self
    }

    /// For [`Validator::validate_releasing`]: beyond this many holder keys (8 bytes each,
    /// for the "same holder twice" rule; default 524 288), the fast path writes them in sorted
    /// runs to unnamed temporary files, so that memory does not grow with the file.
    pub fn holder_keys_in_memory(mut self, n: usize) -> Validator {
        self.settings.keys_in_memory = n;
        self
    }

    /// Whether the fast path is tried first (validation only: it builds no model).
    fn tries_fast_path(&self) -> bool {
        self.fast_path && !self.settings.build_model
    }

    pub fn validate(&self, bytes: &[u8]) -> Report {
        match as_utf8(bytes) {
            Ok((text, encoding)) => self.start_utf8(&text, encoding).finish(),
            Err(refusal) => *refusal,
        }
    }

    /// Validates, calling `on_progress(bytes_done)` about every `step` bytes and at the end.
    pub fn validate_with_progress(
        &self,
        bytes: &[u8],
        step: usize,
        mut on_progress: impl FnMut(usize),
    ) -> Report {
        let (text, encoding) = match as_utf8(bytes) {
            Ok(input) => input,
            Err(refusal) => {
                on_progress(bytes.len());
                return *refusal;
            }
        };
        // Progress is told in bytes of the user's file, whatever the transcoded text's length.
        let in_file = |done: usize| {
            if text.len() == bytes.len() {
                done
            } else {
                (done as u128 * bytes.len() as u128 / text.len().max(1) as u128) as usize
            }
        };
        let mut run = self.start_utf8(&text, encoding);
        while !run.step(step.max(1)) {
            on_progress(in_file(run.bytes_done()));
        }
        on_progress(bytes.len());
        run.finish()
    }

    /// Validates bytes that need not all stay in memory (a memory-mapped file) and may be
    /// read by several threads: `release(from, to)` is called as the validator moves on,
    /// meaning the bytes in `from..to` will rarely be read again (only to locate an error in an
    /// element that began there), so the caller may drop them from memory. Without the model,
    /// a large file is proven valid by the fast path in `threads` parts at once; the report is
    /// the same as [`Validator::validate`]'s.
    pub fn validate_releasing(
        &self,
        bytes: &[u8],
        threads: usize,
        release: impl Fn(usize, usize) + Sync,
    ) -> Report {
        match as_utf8(bytes) {
            Err(refusal) => *refusal,
            Ok((Cow::Borrowed(text), encoding)) => {
                self.releasing_utf8(text, encoding, threads, &release)
            }
            // Transcoded whole: the file's bytes are not read again.
            Ok((Cow::Owned(text), encoding)) => {
                release(0, bytes.len());
                self.releasing_utf8(&text, encoding, threads, &|_, _| {})
            }
        }
    }

    /// [`Validator::validate_releasing`] over the UTF-8 text that [`transcode`] wrote from a
    /// file in another encoding (its declaration still names that encoding): the same report as
    /// for the file itself, lines and columns those of the user's file.
    pub fn validate_releasing_transcoded(
        &self,
        text: &[u8],
        from: Transcoded,
        threads: usize,
        release: impl Fn(usize, usize) + Sync,
    ) -> Report {
        self.releasing_utf8(text, from.0, threads, &release)
    }

    /// [`Validator::validate_releasing`] over UTF-8 bytes (or ASCII ones declared in another
    /// encoding), found in `encoding`.
    fn releasing_utf8(
        &self,
        bytes: &[u8],
        encoding: Encoding,
        threads: usize,
        release: &(dyn Fn(usize, usize) + Sync),
    ) -> Report {
        let settings = Settings {
            encoding,
            ..self.settings
        };
        if self.tries_fast_path() {
            let mut suspects = Vec::new();
            loop {
                #[cfg(not(target_arch = "wasm32"))]
                let parts = if threads > 1 && bytes.len() >= self.parallel_from {
                    scan_in_parallel(bytes, settings, threads, release, &suspects)
                } else {
                    scan(bytes, settings, release, &suspects)
                };
                #[cfg(target_arch = "wasm32")]
                let parts = {
                    let _ = threads;
                    scan(bytes, settings, release, &suspects)
                };
                let Some(parts) = parts else {
                    break;
                };
                match conclude(bytes, settings, parts, &suspects, release) {
                    Outcome::Report(report) => return report,
                    Outcome::Again(shared) if suspects.is_empty() => suspects = shared,
                    _ => break,
                }
            }
        }
        // The full reader: first the UTF-8 check, releasing as it goes, then the parsing pass.
        let base = bom_len(bytes);
        let mut behind = Behind::new(release, 0);
        let mut at = base;
        while at < bytes.len() {
            let end = (at + STEP).min(bytes.len());
            match std::str::from_utf8(&bytes[at..end]) {
                Ok(_) => at = end,
                // A character cut by the chunk's end: go on from its first byte.
                Err(e) if e.error_len().is_none() && end < bytes.len() && e.valid_up_to() > 0 => {
                    at += e.valid_up_to();
                }
                // Invalid UTF-8: the ordinary run reports it with its position.
                Err(_) => return Full::new(settings, bytes).in_encoding(encoding).finish(),
            }
            behind.upto(at);
        }
        debug_assert!(std::str::from_utf8(&bytes[base..]).is_ok());
        // SAFETY: every byte from `base` to the end was just checked, in chunks cut only at
        // character boundaries.
        let text = unsafe { std::str::from_utf8_unchecked(&bytes[base..]) };
        // The parsing pass goes forward from the start again.
        let mut behind = Behind::new(release, 0);
        let mut run = Full::over_text(settings, bytes, text, base).in_encoding(encoding);
        while !run.step(STEP) {
            behind.upto(run.bytes_done().saturating_sub(MARGIN));
        }
        run.finish()
    }

    /// The fast path over a file read in pieces, or over one of its parts (`first`: it holds
    /// the file's beginning; `last`: its end). See [`FastCheck`].
    pub fn fast_check(&self, first: bool, last: bool) -> FastCheck {
        FastCheck {
            fast: Some(Fast::part(
                &[],
                first,
                last,
                self.settings,
                Keys::in_memory(),
            )),
            carry: Vec::new(),
        }
    }

    /// The bound on elements, for [`merge`].
    pub fn element_limit(&self) -> usize {
        self.settings.elements
    }

    /// Starts a run that the caller drives with [`Validation::step`] (e.g. a Web Worker posting
    /// progress between steps).
    ///
    /// A file in an encoding other than UTF-8 (and not only ASCII) is transcoded and read
    /// here at once: the run is then finished from the start.
    pub fn start<'a>(&self, bytes: &'a [u8]) -> Validation<'a> {
        let report = match as_utf8(bytes) {
            Ok((Cow::Borrowed(text), encoding)) => return self.start_utf8(text, encoding),
            Ok((Cow::Owned(text), encoding)) => self.start_utf8(&text, encoding).finish(),
            Err(refusal) => *refusal,
        };
        Validation {
            settings: self.settings,
            bytes,
            encoding: Encoding::Utf8,
            stage: Stage::Done(Box::new(report)),
            shown: 0,
        }
    }

    /// A run over UTF-8 bytes (or ASCII ones declared in another encoding) found in
    /// `encoding`.
    fn start_utf8<'a>(&self, bytes: &'a [u8], encoding: Encoding) -> Validation<'a> {
        let settings = Settings {
            encoding,
            ..self.settings
        };
        let stage = if self.tries_fast_path() {
            Stage::Fast(
                Box::new(Fast::new(bytes, settings, Keys::in_memory()).carry_on(Vec::new())),
                Vec::new(),
            )
        } else {
            Stage::Full(Box::new(Full::new(settings, bytes).in_encoding(encoding)))
        };
        Validation {
            settings,
            bytes,
            encoding,
            stage,
            shown: 0,
        }
    }
}

/// Whether the file is in an encoding the readers do not read as it is (ISO-8859-1 or -15,
/// windows-1252, UTF-16): [`transcode`] then writes it out as UTF-8 a piece at a time, for
/// [`Validator::validate_releasing_transcoded`] to read with flat memory.
pub fn needs_transcoding(bytes: &[u8]) -> bool {
    detect(bytes).is_ok_and(|e| e != Encoding::Utf8)
}

/// Writes the file as UTF-8 to `out`, 64 KiB of the file at a time, telling `release(from, to)`
/// the bytes of the file already decoded. `Ok(None)`: the file cannot be transcoded (an
/// encoding TOM does not read, UTF-16 that does not decode): validating the file itself reports
/// why.
pub fn transcode(
    bytes: &[u8],
    out: &mut dyn std::io::Write,
    release: &dyn Fn(usize, usize),
) -> std::io::Result<Option<Transcoded>> {
    let Ok(encoding) = detect(bytes) else {
        return Ok(None);
    };
    Ok(transcode_into(bytes, encoding, out, release)?
        .ok()
        .map(|()| Transcoded(encoding)))
}

/// The file as UTF-8 for the readers, with the encoding it was found in; `Err`: the report
/// refusing it (an encoding TOM does not read, or UTF-16 that does not decode).
fn as_utf8(bytes: &[u8]) -> Result<(Cow<'_, [u8]>, Encoding), Box<Report>> {
    let refusal = |code: &'static str, message: Message| {
        Box::new(Report {
            order: None,
            errors: vec![ValidationError::new(
                (1, 1),
                String::new(),
                code,
                message,
                Severity::Error,
            )],
            operations: 0,
        })
    };
    let encoding = detect(bytes).map_err(|label| {
        refusal(
            codes::ENCODAGE_NON_SUPPORTE,
            Message::new(codes::ENCODAGE_NON_SUPPORTE).arg("encoding", label),
        )
    })?;
    match to_utf8(bytes, encoding) {
        Ok(text) => Ok((text, encoding)),
        Err(BadUtf16(at)) => Err(refusal(
            codes::UTF8_INVALIDE,
            Message::new("utf8_invalide_utf16").arg("position", at.to_string()),
        )),
    }
}

/// The report on a file the fast path found valid.
fn clean(operations: usize) -> Report {
    Report {
        order: None,
        errors: Vec::new(),
        operations,
    }
}

/// A run of the validator over one input; drive it with [`Validation::step`].
pub struct Validation<'a> {
    settings: Settings,
    bytes: &'a [u8],
    encoding: Encoding,
    stage: Stage<'a>,
    /// The progress told so far (a second reading starts from the beginning again).
    shown: usize,
}

/// Which reader a [`Validation`] is at (each boxed: a run is one per file, and the variants
/// differ much in size).
enum Stage<'a> {
    /// The fast path (validation only), carrying on past what it cannot conclude on, until
    /// it reaches the end or gives way; with the suspect holder keys of a second reading.
    Fast(Box<Fast<'a>>, Vec<u64>),
    /// The fast path found the file valid.
    Clean { operations: usize },
    /// The full reader, from the start.
    Full(Box<Full<'a>>),
    /// Read before the run was handed out (a transcoded file) or refused at once.
    Done(Box<Report>),
}

impl Validation<'_> {
    /// Bytes of the input processed so far.
    pub fn bytes_done(&self) -> usize {
        let now = match &self.stage {
            Stage::Fast(fast, _) => fast.position(),
            Stage::Clean { .. } | Stage::Done(_) => self.bytes.len(),
            Stage::Full(full) => full.bytes_done(),
        };
        now.max(self.shown)
    }

    pub fn total_bytes(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_finished(&self) -> bool {
        match &self.stage {
            Stage::Fast(..) => false,
            Stage::Clean { .. } | Stage::Done(_) => true,
            Stage::Full(full) => full.is_finished(),
        }
    }

    /// Processes about `budget` more bytes; returns true when the run is finished.
    pub fn step(&mut self, budget: usize) -> bool {
        self.shown = self.bytes_done();
        if let Stage::Fast(fast, _) = &mut self.stage {
            let verdict = fast.step(budget);
            if verdict == Verdict::Running {
                return false;
            }
            let Stage::Fast(fast, suspects) =
                std::mem::replace(&mut self.stage, Stage::Clean { operations: 0 })
            else {
                unreachable!("the stage was just matched")
            };
            let outcome = match verdict {
                Verdict::Clean { .. } => {
                    let parts = vec![PartScan {
                        offset: 0,
                        scan: fast.into_scan(),
                    }];
                    conclude(self.bytes, self.settings, parts, &suspects, &|_, _| {})
                }
                _ => Outcome::FromStart,
            };
            self.stage = match outcome {
                Outcome::Report(report) => Stage::Done(Box::new(report)),
                // The second reading, with the suspects (never empty).
                Outcome::Again(shared) if suspects.is_empty() => {
                    let fast = Fast::new(self.bytes, self.settings, Keys::in_memory())
                        .carry_on(shared.clone());
                    Stage::Fast(Box::new(fast), shared)
                }
                _ => Stage::Full(Box::new(
                    Full::new(self.settings, self.bytes).in_encoding(self.encoding),
                )),
            };
            return self.is_finished();
        }
        match &mut self.stage {
            Stage::Full(full) => full.step(budget),
            _ => true,
        }
    }

    /// Runs to the end and returns the report.
    pub fn finish(mut self) -> Report {
        while !self.step(usize::MAX) {}
        match self.stage {
            Stage::Full(full) => full.finish(),
            Stage::Clean { operations } => clean(operations),
            Stage::Done(report) => *report,
            Stage::Fast(..) => unreachable!("a finished run is past the fast path"),
        }
    }
}

// ----------------------------------------------------------------- releasing and parts

/// Bytes between two calls to `release`.
const STEP: usize = 1 << 20;
/// Behind a run, this much is kept (the full reader locates errors at their element's start).
const MARGIN: usize = 1 << 16;

/// Calls `release(from, to)` for the bytes a run has left behind, each byte once.
struct Behind<'r> {
    release: &'r (dyn Fn(usize, usize) + Sync),
    done: usize,
}

impl<'r> Behind<'r> {
    fn new(release: &'r (dyn Fn(usize, usize) + Sync), from: usize) -> Behind<'r> {
        Behind {
            release,
            done: from,
        }
    }

    fn upto(&mut self, to: usize) {
        if to > self.done {
            (self.release)(self.done, to);
            self.done = to;
        }
    }
}

/// Runs `fast` (over the bytes from `offset` of the file) to its verdict, releasing behind it.
fn drive(fast: &mut Fast<'_>, offset: usize, release: &(dyn Fn(usize, usize) + Sync)) -> Verdict {
    let mut behind = Behind::new(release, offset);
    loop {
        match fast.step(STEP) {
            Verdict::Running => behind.upto((offset + fast.position()).saturating_sub(MARGIN)),
            verdict => return verdict,
        }
    }
}

/// The fast path over a whole file in one thread, carrying on (`suspects`: see
/// [`Fast::carry_on`]); `release(from, to)` is called as the run moves on, for bytes it will
/// not read again. `None`: it gave way.
fn scan(
    bytes: &[u8],
    settings: Settings,
    release: &(dyn Fn(usize, usize) + Sync),
    suspects: &[u64],
) -> Option<Vec<PartScan>> {
    let keys = Keys::spilling(settings.keys_in_memory);
    let mut fast = Fast::new(bytes, settings, keys).carry_on(suspects.to_vec());
    match drive(&mut fast, 0, release) {
        Verdict::Clean { .. } => Some(vec![PartScan {
            offset: 0,
            scan: fast.into_scan(),
        }]),
        _ => None,
    }
}

/// Where a file can be cut for parallel runs: the start tags of operations found after each
/// of `parts - 1` evenly spaced offsets. A cut is only a guess; the run before it proves it
/// (it must end there, inside `operations`, between two elements).
#[cfg(not(target_arch = "wasm32"))]
fn cuts(bytes: &[u8], parts: usize) -> Vec<usize> {
    const SEARCH: usize = 1 << 20;
    let mut cuts = vec![0];
    for k in 1..parts {
        let from = (bytes.len() / parts * k).max(cuts[cuts.len() - 1] + 1);
        let to = (from + SEARCH).min(bytes.len());
        if let Some(at) = bytes.get(from..to).and_then(find_cut) {
            cuts.push(from + at);
        }
    }
    cuts.push(bytes.len());
    cuts
}

/// [`scan`] in `threads` parts of the file at once (native only: the browser's worker has
/// one thread). The parts must meet where they were cut; the conductor then compares their
/// holder keys and counts ([`conclude`]).
#[cfg(not(target_arch = "wasm32"))]
fn scan_in_parallel(
    bytes: &[u8],
    settings: Settings,
    threads: usize,
    release: &(dyn Fn(usize, usize) + Sync),
    suspects: &[u64],
) -> Option<Vec<PartScan>> {
    let cuts = cuts(bytes, threads);
    let parts = cuts.len() - 1;
    if parts < 2 {
        return scan(bytes, settings, release, suspects);
    }
    let outcomes: Vec<Option<PartScan>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..parts)
            .map(|i| {
                let (start, end) = (cuts[i], cuts[i + 1]);
                scope.spawn(move || {
                    let keys = Keys::spilling(settings.keys_in_memory / parts);
                    let (first, last) = (i == 0, i + 1 == parts);
                    let mut fast = Fast::part(&bytes[start..end], first, last, settings, keys)
                        .carry_on(suspects.to_vec());
                    match drive(&mut fast, start, release) {
                        Verdict::Clean { .. } => Some(PartScan {
                            offset: start,
                            scan: fast.into_scan(),
                        }),
                        _ => None,
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect()
    });
    outcomes.into_iter().collect()
}

/// What the fast path found valid in a part of a file: its counts and holder keys, for
/// [`merge`].
#[derive(Clone, Debug, Default)]
pub struct Part {
    pub operations: usize,
    pub elements: usize,
    /// Hashes of the holder keys of the part (empty for a whole file: already compared).
    pub keys: Vec<u64>,
}

/// The verdict on a file from its parts, each found valid by the fast path: the number of
/// operations when no holder is in two parts and the element count stays within
/// `max_elements`; `None`: the full reader must decide.
pub fn merge(parts: Vec<Part>, max_elements: usize) -> Option<usize> {
    let operations = parts.iter().map(|p| p.operations).sum();
    let elements = parts
        .iter()
        .fold(0usize, |n, p| n.saturating_add(p.elements));
    let keys = parts.into_iter().map(|p| Keys::from_vec(p.keys)).collect();
    (elements <= max_elements && Keys::all_distinct(keys)).then_some(operations)
}

/// Where a file may be cut into parts, within `window` (bytes of the file from some offset):
/// the offset in the window of the first operation's start tag. A guess that the parts' runs
/// prove or refuse.
pub fn find_cut(window: &[u8]) -> Option<usize> {
    (0..window.len()).find(|&i| {
        window[i] == b'<'
            && El::OPERATIONS.iter().any(|el| {
                let rest = &window[i + 1..];
                el.named_at(rest) && rest.get(el.name().len()) == Some(&b'>')
            })
    })
}

/// The fast path over a file that arrives in pieces (the browser reads a `File` in chunks):
/// only the end of the last piece is kept, so memory stays small whatever the file's size.
/// A part of a file (from a cut found by [`find_cut`]) is checked the same way.
pub struct FastCheck {
    fast: Option<Fast<'static>>,
    /// Bytes received and not yet read.
    carry: Vec<u8>,
}

/// Bytes gathered before a run (a browser reads files by pieces of 64 KiB).
const BATCH: usize = 1 << 20;

impl FastCheck {
    /// Takes the next piece; false once the fast path cannot conclude (the full reader must
    /// then read the whole file).
    pub fn feed(&mut self, piece: &[u8]) -> bool {
        if self
            .fast
            .as_ref()
            .is_none_or(|f| f.verdict() == Verdict::Unsure)
        {
            return false;
        }
        self.carry.extend_from_slice(piece);
        if self.carry.len() < BATCH {
            return true;
        }
        self.run(true) != Verdict::Unsure
    }

    fn run(&mut self, more: bool) -> Verdict {
        let Some(fast) = self.fast.take() else {
            return Verdict::Unsure;
        };
        let mut fast = fast.resume(&self.carry, more);
        let verdict = fast.step(usize::MAX);
        let (fast, read) = fast.suspend();
        self.fast = Some(fast);
        self.carry.drain(..read);
        verdict
    }

    /// After the last piece: what the part holds, or `None` when the full reader must decide.
    pub fn finish(mut self) -> Option<Part> {
        match self.run(false) {
            Verdict::Clean { operations } => {
                let (elements, keys) = self.fast?.into_part();
                Some(Part {
                    operations,
                    elements,
                    keys: keys.into_vec()?,
                })
            }
            _ => None,
        }
    }
}
