//! The validator's fast path: one pass over the bytes, specialised to the order schema, that
//! proves a file valid without building events, strings or paths.
//!
//! It accepts only what it fully understands: the usual shape of an order file (an optional
//! XML declaration, `<commande xmlns="urn:tom:commande:v1">` with optional `xsi` attributes,
//! elements without prefixes or attributes, values with at most the five XML entities and no
//! control character). At the first thing it does not handle, or the first finding of any
//! kind (error or warning), it gives up and the full reader ([`super::read`]) runs from the
//! start and writes the report with lines, paths and messages. So it never decides what is
//! wrong, only that nothing is: a clean run means the full reader would have reported
//! nothing. Tests and the fuzz target compare the two on every input they have.
//!
//! A file can be read whole (a memory-mapped file), in pieces as they arrive ([`FastCheck`],
//! the browser), and in parts at once: a part starts at an operation's start tag found by
//! [`find_cut`], the run before it must end there, and [`merge`] compares the parts' holders.

use crate::date::{Date, DateTime};
use crate::order::model::CardType;
use crate::order::rules;
use crate::order::xml::keys::Keys;
use crate::order::xml::read::XSI_NAMESPACE;
use crate::order::xml::schema::{trim_xml, Content, El, Model};
use crate::order::NAMESPACE_V1;

/// The validator's bounds, as the full reader applies them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub depth: usize,
    pub elements: usize,
    pub text_bytes: usize,
    /// Holder keys kept in memory before runs go to temporary files (command line).
    pub keys_in_memory: usize,
}

/// A file read in pieces is read up to this far from the end of what has arrived: any element
/// the fast path reads whole (start tag, value, end tag) fits in it.
const LOOKAHEAD: usize = 1 << 16;
/// Longer values (with their entities) are left to the full reader.
const MAX_RAW_VALUE: usize = LOOKAHEAD - 1024;

/// What a run found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Not finished: call [`Fast::step`] again.
    Running,
    /// The file is valid and without warning; `operations` were read.
    Clean { operations: usize },
    /// The fast path cannot conclude: run the full reader.
    Unsure,
}

#[derive(Clone, Copy)]
struct Frame {
    el: El,
    model: &'static Model,
    slot: usize,
    count: u32,
    used_optional: bool,
}

/// The current operation, as far as the rules need it.
#[derive(Default)]
struct Op {
    card_request: bool,
    /// Domain of the matricule key (per kind of operation); none for incidents.
    domain: Option<u64>,
    card_type: Option<CardType>,
    matricule: Option<u64>,
    /// Birth name then first names, as read (entities resolved).
    names: String,
    birth_name: Option<std::ops::Range<usize>>,
    first_names: Option<std::ops::Range<usize>>,
    birth_date: Option<Date>,
}

/// Which parts of the current address were given.
#[derive(Default)]
struct Address {
    street_number: bool,
    street: bool,
    locality: bool,
}

/// Byte classes inside a value: 0 ordinary, 1 the end (`<`), 2 what the fast path leaves to
/// the full reader (control characters), 3 a non-ASCII byte (UTF-8 to check), 4 `&` (an
/// entity to resolve), 5 `>` (refused after `]]`).
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = if i == b'<' as usize {
            1
        } else if i < 0x20 {
            2
        } else if i >= 0x80 {
            3
        } else if i == b'&' as usize {
            4
        } else if i == b'>' as usize {
            5
        } else {
            0
        };
        i += 1;
    }
    t
};

/// Eight bytes from `p`, little-endian, when there are eight.
#[inline]
fn word_at(b: &[u8], p: usize) -> Option<u64> {
    let w = b.get(p..p + 8)?;
    Some(u64::from_le_bytes([
        w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7],
    ]))
}

/// The bytes of a word of text that a value needs to look at (`<`, `&`, `>`, a control
/// character, a non-ASCII byte), as the high bit of each: zero when there is none, and the
/// lowest bit set is exactly the first of them (borrows only run upwards from it).
#[inline]
fn special(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let below_space = w.wrapping_sub(0x20 * ONES) & !w & HIGH;
    zero(w ^ (b'<' as u64 * ONES))
        | zero(w ^ (b'&' as u64 * ONES))
        | zero(w ^ (b'>' as u64 * ONES))
        | below_space
        | (w & HIGH)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// A 64-bit hash of a key in a domain (folded multiplications, as in aHash's fallback).
/// Two keys with the same hash only send the file to the full reader, which compares keys
/// with 128-bit fingerprints: a collision costs time, never a wrong verdict.
fn hash_key(domain: u64, key: &[u8]) -> u64 {
    const K: u64 = 0x5851_F42D_4C95_7F2D;
    fn fold(a: u64, b: u64) -> u64 {
        let p = u128::from(a) * u128::from(b);
        (p as u64) ^ ((p >> 64) as u64)
    }
    let mut h = fold(domain ^ 0x243F_6A88_85A3_08D3, K ^ key.len() as u64);
    let mut chunks = key.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = fold(h ^ w, K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = fold(h ^ u64::from_le_bytes(w), K);
    }
    fold(h, 0x9E37_79B9_7F4A_7C15)
}

/// A run of the fast path over one input.
pub(crate) struct Fast<'a> {
    bytes: &'a [u8],
    pos: usize,
    today: Date,
    max_depth: usize,
    max_elements: usize,
    max_text_bytes: usize,
    elements: usize,
    stack: Vec<Frame>,
    started: bool,
    root_closed: bool,
    operations: usize,
    op: Op,
    /// A value with entities, resolved.
    scratch: String,
    /// The identity key of the current holder.
    key: String,
    address: Address,
    /// Hashes of the holder keys (matricule per kind of operation, identity of card requests),
    /// sorted at the end to find duplicates: 8 bytes per key.
    keys: Keys,
    /// Whether this run starts at the beginning of the file (else inside `operations`, at an
    /// operation's start tag) and ends at its end (else before an operation's start tag).
    first: bool,
    last: bool,
    /// More input follows `bytes` (a file read in pieces): stop before an element that may
    /// not be whole.
    more: bool,
    verdict: Verdict,
}

/// Gives up: the full reader takes over.
macro_rules! unsure {
    () => {
        return Err(())
    };
}

type Step = Result<(), ()>;

impl<'a> Fast<'a> {
    pub(crate) fn new(bytes: &'a [u8], today: Date, limits: Limits) -> Fast<'a> {
        Fast::part(bytes, true, true, today, limits)
    }

    /// A run over a part of a file; `first` and `last` say whether it holds its beginning and
    /// its end (see [`run_in_parallel`]).
    fn part(bytes: &'a [u8], first: bool, last: bool, today: Date, limits: Limits) -> Fast<'a> {
        let mut stack = Vec::with_capacity(8);
        if !first {
            // Inside the root, after the header, inside `operations` after an operation.
            for (el, slot) in [(El::Commande, 1), (El::Operations, 0)] {
                if let Content::Complex(model) = el.content() {
                    stack.push(Frame {
                        el,
                        model,
                        slot,
                        count: 1,
                        used_optional: false,
                    });
                }
            }
        }
        Fast {
            first,
            last,
            more: false,
            bytes,
            pos: 0,
            today,
            max_depth: limits.depth,
            max_elements: limits.elements,
            max_text_bytes: limits.text_bytes,
            elements: 0,
            stack,
            started: !first,
            root_closed: false,
            operations: 0,
            op: Op::default(),
            scratch: String::new(),
            key: String::new(),
            address: Address::default(),
            keys: Keys::in_memory(),
            verdict: Verdict::Running,
        }
    }

    /// The same run over other bytes (the rest of a file read in pieces).
    fn with_bytes<'b>(self, bytes: &'b [u8]) -> Fast<'b> {
        Fast {
            bytes,
            pos: self.pos,
            today: self.today,
            max_depth: self.max_depth,
            max_elements: self.max_elements,
            max_text_bytes: self.max_text_bytes,
            elements: self.elements,
            stack: self.stack,
            started: self.started,
            root_closed: self.root_closed,
            operations: self.operations,
            op: self.op,
            scratch: self.scratch,
            key: self.key,
            address: self.address,
            keys: self.keys,
            first: self.first,
            last: self.last,
            more: self.more,
            verdict: self.verdict,
        }
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// Reads on to about `budget` more bytes; returns the verdict so far.
    pub(crate) fn step(&mut self, budget: usize) -> Verdict {
        if self.verdict != Verdict::Running {
            return self.verdict;
        }
        let target = self.pos.saturating_add(budget);
        let outcome = self.advance(target);
        self.verdict = match outcome {
            Err(()) => Verdict::Unsure,
            Ok(()) if self.pos >= self.bytes.len() && !self.more => self.end(),
            Ok(()) => Verdict::Running,
        };
        self.verdict
    }

    fn advance(&mut self, target: usize) -> Step {
        if !self.started {
            if self.more && self.bytes.len() < LOOKAHEAD {
                // The prolog is read once there is enough of the file.
                return Ok(());
            }
            self.started = true;
            self.prolog()?;
        }
        self.elements_until(target)
    }

    /// At the end of the input: the root closed, and no holder twice (a part of a file: back
    /// in `operations`, the keys are compared by the caller).
    fn end(&mut self) -> Verdict {
        let complete = if self.last {
            self.root_closed
        } else {
            self.stack.len() == 2 && self.stack[1].el == El::Operations
        };
        if !complete {
            return Verdict::Unsure;
        }
        if !self.first || !self.last {
            return Verdict::Clean {
                operations: self.operations,
            };
        }
        let keys = std::mem::replace(&mut self.keys, Keys::in_memory());
        if !Keys::all_distinct(vec![keys]) {
            return Verdict::Unsure;
        }
        Verdict::Clean {
            operations: self.operations,
        }
    }

    /// Skips XML spaces; runs of ` ` (indentation) eight bytes at a time.
    fn skip_space(&mut self) {
        let b = self.bytes;
        let mut p = self.pos;
        loop {
            if let Some(w) = word_at(b, p) {
                let x = w ^ 0x2020_2020_2020_2020;
                if x == 0 {
                    p += 8;
                    continue;
                }
                p += (x.trailing_zeros() / 8) as usize;
            }
            if p < b.len() && is_space(b[p]) {
                p += 1;
            } else {
                break;
            }
        }
        self.pos = p;
    }

    fn eat(&mut self, s: &[u8]) -> bool {
        if self.bytes[self.pos..].starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// Byte order mark, XML declaration, root start tag.
    fn prolog(&mut self) -> Step {
        self.eat(&[0xEF, 0xBB, 0xBF]);
        if self.eat(b"<?xml") {
            self.declaration()?;
        }
        self.skip_space();
        if !self.eat(b"<commande") {
            unsure!();
        }
        self.root_attributes()?;
        self.open(El::Commande)
    }

    /// `version="1.x"`, optional `encoding="UTF-8"` (any case, or UTF8), optional
    /// `standalone`, then `?>`.
    fn declaration(&mut self) -> Step {
        let version = self.pseudo_attribute(b"version")?;
        let ok = version
            .strip_prefix(b"1.")
            .is_some_and(|m| !m.is_empty() && m.iter().all(u8::is_ascii_digit));
        if !ok {
            unsure!();
        }
        if let Ok(enc) = self.pseudo_attribute(b"encoding") {
            if !enc.eq_ignore_ascii_case(b"UTF-8") && !enc.eq_ignore_ascii_case(b"UTF8") {
                unsure!();
            }
        }
        if let Ok(sa) = self.pseudo_attribute(b"standalone") {
            if sa != b"yes" && sa != b"no" {
                unsure!();
            }
        }
        self.skip_space();
        if !self.eat(b"?>") {
            unsure!();
        }
        Ok(())
    }

    /// ` name="value"` (or single quotes); on failure the position is unchanged.
    fn pseudo_attribute(&mut self, name: &[u8]) -> Result<&'a [u8], ()> {
        let start = self.pos;
        let r = self.attribute_named(name);
        if r.is_err() {
            self.pos = start;
        }
        r
    }

    fn attribute_named(&mut self, name: &[u8]) -> Result<&'a [u8], ()> {
        let before = self.pos;
        self.skip_space();
        if self.pos == before || !self.eat(name) {
            unsure!();
        }
        self.attribute_value()
    }

    /// `= "value"` after an attribute name: a value of printable ASCII without `<` or `&`.
    fn attribute_value(&mut self) -> Result<&'a [u8], ()> {
        self.skip_space();
        if !self.eat(b"=") {
            unsure!();
        }
        self.skip_space();
        let b = self.bytes;
        let Some(&quote) = b.get(self.pos).filter(|q| matches!(q, b'"' | b'\'')) else {
            unsure!();
        };
        let from = self.pos + 1;
        let Some(len) = b[from..].iter().position(|&c| c == quote) else {
            unsure!();
        };
        let value = &b[from..from + len];
        if value
            .iter()
            .any(|&c| !(0x20..0x7F).contains(&c) || c == b'<' || c == b'&')
        {
            unsure!();
        }
        self.pos = from + len + 1;
        Ok(value)
    }

    /// The root's attributes: the default namespace of the format, and optionally the `xsi`
    /// namespace with `xsi:schemaLocation` or `xsi:noNamespaceSchemaLocation`.
    fn root_attributes(&mut self) -> Step {
        let (mut ns, mut xsi, mut location) = (false, false, false);
        loop {
            let before = self.pos;
            self.skip_space();
            let b = self.bytes;
            match b.get(self.pos) {
                Some(b'>') => {
                    self.pos += 1;
                    break;
                }
                Some(_) if self.pos > before => {}
                _ => unsure!(),
            }
            let from = self.pos;
            let len = b[from..]
                .iter()
                .position(|&c| c == b'=' || is_space(c))
                .unwrap_or(b.len() - from);
            let name = &b[from..from + len];
            self.pos = from + len;
            let value = self.attribute_value()?;
            let seen = match name {
                b"xmlns" if value == NAMESPACE_V1.as_bytes() => &mut ns,
                b"xmlns:xsi" if value == XSI_NAMESPACE.as_bytes() => &mut xsi,
                b"xsi:schemaLocation" | b"xsi:noNamespaceSchemaLocation" => &mut location,
                _ => unsure!(),
            };
            if *seen {
                unsure!();
            }
            *seen = true;
        }
        if !ns || (location && !xsi) {
            unsure!();
        }
        Ok(())
    }

    fn open(&mut self, el: El) -> Step {
        self.elements += 1;
        if self.elements > self.max_elements || self.stack.len() >= self.max_depth {
            unsure!();
        }
        let Content::Complex(model) = el.content() else {
            unsure!();
        };
        self.stack.push(Frame {
            el,
            model,
            slot: 0,
            count: 0,
            used_optional: false,
        });
        match el {
            _ if El::OPERATIONS.contains(&el) => {
                self.operations += 1;
                let op = &mut self.op;
                op.card_request = el == El::DemandeCarte;
                op.domain = el.holder_kind().map(|k| k as u64);
                op.card_type = None;
                op.matricule = None;
                op.names.clear();
                op.birth_name = None;
                op.first_names = None;
                op.birth_date = None;
            }
            El::AdresseCarte | El::AdressePin => self.address = Address::default(),
            _ => {}
        }
        Ok(())
    }

    /// Elements until the position passes `target` or the input ends.
    fn elements_until(&mut self, target: usize) -> Step {
        let b = self.bytes;
        while self.pos < target {
            self.skip_space();
            if self.pos >= b.len() || (self.more && b.len() - self.pos < LOOKAHEAD) {
                break;
            }
            if b[self.pos] != b'<' || self.root_closed {
                unsure!();
            }
            match b.get(self.pos + 1) {
                Some(b'/') => self.close()?,
                Some(b'!' | b'?') | None => unsure!(),
                Some(_) => self.child()?,
            }
        }
        Ok(())
    }

    /// The end tag of the innermost complex element.
    fn close(&mut self) -> Step {
        let Some(frame) = self.stack.pop() else {
            unsure!();
        };
        self.pos += 2;
        self.end_tag_rest(frame.el)?;
        let slots = frame.model.slots;
        for (k, slot) in slots.iter().enumerate().skip(frame.slot) {
            let used = if k == frame.slot { frame.count } else { 0 };
            if used < u32::from(slot.min) {
                unsure!();
            }
        }
        if frame.model.at_least_one_from.is_some() && !frame.used_optional {
            unsure!();
        }
        match frame.el {
            El::AdresseCarte | El::AdressePin => {
                let a = &self.address;
                if rules::check_address(a.street_number, a.street, a.locality).is_some() {
                    unsure!();
                }
            }
            El::DemandeCarte | El::ModificationPorteur | El::FinExercice => self.holder_keys()?,
            El::Commande => self.root_closed = true,
            _ => {}
        }
        Ok(())
    }

    /// After `</`: the name, optional spaces, `>`.
    #[inline]
    fn end_tag_rest(&mut self, el: El) -> Step {
        let at = &self.bytes[self.pos..];
        if !el.named_at(at) {
            unsure!();
        }
        let n = el.name().len();
        // The usual `</name>`.
        if at[n] == b'>' {
            self.pos += n + 1;
            return Ok(());
        }
        self.pos += n;
        self.skip_space();
        if !self.eat(b">") {
            unsure!();
        }
        Ok(())
    }

    /// The keys of the "same holder twice" rule, as the full reader forms them.
    fn holder_keys(&mut self) -> Step {
        let op = &self.op;
        if let Some(m) = op.matricule {
            self.keys.push(m);
        }
        if op.card_request {
            let (Some(n), Some(p), Some(d)) =
                (op.birth_name.clone(), op.first_names.clone(), op.birth_date)
            else {
                unsure!();
            };
            rules::identity_key_into(&mut self.key, &op.names[n], &op.names[p], d);
            self.keys.push(hash_key(3, self.key.as_bytes()));
        }
        Ok(())
    }

    /// A start tag inside the current complex element: a complex child is opened, a simple
    /// one is read whole with its value and end tag.
    fn child(&mut self) -> Step {
        self.pos += 1;
        let el = self.accept()?;
        self.pos += el.name().len();
        if self.bytes.get(self.pos) == Some(&b'>') {
            self.pos += 1;
        } else {
            self.skip_space();
            if !self.eat(b">") {
                unsure!();
            }
        }
        match el.content() {
            Content::Complex(_) => self.open(el),
            Content::Simple(st) => {
                self.elements += 1;
                if self.elements > self.max_elements || self.stack.len() >= self.max_depth {
                    unsure!();
                }
                let scratch = std::mem::take(&mut self.scratch);
                let checked = self.value(scratch).and_then(|(value, scratch)| {
                    let v = match value {
                        Some(v) => v,
                        None => scratch.as_str(),
                    };
                    let v = if v.is_empty() {
                        el.default_value().unwrap_or("")
                    } else {
                        v
                    };
                    let ok = st.check(v).is_ok() && self.on_value(el, v).is_ok();
                    self.scratch = scratch;
                    if ok {
                        Ok(())
                    } else {
                        Err(())
                    }
                });
                checked?;
                self.pos += 2;
                self.end_tag_rest(el)
            }
        }
    }

    /// Finds the element named at the position among those the parent's content model allows
    /// next, and advances the model as the full reader does; anything else (unknown,
    /// misplaced, a required element skipped) is left to the full reader.
    fn accept(&mut self) -> Result<El, ()> {
        let at = &self.bytes[self.pos..];
        let Some(frame) = self.stack.last_mut() else {
            unsure!();
        };
        let slots = frame.model.slots;
        let from = frame.slot.min(slots.len());
        for (j, slot) in slots.iter().enumerate().skip(from) {
            let Some(&el) = slot.els.iter().find(|e| e.named_at(at)) else {
                if j == frame.slot && frame.count < u32::from(slot.min) {
                    unsure!();
                }
                if j > frame.slot && slot.min > 0 {
                    unsure!();
                }
                continue;
            };
            if j == frame.slot {
                if frame.count > 0 && !slot.unbounded {
                    unsure!();
                }
                frame.count += 1;
            } else {
                frame.slot = j;
                frame.count = 1;
            }
            if frame.model.at_least_one_from.is_some_and(|f| j >= f) {
                frame.used_optional = true;
            }
            return Ok(el);
        }
        unsure!()
    }

    /// The text of a simple element, up to its end tag's `<` (the position is left on it):
    /// borrowed from the input, or, when it has entities, resolved into `scratch`.
    #[allow(clippy::type_complexity)]
    fn value(&mut self, mut scratch: String) -> Result<(Option<&'a str>, String), ()> {
        let b = self.bytes;
        let from = self.pos;
        let mut p = from;
        let mut ascii = true;
        let mut entities = false;
        loop {
            if let Some(w) = word_at(b, p) {
                let m = special(w);
                if m == 0 {
                    p += 8;
                    continue;
                }
                // Straight to the first byte to look at.
                p += (m.trailing_zeros() / 8) as usize;
            }
            let Some(&c) = b.get(p) else {
                unsure!();
            };
            match CLASS[usize::from(c)] {
                0 => {}
                1 => break,
                3 => ascii = false,
                4 => entities = true,
                5 if p >= from + 2 && &b[p - 2..p] == b"]]" => unsure!(),
                5 => {}
                _ => unsure!(),
            }
            p += 1;
        }
        if b.get(p + 1) != Some(&b'/') || p - from > MAX_RAW_VALUE {
            unsure!();
        }
        let raw = &b[from..p];
        let text = if ascii {
            // SAFETY: every byte was checked to be ASCII.
            unsafe { std::str::from_utf8_unchecked(raw) }
        } else {
            let Ok(text) = std::str::from_utf8(raw) else {
                unsure!();
            };
            // U+FFFE and U+FFFF are not XML characters.
            if text.contains(['\u{FFFE}', '\u{FFFF}']) {
                unsure!();
            }
            text
        };
        self.pos = p;
        if !entities {
            if text.len() > self.max_text_bytes {
                unsure!();
            }
            return Ok((Some(text), scratch));
        }
        // The five entities of XML; character references are left to the full reader.
        scratch.clear();
        let mut parts = text.split('&');
        scratch.push_str(parts.next().unwrap_or(""));
        for part in parts {
            let Some((name, rest)) = part.split_once(';') else {
                unsure!();
            };
            scratch.push(match name {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "apos" => '\'',
                "quot" => '"',
                _ => unsure!(),
            });
            scratch.push_str(rest);
        }
        if scratch.len() > self.max_text_bytes {
            unsure!();
        }
        Ok((None, scratch))
    }

    /// The business rules of one value (the same calls as the full reader's).
    fn on_value(&mut self, el: El, value: &str) -> Step {
        let today = self.today;
        let parent = self.stack.last().map(|f| f.el);
        let finding = match el {
            El::Finess if parent == Some(El::Structure) => rules::check_finess(value),
            El::Siret if parent == Some(El::Structure) => rules::check_siret(value),
            El::DateCreation => match DateTime::parse_iso(trim_xml(value)) {
                Some(dt) => rules::check_creation_date(dt.date, today),
                None => unsure!(),
            },
            El::TypeCarte => {
                self.op.card_type = CardType::from_code(value);
                None
            }
            El::NomNaissance | El::Prenoms => {
                let names = &mut self.op.names;
                let range = names.len()..names.len() + value.len();
                names.push_str(value);
                if el == El::NomNaissance {
                    self.op.birth_name = Some(range);
                } else {
                    self.op.first_names = Some(range);
                }
                None
            }
            El::DateNaissance => {
                let Some(d) = Date::parse_iso(trim_xml(value)) else {
                    unsure!();
                };
                self.op.birth_date = Some(d);
                rules::check_birth_date(d, today)
            }
            El::Matricule => {
                self.op.matricule = self.op.domain.map(|d| hash_key(d, value.as_bytes()));
                None
            }
            El::Profession => {
                let card = if self.op.card_request {
                    self.op.card_type
                } else {
                    None
                };
                rules::check_profession(value, card)
            }
            El::Fonction if self.op.card_request => {
                rules::check_function_for_card(self.op.card_type)
            }
            El::NumeroRpps => rules::check_rpps(value),
            El::DateFin | El::DateIncident => {
                let Some(d) = Date::parse_iso(trim_xml(value)) else {
                    unsure!();
                };
                if el == El::DateFin {
                    rules::check_end_of_exercise_date(d, today)
                } else {
                    rules::check_incident_date(d, today)
                }
            }
            El::NumeroVoie => {
                self.address.street_number = true;
                None
            }
            El::Voie => {
                self.address.street = true;
                None
            }
            El::LieuDit => {
                self.address.locality = true;
                None
            }
            _ => None,
        };
        if finding.is_some() {
            unsure!();
        }
        Ok(())
    }
}

/// Bytes between two calls to `release`.
pub(crate) const STEP: usize = 1 << 20;
/// Behind a run, this much is kept (the full reader locates errors at their element's start).
pub(crate) const MARGIN: usize = 1 << 16;

/// Calls `release(from, to)` for the bytes a run has left behind, each byte once.
pub(crate) struct Behind<'r> {
    release: &'r (dyn Fn(usize, usize) + Sync),
    done: usize,
}

impl<'r> Behind<'r> {
    pub(crate) fn new(release: &'r (dyn Fn(usize, usize) + Sync), from: usize) -> Behind<'r> {
        Behind {
            release,
            done: from,
        }
    }

    pub(crate) fn upto(&mut self, to: usize) {
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

/// The fast path over a whole file in one thread; `release(from, to)` is called as the run
/// moves on, for bytes it will not read again.
pub(crate) fn run(
    bytes: &[u8],
    today: Date,
    limits: Limits,
    release: &(dyn Fn(usize, usize) + Sync),
) -> Verdict {
    let mut fast = Fast::new(bytes, today, limits);
    fast.keys = Keys::spilling(limits.keys_in_memory);
    drive(&mut fast, 0, release)
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

/// The fast path in `threads` parts of the file at once (native only: the browser's worker
/// has one thread). Same verdict as [`run`]: clean only if every part is, the parts meet
/// where they were cut, no holder is in two places and the element count stays in bounds.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn run_in_parallel(
    bytes: &[u8],
    today: Date,
    limits: Limits,
    threads: usize,
    release: &(dyn Fn(usize, usize) + Sync),
) -> Verdict {
    let cuts = cuts(bytes, threads);
    let parts = cuts.len() - 1;
    if parts < 2 {
        return run(bytes, today, limits, release);
    }
    let outcomes: Vec<Option<(usize, usize, Keys)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..parts)
            .map(|i| {
                let (start, end) = (cuts[i], cuts[i + 1]);
                scope.spawn(move || {
                    let mut fast =
                        Fast::part(&bytes[start..end], i == 0, i + 1 == parts, today, limits);
                    fast.keys = Keys::spilling(limits.keys_in_memory / parts);
                    match drive(&mut fast, start, release) {
                        Verdict::Clean { operations } => {
                            Some((operations, fast.elements, fast.keys))
                        }
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
    let Some(parts) = outcomes.into_iter().collect::<Option<Vec<_>>>() else {
        return Verdict::Unsure;
    };
    let operations = parts.iter().map(|p| p.0).sum();
    let elements = parts.iter().fold(0usize, |n, p| n.saturating_add(p.1));
    if elements > limits.elements || !Keys::all_distinct(parts.into_iter().map(|p| p.2).collect()) {
        return Verdict::Unsure;
    }
    Verdict::Clean { operations }
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
    pub(crate) fn new(today: Date, limits: Limits, first: bool, last: bool) -> FastCheck {
        FastCheck {
            fast: Some(Fast::part(&[], first, last, today, limits)),
            carry: Vec::new(),
        }
    }

    /// Takes the next piece; false once the fast path cannot conclude (the full reader must
    /// then read the whole file).
    pub fn feed(&mut self, piece: &[u8]) -> bool {
        if self
            .fast
            .as_ref()
            .is_none_or(|f| f.verdict == Verdict::Unsure)
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
        let mut fast = fast.with_bytes(&self.carry);
        fast.more = more;
        let verdict = fast.step(usize::MAX);
        let read = fast.pos;
        let mut fast = fast.with_bytes(&[]);
        fast.pos = 0;
        self.fast = Some(fast);
        self.carry.drain(..read);
        verdict
    }

    /// After the last piece: what the part holds, or `None` when the full reader must decide.
    pub fn finish(mut self) -> Option<Part> {
        match self.run(false) {
            Verdict::Clean { operations } => {
                let fast = self.fast?;
                Some(Part {
                    operations,
                    elements: fast.elements,
                    keys: fast.keys.into_vec()?,
                })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first byte of a word that `value` must look at, byte by byte.
    fn first_special(w: u64) -> Option<usize> {
        w.to_le_bytes()
            .iter()
            .position(|&c| CLASS[usize::from(c)] != 0)
    }

    #[test]
    fn the_word_test_finds_exactly_the_first_special_byte() {
        // Every byte value at every position, among ordinary letters, then random words.
        let mut words = Vec::new();
        for at in 0..8 {
            for c in 0..=255u8 {
                let mut b = *b"ABCDEFGH";
                b[at] = c;
                words.push(u64::from_le_bytes(b));
                b[7 - at] = b'<';
                words.push(u64::from_le_bytes(b));
            }
        }
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            words.push(x);
            // Mostly printable ASCII, as in a file.
            words.push((x & 0x3F3F_3F3F_3F3F_3F3F) + 0x2020_2020_2020_2020);
        }
        for w in words {
            let m = special(w);
            let got = (m != 0).then(|| (m.trailing_zeros() / 8) as usize);
            assert_eq!(got, first_special(w), "{:?}", w.to_le_bytes());
        }
    }

    #[test]
    fn holder_key_hashes_differ_by_domain_and_content() {
        assert_ne!(hash_key(0, b"M0000001"), hash_key(1, b"M0000001"));
        assert_ne!(hash_key(0, b"M0000001"), hash_key(0, b"M0000002"));
        assert_ne!(hash_key(0, b"M000000"), hash_key(0, b"M000000\0"));
        assert_eq!(
            hash_key(3, b"durand|marie|1984-03-12"),
            hash_key(3, b"durand|marie|1984-03-12")
        );
    }
}
