//! The full reader over only the operations a fast run left to it: a file with a few errors
//! is reported at nearly the fast path's speed, with the very report the full reader writes
//! when it reads the whole file.
//!
//! A fast run that carries on ([`Fast::carry_on`](super::fast)) reads the file (whole or in
//! parts) and notes each operation it cannot conclude on ([`Flag`]). One chained full reader
//! ([`Full::chained`]) then reads those operations in file order, each from its start tag
//! until it is closed, with what was counted before it (operations per kind for the paths,
//! elements for the bound), its lines counted from the file's start and its findings counted
//! against the limit: the findings are those of the whole file, since the fast run found
//! nothing elsewhere.
//!
//! Except for the holder keys: an operation the fast run concluded on may hold a holder that
//! another holds too. So the keys of the operations it concluded on are compared with one
//! another and with those the full reader read ([`Keys::repeated`]); when some are shared, the
//! file is read again, fast, leaving to the full reader also the operations with those keys
//! ("suspects"), which the chained reader then compares as the whole-file reader would (a key
//! shared with no other operation cannot change its report). Every guess is checked: the
//! operation ended where the fast run took up again, with only spaces between, exactly one
//! operation was read, the element bound holds. When a check fails, or the second reading
//! still finds shared keys, the conductor has the full reader read the whole file.

use crate::order::xml::fast::{Flag, Scan, Tally};
use crate::order::xml::keys::Keys;
use crate::order::xml::read::{Full, Report, Segment};
use crate::order::xml::Settings;

/// A fast run's findings over a part of the file that starts at `offset`.
pub(crate) struct PartScan {
    pub offset: usize,
    pub scan: Scan,
}

/// What the conductor does next.
pub(crate) enum Outcome {
    /// The report.
    Report(Report),
    /// Read the file fast again, leaving to the full reader the operations with one of these
    /// holder key hashes.
    Again(Vec<u64>),
    /// Have the full reader read the whole file.
    FromStart,
}

/// Bytes between two calls to `release` while lines are counted.
const STEP: usize = 1 << 20;
/// Segments read to the end of the file, at most, before the whole file is read instead.
const MAX_LONG: usize = 4;

/// The report from the fast runs over the parts of a file (in order; `suspects`: the keys
/// of the second reading, empty in the first); `release(from, to)` as for
/// [`Validator::validate_releasing`](super::validator::Validator::validate_releasing).
pub(crate) fn conclude(
    bytes: &[u8],
    settings: Settings,
    parts: Vec<PartScan>,
    suspects: &[u64],
    release: &(dyn Fn(usize, usize) + Sync),
) -> Outcome {
    let xsi = parts.first().is_some_and(|p| p.scan.xsi);
    let mut flags = Vec::new();
    let mut sets = Vec::with_capacity(parts.len());
    let mut clean = Tally::default();
    for part in parts {
        flags.extend(part.scan.flags.iter().map(|f| Flag {
            start: part.offset + f.start,
            resume: part.offset + f.resume,
            before: clean.plus(f.before),
        }));
        clean = clean.plus(part.scan.tally);
        sets.push(part.scan.keys);
    }
    let (report, mut keys) = if flags.is_empty() {
        if clean.elements > settings.elements {
            return Outcome::FromStart;
        }
        let report = Report {
            order: None,
            errors: Vec::new(),
            operations: clean.operations,
        };
        (report, Vec::new())
    } else {
        match chain(bytes, settings, xsi, &flags, clean, release) {
            Some(found) => found,
            None => return Outcome::FromStart,
        }
    };
    keys.sort_unstable();
    match Keys::repeated(sets, &keys) {
        Some(shared) if shared.is_empty() => Outcome::Report(report),
        Some(shared) if suspects.is_empty() => Outcome::Again(shared),
        _ => Outcome::FromStart,
    }
}

/// How one chained reading ended.
enum Chain {
    Done(Box<Report>, Vec<u64>),
    /// This segment must be read to the end of the file.
    Cut(usize),
    /// A guess did not hold.
    Mismatch,
}

/// The findings of the flagged operations (`clean`: what the fast runs counted elsewhere),
/// and the hashes of their holder keys; `None`: the whole file must be read.
fn chain(
    bytes: &[u8],
    settings: Settings,
    xsi: bool,
    flags: &[Flag],
    clean: Tally,
    release: &(dyn Fn(usize, usize) + Sync),
) -> Option<(Report, Vec<u64>)> {
    let mut long = Vec::new();
    loop {
        match chain_once(bytes, settings, xsi, flags, clean, &long, release) {
            Chain::Done(report, keys) => return Some((*report, keys)),
            Chain::Cut(i) if long.len() < MAX_LONG && !long.contains(&i) => long.push(i),
            _ => return None,
        }
    }
}

fn chain_once(
    bytes: &[u8],
    settings: Settings,
    xsi: bool,
    flags: &[Flag],
    clean: Tally,
    long: &[usize],
    release: &(dyn Fn(usize, usize) + Sync),
) -> Chain {
    let mut full = Full::chained(settings, bytes, xsi);
    // Counted by the full reader so far, in the operations it read.
    let mut read = Tally::default();
    let mut counted = 0;
    for (i, flag) in flags.iter().enumerate() {
        // Lines up to the operation, releasing behind.
        while counted < flag.start {
            let to = (counted + STEP).min(flag.start);
            full.count_lines_to(to);
            release(counted, to);
            counted = to;
        }
        let at = flag.before.plus(read);
        if at.elements > settings.elements {
            // The bound was passed before this operation.
            return Chain::Mismatch;
        }
        let end = if long.contains(&i) {
            bytes.len()
        } else {
            flag.resume
        };
        let Some(text) = bytes
            .get(flag.start..end)
            .and_then(|b| std::str::from_utf8(b).ok())
        else {
            // Not UTF-8: the full reader reports it from the start.
            return Chain::Mismatch;
        };
        match full.segment(text, flag.start, at, end < bytes.len()) {
            Segment::Finished => {
                // The whole-file reader first checks that the whole file is UTF-8: the fast
                // runs checked all but the operations left to the full reader.
                let utf8 = flags[i + 1..].iter().all(|f| {
                    bytes
                        .get(f.start..f.resume)
                        .is_some_and(|b| std::str::from_utf8(b).is_ok())
                });
                if !utf8 {
                    return Chain::Mismatch;
                }
                let operations = full.tally().operations;
                let (report, keys) = full.into_findings(operations);
                return Chain::Done(Box::new(report), keys);
            }
            Segment::Cut => return Chain::Cut(i),
            Segment::Back(q) => {
                let after = full.tally();
                let between = bytes.get(q..flag.resume);
                let spaces = between
                    .is_some_and(|b| b.iter().all(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r')));
                if after.operations != at.operations + 1 || !spaces {
                    return Chain::Mismatch;
                }
                read = minus(after, flag.before);
            }
        }
    }
    let total = clean.plus(read);
    if total.elements > settings.elements {
        return Chain::Mismatch;
    }
    let (report, keys) = full.into_findings(total.operations);
    Chain::Done(Box::new(report), keys)
}

/// `later - earlier`, counts that only grow.
fn minus(later: Tally, earlier: Tally) -> Tally {
    let mut kinds = later.kinds;
    for (k, e) in kinds.iter_mut().zip(earlier.kinds) {
        *k = k.saturating_sub(e);
    }
    Tally {
        operations: later.operations.saturating_sub(earlier.operations),
        kinds,
        elements: later.elements.saturating_sub(earlier.elements),
    }
}
