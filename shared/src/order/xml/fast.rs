//! The validator's fast path: one pass over the bytes, specialised to the order schema, that
//! can only conclude "valid" (without events, strings or paths) and otherwise gives way.
//!
//! It accepts only what it fully understands: the usual shape of an order file (an optional
//! XML declaration, `<commande xmlns="urn:tom:commande:v1">` with optional `xsi` attributes,
//! elements without prefixes or attributes, values with at most the five XML entities and no
//! control character). At the first thing it does not handle, or the first finding of any
//! kind (error or warning), it says [`Verdict::Unsure`] and the conductor
//! ([`super::validator`]) runs the full reader from the start, which writes the report. So it
//! never decides what is wrong, only that nothing is: a clean run means the full reader would
//! have reported nothing. Tests and the fuzz target compare the two on every input they have.
//! The rules and holder keys are the full reader's own ([`super::bind`]).
//!
//! A run covers a whole file, a part of it (from an operation's start tag, see `first` and
//! `last`), or pieces as they arrive ([`Fast::resume`]); the conductor drives them.
//!
//! A run told to [carry on](Fast::carry_on) does not stop at an operation it cannot conclude
//! on: it notes the operation ([`Flag`]: where it starts, where the run took up again, what
//! was counted before it) and goes on from the next operation's start tag. The conductor then
//! has the full reader read only those operations ([`super::chain`]), and checks that each
//! ended where the run took up again; anything else still sends the whole file to the full
//! reader.

use crate::order::xml::bind::{Facts, IDENTITY};
use crate::order::xml::encoding::label_fits;
use crate::order::xml::keys::{hash_key, Keys};
use crate::order::xml::schema::{Content, El, Model, XSI_NAMESPACE};
use crate::order::xml::{bom_len, Settings};
use crate::order::NAMESPACE_V1;

/// A file read in pieces is read up to this far from the end of what has arrived: any element
/// the fast path reads whole (start tag, value, end tag) fits in it.
const LOOKAHEAD: usize = 1 << 16;
/// Longer values (with their entities) are left to the full reader.
const MAX_RAW_VALUE: usize = LOOKAHEAD - 1024;
/// Beyond this many operations left to the full reader, a run gives way for the whole file.
const MAX_FLAGS: usize = 20_000;

/// What a run counted: operations (all, and per kind as [`El::OPERATIONS`]) and elements.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub operations: usize,
    pub kinds: [u32; 4],
    pub elements: usize,
}

impl Tally {
    pub(crate) fn plus(self, other: Tally) -> Tally {
        let mut kinds = self.kinds;
        for (k, o) in kinds.iter_mut().zip(other.kinds) {
            *k = k.saturating_add(o);
        }
        Tally {
            operations: self.operations + other.operations,
            kinds,
            elements: self.elements.saturating_add(other.elements),
        }
    }
}

/// An operation a run that carries on left to the full reader (offsets in the run's input).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Flag {
    /// Its start tag's `<`.
    pub start: usize,
    /// Where the run took up again: the next operation's start tag (a guess), `</operations`,
    /// or the end of the input.
    pub resume: usize,
    /// What the run counted before it (in the operations it concluded on).
    pub before: Tally,
}

/// What a run that carries on found, once it reached its end (see [`Fast::into_scan`]).
pub(crate) struct Scan {
    /// Counted in the operations it concluded on (and the header).
    pub tally: Tally,
    pub flags: Vec<Flag>,
    /// Holder keys of the operations it concluded on.
    pub keys: Keys,
    /// The root declared the `xsi` prefix (meaningful when the run held the file's start).
    pub xsi: bool,
}

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

/// Byte classes inside a value: 0 ordinary, 1 the end (`<`), 2 what the fast path leaves to
/// the full reader (control characters, DEL), 3 a non-ASCII byte (UTF-8 to check), 4 `&` (an
/// entity to resolve), 5 `>` (refused after `]]`).
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = if i == b'<' as usize {
            1
        } else if i < 0x20 || i == 0x7F {
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
        | zero(w ^ (0x7F * ONES))
        | below_space
        | (w & HIGH)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// A run of the fast path over one input.
pub(crate) struct Fast<'a> {
    bytes: &'a [u8],
    pos: usize,
    settings: Settings,
    elements: usize,
    stack: Vec<Frame>,
    started: bool,
    root_closed: bool,
    operations: usize,
    /// Operations per kind (as [`El::OPERATIONS`]).
    kinds: [u32; 4],
    /// The root declared the `xsi` prefix.
    xsi: bool,
    /// Go on past an operation the run cannot conclude on (see [`Fast::carry_on`]).
    carry_on: bool,
    /// In an operation: its start tag's offset, and what was counted before it.
    op_at: Option<(usize, Tally)>,
    flags: Vec<Flag>,
    /// Sorted hashes of holder keys found elsewhere in the file: an operation with one of
    /// them is left to the full reader.
    suspects: Vec<u64>,
    /// What the rules remember of the current operation.
    facts: Facts,
    /// A value with entities, resolved.
    scratch: String,
    /// The identity key of the current holder.
    key: String,
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
    /// A run over a whole file, its holder keys in `keys`.
    pub(crate) fn new(bytes: &'a [u8], settings: Settings, keys: Keys) -> Fast<'a> {
        Fast::part(bytes, true, true, settings, keys)
    }

    /// A run over a part of a file; `first` and `last` say whether it holds its beginning and
    /// its end (else it starts inside `operations` at an operation's start tag, or ends before
    /// one).
    pub(crate) fn part(
        bytes: &'a [u8],
        first: bool,
        last: bool,
        settings: Settings,
        keys: Keys,
    ) -> Fast<'a> {
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
            settings,
            elements: 0,
            stack,
            started: !first,
            root_closed: false,
            operations: 0,
            kinds: [0; 4],
            xsi: false,
            carry_on: false,
            op_at: None,
            flags: Vec::new(),
            suspects: Vec::new(),
            facts: Facts::default(),
            scratch: String::new(),
            key: String::new(),
            keys,
            verdict: Verdict::Running,
        }
    }

    /// The run goes on past an operation it cannot conclude on (see the module's doc), and
    /// leaves to the full reader those with a holder key among `suspects` (sorted).
    pub(crate) fn carry_on(mut self, suspects: Vec<u64>) -> Fast<'a> {
        self.carry_on = true;
        self.suspects = suspects;
        self
    }

    /// The same run over the next bytes of a file read in pieces, from their start (`more`:
    /// further pieces follow).
    pub(crate) fn resume<'b>(self, bytes: &'b [u8], more: bool) -> Fast<'b> {
        Fast {
            bytes,
            pos: 0,
            more,
            settings: self.settings,
            elements: self.elements,
            stack: self.stack,
            started: self.started,
            root_closed: self.root_closed,
            operations: self.operations,
            kinds: self.kinds,
            xsi: self.xsi,
            carry_on: self.carry_on,
            op_at: self.op_at,
            flags: self.flags,
            suspects: self.suspects,
            facts: self.facts,
            scratch: self.scratch,
            key: self.key,
            keys: self.keys,
            first: self.first,
            last: self.last,
            verdict: self.verdict,
        }
    }

    /// The run without its bytes, to be resumed on the next ones, and how many it has read.
    pub(crate) fn suspend(self) -> (Fast<'static>, usize) {
        let (read, more) = (self.pos, self.more);
        (self.resume(&[], more), read)
    }

    pub(crate) fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// After a clean run over a part: its element count and holder keys, for the conductor to
    /// compare with the other parts'.
    pub(crate) fn into_part(self) -> (usize, Keys) {
        (self.elements, self.keys)
    }

    /// After a run that carried on reached its end ([`Verdict::Clean`]): what it counted, the
    /// operations it left to the full reader and the holder keys of the others.
    pub(crate) fn into_scan(self) -> Scan {
        Scan {
            tally: self.tally(),
            flags: self.flags,
            keys: self.keys,
            xsi: self.xsi,
        }
    }

    fn tally(&self) -> Tally {
        Tally {
            operations: self.operations,
            kinds: self.kinds,
            elements: self.elements,
        }
    }

    /// Leaves the current operation to the full reader and takes up again at the next
    /// operation's start tag (or `</operations`, or the end of the input), as if between two
    /// operations; false when not in an operation (or too many were left), the run then gives
    /// way for the whole file.
    #[cold]
    fn flag(&mut self) -> bool {
        let Some((start, before)) = self.op_at.take() else {
            return false;
        };
        if self.flags.len() >= MAX_FLAGS || self.stack.len() < 2 {
            return false;
        }
        let resume = next_boundary(self.bytes, start + 1);
        self.flags.push(Flag {
            start,
            resume,
            before,
        });
        self.operations = before.operations;
        self.kinds = before.kinds;
        self.elements = before.elements;
        // The parent's content model stays as the start tag left it: advanced when the
        // operation was accepted (which the conductor checks against the full reader).
        self.stack.truncate(2);
        self.facts.end_operation();
        self.pos = resume;
        true
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
        let outcome = loop {
            match self.advance(target) {
                Err(()) if self.carry_on && self.flag() => {}
                outcome => break outcome,
            }
        };
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
        // A part of a file, or a run that carries on: the keys are compared by the caller.
        if !self.first || !self.last || self.carry_on {
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
        self.pos += bom_len(self.bytes);
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

    /// `version="1.x"`, optional `encoding="…"` naming the encoding the file was found in
    /// (UTF-8 for a file read as it is), optional `standalone`, then `?>`.
    fn declaration(&mut self) -> Step {
        let version = self.pseudo_attribute(b"version")?;
        let ok = version
            .strip_prefix(b"1.")
            .is_some_and(|m| !m.is_empty() && m.iter().all(u8::is_ascii_digit));
        if !ok {
            unsure!();
        }
        if let Ok(enc) = self.pseudo_attribute(b"encoding") {
            // The name of the encoding the file was found in (its text transcoded), as the full
            // reader accepts it.
            let fits = std::str::from_utf8(enc)
                .is_ok_and(|label| label_fits(label, self.settings.encoding));
            if !fits {
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
        self.xsi = xsi;
        Ok(())
    }

    fn open(&mut self, el: El) -> Step {
        self.elements += 1;
        if self.elements > self.settings.elements || self.stack.len() >= self.settings.depth {
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
        if let Some(k) = El::OPERATIONS.iter().position(|&e| e == el) {
            self.operations += 1;
            self.kinds[k] += 1;
        }
        self.facts.open(el);
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
            El::AdresseCarte | El::AdressePin if self.facts.close_address().is_some() => {
                unsure!()
            }
            El::DemandeCarte
            | El::ModificationPorteur
            | El::FinExercice
            | El::DeclarationIncident => {
                self.holder_keys()?;
                self.op_at = None;
            }
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

    /// The operation's keys for the "same holder twice" rule (see [`Facts::holder_keys`]).
    fn holder_keys(&mut self) -> Step {
        let mut identity = false;
        let (mut hashes, mut n) = ([0u64; 2], 0);
        for (domain, key) in self.facts.holder_keys(&mut self.key) {
            identity |= domain == IDENTITY;
            if n < hashes.len() {
                hashes[n] = hash_key(domain, key.as_bytes());
                n += 1;
            }
        }
        // A card request reaches its end tag with its whole identity, as the schema requires.
        if self.facts.in_card_request() && !identity {
            unsure!();
        }
        let hashes = &hashes[..n];
        if !self.suspects.is_empty()
            && hashes
                .iter()
                .any(|h| self.suspects.binary_search(h).is_ok())
        {
            unsure!();
        }
        for &h in hashes {
            self.keys.push(h);
        }
        self.facts.end_operation();
        Ok(())
    }

    /// A start tag inside the current complex element: a complex child is opened, a simple
    /// one is read whole with its value and end tag.
    fn child(&mut self) -> Step {
        if self.carry_on && self.stack.len() == 2 && self.stack[1].el == El::Operations {
            // Between operations (a run that carries on): remember where this one starts.
            self.op_at = Some((self.pos, self.tally()));
        }
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
                if self.elements > self.settings.elements || self.stack.len() >= self.settings.depth
                {
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
            // U+FFFE and U+FFFF are not XML characters; C1 controls and values not in NFC are
            // for the full reader to report or compose.
            if text.contains(['\u{FFFE}', '\u{FFFF}']) || !crate::text::is_plain(text) {
                unsure!();
            }
            text
        };
        self.pos = p;
        if !entities {
            if text.len() > self.settings.text_bytes {
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
        if scratch.len() > self.settings.text_bytes {
            unsure!();
        }
        Ok((None, scratch))
    }

    /// The business rules of one value, as the full reader applies them: any finding, or a
    /// value the rules cannot read, is left to it.
    fn on_value(&mut self, el: El, value: &str) -> Step {
        let parent = self.stack.last().map(|f| f.el);
        let today = self.settings.today;
        match self.facts.value(parent, el, value, true, today) {
            Ok(None) => Ok(()),
            _ => unsure!(),
        }
    }
}

/// The first operation start tag (`<name>`), or `</operations`, at or after `from`; else the
/// end of `bytes`. A guess, which the conductor verifies.
fn next_boundary(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(at) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&c| c == b'<'))
    {
        i += at;
        let rest = &bytes[i + 1..];
        let operation = El::OPERATIONS
            .iter()
            .any(|el| el.named_at(rest) && rest.get(el.name().len()) == Some(&b'>'));
        if operation || rest.starts_with(b"/operations") {
            return i;
        }
        i += 1;
    }
    bytes.len()
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
}
