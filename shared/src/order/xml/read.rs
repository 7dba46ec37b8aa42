//! The validator's full reader: one quick-xml pass that checks what the XSD checks and the
//! business rules, writes every finding with line, column and path, and builds the [`Order`].
//!
//! It needs no schema engine (the browser has none). Safety bounds: no DOCTYPE or entity
//! declarations, bounded depth, element count, text size and error count; it never panics on
//! any input. The conductor ([`super::validator`]) runs it when the fast path gives way.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

use crate::date::{Date, DateTime};
use crate::message::Message;
use crate::order::errors::{codes, Severity, ValidationError};
use crate::order::model::{
    Activity, CardRef, CardRequest, CardType, Civility, EndOfExercise, Header, HolderChange,
    IncidentDeclaration, IncidentNature, Issuer, Operation, Order, PostalAddress, PracticeMode,
    Role, Sex, StructureId, StructureKind,
};
use crate::order::rules::Finding;
use crate::order::xml::bind::{Facts, DOMAINS, IDENTITY};
use crate::order::xml::encoding::{label_fits, Encoding};
use crate::order::xml::fast::Tally;
use crate::order::xml::keys::{fingerprint, hash_key};
use crate::order::xml::schema::{parse_bool, Content, El, Model, XSI_NAMESPACE};
use crate::order::xml::{bom_len, Settings};
use crate::order::NAMESPACE_V1;

const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// Result of validating one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    /// The order, when the file has no error (warnings allowed) and the model was asked for.
    pub order: Option<Order>,
    /// Errors and warnings in file order (the business rules of an operation may come after
    /// the schema errors of later elements of the same operation).
    pub errors: Vec<ValidationError>,
    /// Number of operations read (valid or not).
    pub operations: usize,
}

impl Report {
    /// No finding of severity error.
    pub fn is_valid(&self) -> bool {
        !self.errors.iter().any(ValidationError::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.errors.iter().filter(|e| e.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.errors.len() - self.error_count()
    }
}

/// Incremental line/column computation: forward requests scan only the new bytes.
struct LineIndex<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    line_start: usize,
}

impl<'a> LineIndex<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineIndex {
            bytes,
            pos: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn column(&self, line_start: usize, offset: usize) -> u32 {
        // Characters, not bytes: count the bytes that start a UTF-8 sequence.
        let n = self.bytes[line_start..offset]
            .iter()
            .filter(|b| (**b & 0xC0) != 0x80)
            .count();
        n as u32 + 1
    }

    fn locate(&mut self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.bytes.len());
        if offset >= self.pos {
            let chunk = &self.bytes[self.pos..offset];
            let newlines = count_newlines(chunk);
            if newlines > 0 {
                self.line += newlines as u32;
                let last = chunk.iter().rposition(|b| *b == b'\n').unwrap_or(0);
                self.line_start = self.pos + last + 1;
            }
            self.pos = offset;
            (self.line, self.column(self.line_start, offset))
        } else {
            // Backwards (rare, short distances): count back without moving the cursor.
            let back = self.bytes[offset..self.pos]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u32;
            let line_start = self.bytes[..offset]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |p| p + 1);
            (self.line - back, self.column(line_start, offset))
        }
    }
}

/// The line feeds in `bytes`, eight bytes at a time (a byte counter per byte of a word): the
/// lines up to an operation the fast path left are counted over the whole file before it.
fn count_newlines(bytes: &[u8]) -> usize {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const FEEDS: u64 = 0x0A0A_0A0A_0A0A_0A0A;
    const BYTES: u64 = 0x00FF_00FF_00FF_00FF;
    let mut n = 0;
    let mut words = bytes.chunks_exact(8);
    loop {
        // At most 255 words per round: each byte counter stays below 256.
        let mut counters = 0u64;
        let mut taken = 0;
        for w in words.by_ref().take(255) {
            let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]) ^ FEEDS;
            // The high bit of each byte that was a line feed (zero after the xor), exactly.
            let zero = !(((x & LOW) + LOW) | x) & !LOW;
            counters += zero >> 7;
            taken += 1;
        }
        let pairs = (counters & BYTES) + ((counters >> 8) & BYTES);
        n += (pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48) as usize;
        if taken < 255 {
            break;
        }
    }
    n + words.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// One open element.
struct Frame {
    el: El,
    /// Byte offset of its `<`.
    start: usize,
    /// XPath-like index among same-name siblings, 0 when the element cannot repeat.
    index: u32,
    /// Content model state: current slot and occurrences in it.
    slot: usize,
    count: u32,
    /// A slot at or after `at_least_one_from` was used.
    used_optional: bool,
    /// For a simple-type element: no text seen yet (the schema default then applies).
    empty: bool,
    /// For a simple-type element: a child element was already reported.
    reported_child: bool,
}

struct NsBinding {
    prefix: String,
    uri: String,
    depth: usize,
}

#[derive(Default)]
struct PartialAddress {
    recipient: Option<String>,
    complement: Option<String>,
    street_number: Option<String>,
    street: Option<String>,
    locality: Option<String>,
    postal_code: Option<String>,
    city: Option<String>,
    country: Option<String>,
}

impl PartialAddress {
    fn build(self) -> Option<PostalAddress> {
        Some(PostalAddress {
            recipient: self.recipient?,
            complement: self.complement,
            street_number: self.street_number,
            street: self.street,
            locality: self.locality,
            postal_code: self.postal_code?,
            city: self.city?,
            country: self.country.unwrap_or_else(|| "FR".to_owned()),
        })
    }
}

#[derive(Default)]
struct PartialActivity {
    role: Option<Role>,
    rpps: Option<String>,
    sector: Option<String>,
    kind: Option<String>,
    mode: Option<PracticeMode>,
}

impl PartialActivity {
    fn build(self) -> Option<Activity> {
        Some(Activity {
            role: self.role?,
            rpps: self.rpps,
            sector: self.sector?,
            activity_kind: self.kind,
            practice_mode: self.mode,
        })
    }
}

/// The operation being read; fields are kept even when invalid, for the business rules.
#[derive(Default)]
struct PartialOp {
    card_type: Option<CardType>,
    civility: Option<Civility>,
    birth_name: Option<String>,
    usual_name: Option<String>,
    first_names: Option<String>,
    birth_date: Option<Date>,
    birth_place: Option<String>,
    sex: Option<Sex>,
    email: Option<String>,
    phone: Option<String>,
    matricule: Option<String>,
    serial: Option<String>,
    activity: Option<PartialActivity>,
    nominative: Option<bool>,
    card_address: Option<PartialAddress>,
    pin_address: Option<PartialAddress>,
    nature: Option<IncidentNature>,
    date: Option<Date>,
    replacement: Option<bool>,
}

#[derive(Default)]
struct PartialHeader {
    structure: Option<StructureId>,
    national_id: Option<String>,
    last_name: Option<String>,
    first_name: Option<String>,
    email: Option<String>,
    reference: Option<String>,
    created_at: Option<DateTime>,
}

/// Where a holder was first seen in the file, for the "same holder twice" rule.
#[derive(Clone, Copy)]
struct Seen {
    /// Operations are bounded by the element count, far below `u32::MAX`.
    operation: u32,
    line: u32,
}

/// A run of the full reader over one input; the conductor drives it with [`Full::step`].
pub(crate) struct Full<'a> {
    settings: Settings,
    /// Offset of the XML text in the input (3 after a UTF-8 byte order mark).
    base: usize,
    /// The file's encoding, which its declaration must name (the text is UTF-8 whatever it
    /// was: the conductor transcodes it).
    encoding: Encoding,
    reader: Option<Reader<&'a [u8]>>,
    lines: LineIndex<'a>,
    total: usize,
    errors: Vec<ValidationError>,
    error_count: usize,
    finished: bool,
    stack: Vec<Frame>,
    ns: Vec<NsBinding>,
    /// The current value exceeded `max_text_bytes` (reported once).
    text_overflow: bool,
    /// Depth of an unknown or misplaced subtree being skipped.
    skip_depth: usize,
    text: String,
    elements: usize,
    root_seen: bool,
    root_closed: bool,
    op_counts: [u32; 4],
    operations: usize,
    /// What the rules remember (shared with the fast path).
    facts: Facts,
    op: PartialOp,
    header: PartialHeader,
    built: Vec<Operation>,
    /// Holders seen so far per key domain, by a 128-bit fingerprint of their key: the memory
    /// per operation stays small and fixed whatever the length of names.
    seen: [HashMap<u128, Seen>; DOMAINS],
    /// The identity key of the current holder.
    key: String,
    /// Reading operations a fast run left ([`Full::chained`]): the hashes of their holder
    /// keys, for the conductor to compare with the others'.
    keys_out: Option<Vec<u64>>,
    /// The input of the current segment stops short of the file's end: its end is not the
    /// file's.
    cut: bool,
    /// The end of such an input was reached.
    hit_cut: bool,
}

/// How a segment of a chained run ended (see [`Full::segment`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    /// The operation was read and closed: back between operations, at this offset.
    Back(usize),
    /// The report ends in it (an error after which the file is not read further, or the
    /// limit of findings).
    Finished,
    /// The input's end was reached first: it must be read with the rest of the file.
    Cut,
}

impl<'a> Full<'a> {
    fn empty(settings: Settings, bytes: &'a [u8], base: usize) -> Full<'a> {
        Full {
            settings,
            base,
            encoding: settings.encoding,
            reader: None,
            lines: LineIndex::new(bytes),
            total: bytes.len(),
            errors: Vec::new(),
            error_count: 0,
            finished: false,
            stack: Vec::with_capacity(16),
            ns: Vec::new(),
            skip_depth: 0,
            text: String::with_capacity(256),
            text_overflow: false,
            elements: 0,
            root_seen: false,
            root_closed: false,
            op_counts: [0; 4],
            operations: 0,
            facts: Facts::default(),
            op: PartialOp::default(),
            header: PartialHeader::default(),
            built: Vec::new(),
            seen: Default::default(),
            key: String::new(),
            keys_out: None,
            cut: false,
            hit_cut: false,
        }
    }

    /// A run that reads, one after the other, operations of a file the fast path found
    /// clean everywhere else ([`Full::segment`]): as if the root (its `xsi` prefix declared
    /// or not), the header and `operations`' start tag had been read, without a finding.
    pub(crate) fn chained(settings: Settings, bytes: &'a [u8], xsi: bool) -> Full<'a> {
        let mut v = Full::empty(settings, bytes, 0);
        v.root_seen = true;
        v.ns.push(NsBinding {
            prefix: String::new(),
            uri: NAMESPACE_V1.to_owned(),
            depth: 1,
        });
        if xsi {
            v.ns.push(NsBinding {
                prefix: "xsi".to_owned(),
                uri: XSI_NAMESPACE.to_owned(),
                depth: 1,
            });
        }
        for (el, slot, count) in [(El::Commande, 1, 1), (El::Operations, 0, 0)] {
            v.stack.push(Frame {
                el,
                start: 0,
                index: 0,
                slot,
                count,
                used_optional: false,
                empty: false,
                reported_child: false,
            });
        }
        v.keys_out = Some(Vec::new());
        v
    }

    /// Reads the operation whose start tag is at `start` in the file, from `text` (the file
    /// from there, to its end unless `cut`), with `at` counted before it; stops once it is
    /// closed.
    pub(crate) fn segment(&mut self, text: &'a str, start: usize, at: Tally, cut: bool) -> Segment {
        self.base = start;
        self.reader = Some(Full::reader(text));
        self.cut = cut;
        self.hit_cut = false;
        self.operations = at.operations;
        self.op_counts = at.kinds;
        self.elements = at.elements;
        if let Some(operations) = self.stack.get_mut(1) {
            operations.count = u32::try_from(at.operations).unwrap_or(u32::MAX);
        }
        let end = start + text.len();
        loop {
            self.next_event();
            let here = self
                .reader
                .as_ref()
                .map_or(end, |r| start + r.buffer_position() as usize);
            if self.hit_cut || (self.finished && cut && here >= end) {
                return Segment::Cut;
            }
            if self.finished {
                return Segment::Finished;
            }
            if self.elements > at.elements && self.stack.len() == 2 && self.skip_depth == 0 {
                return Segment::Back(here);
            }
        }
    }

    /// What was counted so far.
    pub(crate) fn tally(&self) -> Tally {
        Tally {
            operations: self.operations,
            kinds: self.op_counts,
            elements: self.elements,
        }
    }

    /// Moves the line count on to `offset` (forward only), for a chained run.
    pub(crate) fn count_lines_to(&mut self, offset: usize) {
        if offset > self.lines.pos {
            self.lines.locate(offset);
        }
    }

    /// The findings so far, with `operations` read, and the hashes of the holder keys of the
    /// operations a chained run read.
    pub(crate) fn into_findings(self, operations: usize) -> (Report, Vec<u64>) {
        let report = Report {
            order: None,
            errors: self.errors,
            operations,
        };
        (report, self.keys_out.unwrap_or_default())
    }

    fn reader(text: &'a str) -> Reader<&'a [u8]> {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.check_comments = true;
        config.expand_empty_elements = false;
        config.trim_text(false);
        reader
    }

    /// A run over `bytes` whose text from `base` (after a byte order mark) is `text`, already
    /// checked as UTF-8 by the caller.
    pub(crate) fn over_text(
        settings: Settings,
        bytes: &'a [u8],
        text: &'a str,
        base: usize,
    ) -> Full<'a> {
        let mut v = Full::empty(settings, bytes, base);
        v.reader = Some(Full::reader(text));
        v
    }

    /// A run over `bytes`, which builds the model (if asked) and writes every finding.
    pub(crate) fn new(settings: Settings, bytes: &'a [u8]) -> Full<'a> {
        let base = bom_len(bytes);
        let mut v = Full::empty(settings, bytes, base);
        match std::str::from_utf8(&bytes[base..]) {
            Ok(text) => v.reader = Some(Full::reader(text)),
            Err(e) => {
                let at = base + e.valid_up_to();
                let byte = bytes.get(at).copied().unwrap_or(0);
                v.fatal(
                    at,
                    String::new(),
                    codes::UTF8_INVALIDE,
                    Message::new(codes::UTF8_INVALIDE)
                        .arg("byte", format!("{byte:02X}"))
                        .arg("position", at.to_string()),
                );
            }
        }
        v
    }

    /// The encoding the conductor found the file in (default: UTF-8).
    pub(crate) fn in_encoding(mut self, encoding: Encoding) -> Full<'a> {
        self.encoding = encoding;
        self
    }

    /// Bytes of the input processed so far.
    pub(crate) fn bytes_done(&self) -> usize {
        match &self.reader {
            Some(r) if !self.finished => self.base + r.buffer_position() as usize,
            _ => self.total,
        }
    }

    pub(crate) fn is_finished(&self) -> bool {
        self.finished
    }

    /// Processes about `budget` more bytes; returns true when the run is finished.
    pub(crate) fn step(&mut self, budget: usize) -> bool {
        let target = self.bytes_done().saturating_add(budget);
        while !self.finished && self.bytes_done() < target {
            self.next_event();
        }
        self.finished
    }

    /// Runs to the end and returns the report.
    pub(crate) fn finish(mut self) -> Report {
        while !self.step(usize::MAX) {}
        let valid = !self.errors.iter().any(ValidationError::is_error);
        let order = if valid && self.settings.build_model {
            let header = std::mem::take(&mut self.header);
            build_header(header).map(|header| Order {
                header,
                operations: std::mem::take(&mut self.built),
            })
        } else {
            None
        };
        Report {
            order,
            errors: self.errors,
            operations: self.operations,
        }
    }

    // ----------------------------------------------------------------- reporting

    fn path(&self) -> String {
        let mut p = String::with_capacity(64);
        for f in &self.stack {
            p.push('/');
            p.push_str(f.el.name());
            if f.index > 0 {
                p.push('[');
                p.push_str(&f.index.to_string());
                p.push(']');
            }
        }
        p
    }

    fn child_path(&self, name: &str) -> String {
        let mut p = self.path();
        p.push('/');
        p.push_str(name);
        p
    }

    fn report(
        &mut self,
        offset: usize,
        path: String,
        code: &'static str,
        message: Message,
        severity: Severity,
    ) {
        if self.finished {
            return;
        }
        if self.error_count >= self.settings.errors {
            self.errors.push(ValidationError::new(
                self.lines.locate(offset),
                path,
                codes::LIMITE_ERREURS_ATTEINTE,
                Message::new(codes::LIMITE_ERREURS_ATTEINTE)
                    .arg("max", self.settings.errors.to_string()),
                Severity::Error,
            ));
            self.finished = true;
            return;
        }
        self.error_count += 1;
        self.errors.push(ValidationError::new(
            self.lines.locate(offset),
            path,
            code,
            message,
            severity,
        ));
    }

    fn error(&mut self, offset: usize, path: String, code: &'static str, message: Message) {
        self.report(offset, path, code, message, Severity::Error);
    }

    fn finding(&mut self, offset: usize, f: Option<Finding>) {
        if let Some(f) = f {
            let path = self.path();
            self.report(offset, path, f.code, f.message, f.severity);
        }
    }

    /// An error after which the file is not read further.
    fn fatal(&mut self, offset: usize, path: String, code: &'static str, message: Message) {
        self.error(offset, path, code, message);
        self.finished = true;
    }

    // ----------------------------------------------------------------- events

    fn next_event(&mut self) {
        let Some(reader) = self.reader.as_mut() else {
            self.finished = true;
            return;
        };
        let pos = self.base + reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Start(e)) => self.on_start(&e, pos, false),
            Ok(Event::Empty(e)) => self.on_start(&e, pos, true),
            Ok(Event::End(_)) => self.on_end(pos),
            Ok(Event::Text(t)) => {
                let content = t.xml10_content();
                if content.contains("]]>") {
                    let path = self.path();
                    self.fatal(
                        pos,
                        path,
                        codes::XML_MAL_FORME,
                        Message::new("xml_mal_forme_fin_de_cdata"),
                    );
                    return;
                }
                self.on_text(&content, pos);
            }
            Ok(Event::CData(t)) => {
                let content = t.xml10_content();
                self.on_text(&content, pos);
            }
            Ok(Event::GeneralRef(r)) => self.on_reference(&r, pos),
            Ok(Event::Decl(d)) => {
                if pos != self.base || !is_xml_declaration(&d) {
                    self.fatal(
                        pos,
                        String::new(),
                        codes::XML_MAL_FORME,
                        Message::new("xml_mal_forme_declaration"),
                    );
                    return;
                }
                if let Some(Ok(enc)) = d.encoding() {
                    if !label_fits(&enc, self.encoding) {
                        self.error(
                            pos,
                            String::new(),
                            codes::ENCODAGE_NON_SUPPORTE,
                            Message::new(codes::ENCODAGE_NON_SUPPORTE).arg("encoding", enc),
                        );
                    }
                }
            }
            Ok(Event::DocType(_)) => self.fatal(
                pos,
                String::new(),
                codes::DOCTYPE_INTERDIT,
                Message::new(codes::DOCTYPE_INTERDIT),
            ),
            Ok(Event::PI(pi)) => {
                let target = pi.target();
                if !is_xml_name(target) || target.eq_ignore_ascii_case("xml") {
                    let path = self.path();
                    self.fatal(
                        pos,
                        path,
                        codes::XML_MAL_FORME,
                        Message::new("xml_mal_forme_instruction").arg("target", excerpt(target)),
                    );
                }
            }
            Ok(Event::Comment(_)) => {}
            Ok(Event::Eof) if self.cut => self.hit_cut = true,
            Ok(Event::Eof) => self.on_eof(pos),
            Err(e) => {
                let at = self.base + reader.error_position() as usize;
                let path = self.path();
                self.fatal(
                    at,
                    path,
                    codes::XML_MAL_FORME,
                    Message::new(codes::XML_MAL_FORME).arg("detail", e.to_string()),
                );
            }
        }
    }

    fn on_eof(&mut self, pos: usize) {
        if !self.stack.is_empty() || self.skip_depth > 0 {
            let path = self.path();
            self.fatal(
                pos,
                path,
                codes::XML_MAL_FORME,
                Message::new("xml_mal_forme_fin_inattendue"),
            );
        } else if !self.root_seen {
            self.fatal(
                pos,
                String::new(),
                codes::XML_MAL_FORME,
                Message::new("xml_mal_forme_fichier_vide"),
            );
        }
        self.finished = true;
    }

    /// Namespace declarations and the attributes the format allows (xsi:schemaLocation…).
    fn on_attributes(&mut self, e: &BytesStart<'a>, pos: usize) -> bool {
        let depth = self.stack.len() + self.skip_depth + 1;
        let mut others = false;
        for attr in e.attributes() {
            let attr = match attr {
                Ok(a) => a,
                Err(err) => {
                    let path = self.path();
                    self.fatal(
                        pos,
                        path,
                        codes::XML_MAL_FORME,
                        Message::new("xml_mal_forme_attribut").arg("detail", err.to_string()),
                    );
                    return false;
                }
            };
            let key: &str = attr.key.as_ref();
            if key == "xmlns" || key.starts_with("xmlns:") {
                let prefix = key.strip_prefix("xmlns:").unwrap_or("").to_owned();
                let uri = match attr.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                    Ok(u) => u.into_owned(),
                    Err(err) => {
                        let path = self.path();
                        self.fatal(
                            pos,
                            path,
                            codes::XML_MAL_FORME,
                            Message::new("xml_mal_forme_attribut").arg("detail", err.to_string()),
                        );
                        return false;
                    }
                };
                self.ns.push(NsBinding { prefix, uri, depth });
            } else {
                others = true;
            }
        }
        if !others {
            return true;
        }
        for attr in e.attributes().flatten() {
            let key: &str = attr.key.as_ref();
            if key == "xmlns" || key.starts_with("xmlns:") {
                continue;
            }
            let allowed = match key.split_once(':') {
                Some((p, local)) => match self.lookup(p) {
                    Some(XSI_NAMESPACE) => {
                        matches!(local, "schemaLocation" | "noNamespaceSchemaLocation")
                    }
                    Some(XML_NAMESPACE) => false,
                    _ => false,
                },
                None => false,
            };
            if !allowed && self.skip_depth == 0 {
                let path = self.path();
                self.error(
                    pos,
                    path,
                    codes::ATTRIBUT_INTERDIT,
                    Message::new(codes::ATTRIBUT_INTERDIT).arg("attribute", key),
                );
            }
        }
        true
    }

    fn lookup(&self, prefix: &str) -> Option<&str> {
        self.ns
            .iter()
            .rev()
            .find(|b| b.prefix == prefix)
            .map(|b| b.uri.as_str())
    }

    fn on_start(&mut self, e: &BytesStart<'a>, pos: usize, empty: bool) {
        self.elements += 1;
        if self.elements > self.settings.elements {
            let path = self.path();
            let max = self.settings.elements;
            self.fatal(
                pos,
                path,
                codes::TROP_D_ELEMENTS,
                Message::new(codes::TROP_D_ELEMENTS).arg("max", max.to_string()),
            );
            return;
        }
        if self.stack.len() + self.skip_depth >= self.settings.depth {
            let path = self.path();
            let max = self.settings.depth;
            self.fatal(
                pos,
                path,
                codes::PROFONDEUR_EXCESSIVE,
                Message::new(codes::PROFONDEUR_EXCESSIVE).arg("max", max.to_string()),
            );
            return;
        }
        if self.stack.is_empty() && self.skip_depth == 0 && self.root_closed {
            self.fatal(
                pos,
                String::new(),
                codes::XML_MAL_FORME,
                Message::new("xml_mal_forme_apres_racine"),
            );
            return;
        }
        if !e.attributes_raw().trim_ascii().is_empty() && !self.on_attributes(e, pos) {
            return;
        }
        if self.skip_depth > 0 {
            self.skip_depth += 1;
            if empty {
                self.on_end(pos);
            }
            return;
        }
        let qname: &str = e.name().into_inner();
        let (prefix, local) = match qname.split_once(':') {
            Some((p, l)) => (p, l),
            None => ("", qname),
        };
        let bound = self.lookup(prefix);
        let unbound = bound.is_none();
        let in_ns = bound == Some(NAMESPACE_V1);
        if unbound && !prefix.is_empty() {
            let path = self.path();
            self.error(
                pos,
                path,
                codes::XML_MAL_FORME,
                Message::new("xml_mal_forme_prefixe").arg("prefix", prefix),
            );
        }
        let el = if in_ns {
            self.resolve_name(local)
        } else {
            None
        };

        let accepted = if self.stack.is_empty() {
            self.root_seen = true;
            if el == Some(El::Commande) {
                true
            } else {
                let got = self.lookup(prefix).unwrap_or("").to_owned();
                self.error(
                    pos,
                    format!("/{local}"),
                    codes::RACINE_INVALIDE,
                    Message::new(codes::RACINE_INVALIDE)
                        .arg("namespace", NAMESPACE_V1)
                        .arg("element", local)
                        .arg("found", got),
                );
                false
            }
        } else {
            self.accept_child(el, local, in_ns, pos)
        };

        if !accepted {
            self.skip_depth = 1;
            if empty {
                self.on_end(pos);
            }
            return;
        }
        let el = el.unwrap_or(El::Commande);
        let index = if self.stack.last().is_some_and(|p| p.el == El::Operations) {
            let k = op_slot(el);
            self.op_counts[k] += 1;
            self.op_counts[k]
        } else {
            0
        };
        self.stack.push(Frame {
            el,
            start: pos,
            index,
            slot: 0,
            count: 0,
            used_optional: false,
            empty: true,
            reported_child: false,
        });
        self.on_open(el);
        if empty {
            self.on_end(pos);
        }
    }

    /// The element named `local`: first among the children the parent expects next (one or two
    /// comparisons in the usual case), then among all names.
    fn resolve_name(&self, local: &str) -> Option<El> {
        if let Some(parent) = self.stack.last() {
            if let Content::Complex(model) = parent.el.content() {
                let from = parent.slot.min(model.slots.len());
                for slot in &model.slots[from..] {
                    if let Some(el) = slot.els.iter().find(|e| e.name() == local) {
                        return Some(*el);
                    }
                }
            }
        }
        El::from_name(local)
    }

    /// Checks a child against its parent's content model; false means skip its subtree.
    fn accept_child(&mut self, el: Option<El>, local: &str, in_ns: bool, pos: usize) -> bool {
        let Some(parent) = self.stack.last() else {
            return false;
        };
        let model = match parent.el.content() {
            Content::Complex(m) => m,
            Content::Simple(_) => {
                if !parent.reported_child {
                    let path = self.path();
                    let name = parent.el.name();
                    if let Some(p) = self.stack.last_mut() {
                        p.reported_child = true;
                    }
                    self.error(
                        pos,
                        path,
                        codes::CONTENU_INATTENDU,
                        Message::new("contenu_inattendu_element")
                            .arg("parent", name)
                            .arg("element", local),
                    );
                }
                return false;
            }
        };
        let Some(el) = el else {
            let path = self.child_path(local);
            let msg = if in_ns {
                Message::new(codes::ELEMENT_INCONNU).arg("element", local)
            } else {
                Message::new("element_inconnu_espace_de_noms")
                    .arg("element", local)
                    .arg("namespace", NAMESPACE_V1)
            };
            self.error(pos, path, codes::ELEMENT_INCONNU, msg);
            return false;
        };
        let (slot, count) = (parent.slot, parent.count);
        let slots = model.slots;
        // Same slot, when it can take one more.
        if slot < slots.len()
            && slots[slot].els.contains(&el)
            && (count == 0 || slots[slot].unbounded)
        {
            self.advance(model, slot, count + 1);
            return true;
        }
        // A later slot: the required ones in between are missing.
        if let Some(j) = (slot + 1..slots.len()).find(|&j| slots[j].els.contains(&el)) {
            for (k, skipped) in slots.iter().enumerate().take(j).skip(slot) {
                let used = if k == slot { count } else { 0 };
                if used < u32::from(skipped.min) {
                    let path = self.child_path(skipped.els[0].name());
                    let names = names_of(skipped.els);
                    self.error(
                        pos,
                        path,
                        codes::ELEMENT_MANQUANT,
                        Message::new("element_manquant_avant")
                            .arg("names", names)
                            .arg("element", local),
                    );
                }
            }
            self.advance(model, j, 1);
            return true;
        }
        let path = self.child_path(local);
        if slots.iter().any(|s| s.els.contains(&el)) {
            let parent_name = self.stack.last().map_or("", |p| p.el.name());
            self.error(
                pos,
                path,
                codes::ELEMENT_MAL_PLACE,
                Message::new(codes::ELEMENT_MAL_PLACE)
                    .arg("element", local)
                    .arg("parent", parent_name),
            );
        } else {
            let parent_name = self.stack.last().map_or("", |p| p.el.name());
            self.error(
                pos,
                path,
                codes::ELEMENT_INCONNU,
                Message::new("element_inconnu_dans_parent")
                    .arg("element", local)
                    .arg("parent", parent_name),
            );
        }
        false
    }

    fn advance(&mut self, model: &Model, slot: usize, count: u32) {
        if let Some(p) = self.stack.last_mut() {
            p.slot = slot;
            p.count = count;
            if model.at_least_one_from.is_some_and(|from| slot >= from) {
                p.used_optional = true;
            }
        }
    }

    fn on_text(&mut self, content: &str, pos: usize) {
        if content
            .bytes()
            .any(|b| b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r')
            || content.contains(['\u{FFFE}', '\u{FFFF}'])
        {
            let path = self.path();
            self.fatal(
                pos,
                path,
                codes::CARACTERE_INTERDIT,
                Message::new(codes::CARACTERE_INTERDIT),
            );
            return;
        }
        if self.skip_depth > 0 {
            return;
        }
        let Some(frame) = self.stack.last_mut() else {
            if !is_xml_space(content) {
                self.fatal(
                    pos,
                    String::new(),
                    codes::XML_MAL_FORME,
                    Message::new("xml_mal_forme_texte_hors_racine"),
                );
            }
            return;
        };
        match frame.el.content() {
            Content::Simple(_) => {
                frame.empty = false;
                self.push_text(content, pos);
            }
            Content::Complex(_) => {
                if !is_xml_space(content) {
                    let name = frame.el.name();
                    let path = self.path();
                    self.error(
                        pos,
                        path,
                        codes::CONTENU_INATTENDU,
                        Message::new(codes::CONTENU_INATTENDU)
                            .arg("text", excerpt(content))
                            .arg("element", name),
                    );
                }
            }
        }
    }

    fn push_text(&mut self, content: &str, pos: usize) {
        let max = self.settings.text_bytes;
        if self.text_overflow {
            return;
        }
        if self.text.len() + content.len() > max {
            self.text_overflow = true;
            let path = self.path();
            self.error(
                pos,
                path,
                codes::TEXTE_TROP_LONG,
                Message::new(codes::TEXTE_TROP_LONG).arg("max", max.to_string()),
            );
            return;
        }
        self.text.push_str(content);
    }

    fn on_reference(&mut self, r: &BytesRef<'a>, pos: usize) {
        let resolved = match r.resolve_char_ref() {
            Ok(Some(c)) if is_xml_char(c) => Some(c),
            Ok(Some(_)) | Err(_) => {
                let path = self.path();
                self.fatal(
                    pos,
                    path,
                    codes::CARACTERE_INTERDIT,
                    Message::new("caractere_interdit_reference").arg("reference", excerpt(r)),
                );
                return;
            }
            Ok(None) => match &**r {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "apos" => Some('\''),
                "quot" => Some('"'),
                _ => None,
            },
        };
        let Some(c) = resolved else {
            let path = self.path();
            self.fatal(
                pos,
                path,
                codes::ENTITE_INCONNUE,
                Message::new(codes::ENTITE_INCONNUE).arg("entity", excerpt(r)),
            );
            return;
        };
        let mut buf = [0u8; 4];
        let s: &str = c.encode_utf8(&mut buf);
        // A reference is text: same treatment as a text event.
        let s = s.to_owned();
        self.on_text(&s, pos);
    }

    fn on_end(&mut self, pos: usize) {
        if self.skip_depth > 0 {
            self.skip_depth -= 1;
            if self.skip_depth == 0 && self.stack.is_empty() {
                self.root_closed = true;
            }
            self.pop_namespaces();
            return;
        }
        let Some(frame) = self.stack.last() else {
            return;
        };
        let el = frame.el;
        match el.content() {
            Content::Simple(st) => {
                let value = if frame.empty {
                    el.default_value().unwrap_or("").to_owned()
                } else {
                    std::mem::take(&mut self.text)
                };
                let start = frame.start;
                // NFC before the rules (an accent typed on a Mac is the one typed on Windows).
                let value = match crate::text::nfc(&value) {
                    std::borrow::Cow::Borrowed(_) => value,
                    std::borrow::Cow::Owned(composed) => composed,
                };
                let overflow = std::mem::take(&mut self.text_overflow);
                match (overflow, crate::text::control_character(&value)) {
                    (true, _) => {}
                    (false, Some((position, c))) => {
                        let path = self.path();
                        self.error(
                            start,
                            path,
                            codes::CARACTERE_CONTROLE,
                            Message::new(codes::CARACTERE_CONTROLE)
                                .arg("element", el.name())
                                .arg("character", crate::text::code_point(c))
                                .arg("position", position.to_string()),
                        );
                        self.on_value(el, value, start, false);
                    }
                    (false, None) => match st.check(&value) {
                        Ok(()) => self.on_value(el, value, start, true),
                        Err(f) => {
                            let path = self.path();
                            self.error(
                                start,
                                path,
                                f.code,
                                Message::new("valeur_invalide")
                                    .arg("value", excerpt(&value))
                                    .arg("element", el.name())
                                    .arg("expected", f.expected),
                            );
                            self.on_value(el, value, start, false);
                        }
                    },
                }
                self.text.clear();
            }
            Content::Complex(model) => {
                let (slot, count, used_optional) = (frame.slot, frame.count, frame.used_optional);
                for k in slot..model.slots.len() {
                    let used = if k == slot { count } else { 0 };
                    if used < u32::from(model.slots[k].min) {
                        let path = self.child_path(model.slots[k].els[0].name());
                        let names = names_of(model.slots[k].els);
                        let parent = el.name();
                        self.error(
                            pos,
                            path,
                            codes::ELEMENT_MANQUANT,
                            Message::new(codes::ELEMENT_MANQUANT)
                                .arg("names", names)
                                .arg("parent", parent),
                        );
                    }
                }
                if model.at_least_one_from.is_some() && !used_optional {
                    let path = self.path();
                    self.error(
                        pos,
                        path,
                        codes::MODIFICATION_VIDE,
                        Message::new(codes::MODIFICATION_VIDE),
                    );
                }
                self.on_close(el);
            }
        }
        self.stack.pop();
        if self.stack.is_empty() {
            self.root_closed = true;
        }
        self.pop_namespaces();
    }

    fn pop_namespaces(&mut self) {
        let depth = self.stack.len() + self.skip_depth;
        while self.ns.last().is_some_and(|b| b.depth > depth) {
            self.ns.pop();
        }
    }

    // ----------------------------------------------------------------- model and rules

    fn parent_el(&self) -> Option<El> {
        let n = self.stack.len();
        (n >= 2).then(|| self.stack[n - 2].el)
    }

    fn on_open(&mut self, el: El) {
        match el {
            El::DemandeCarte
            | El::ModificationPorteur
            | El::FinExercice
            | El::DeclarationIncident => {
                self.operations += 1;
                self.op = PartialOp::default();
            }
            El::Activite => self.op.activity = Some(PartialActivity::default()),
            El::AdresseCarte => self.op.card_address = Some(PartialAddress::default()),
            El::AdressePin => self.op.pin_address = Some(PartialAddress::default()),
            _ => {}
        }
        self.facts.open(el);
    }

    fn on_close(&mut self, el: El) {
        let start = self.stack.last().map_or(0, |f| f.start);
        match el {
            El::AdresseCarte | El::AdressePin => {
                let f = self.facts.close_address();
                self.finding(start, f);
            }
            El::DemandeCarte
            | El::ModificationPorteur
            | El::FinExercice
            | El::DeclarationIncident => {
                self.check_duplicates(el, start);
                self.facts.end_operation();
                let op = std::mem::take(&mut self.op);
                if self.settings.build_model && self.error_count == 0 {
                    if let Some(op) = build_operation(el, op) {
                        self.built.push(op);
                    }
                }
            }
            _ => {}
        }
    }

    /// The "same holder twice" rule, on the keys of the operation that closes at `start`.
    fn check_duplicates(&mut self, el: El, start: usize) {
        let Some(kind) = el.holder_kind() else {
            return;
        };
        if let Some(out) = self.keys_out.as_mut() {
            for (domain, key) in self.facts.holder_keys(&mut self.key) {
                out.push(hash_key(domain, key.as_bytes()));
            }
        }
        let (line, _) = self.lines.locate(start);
        let here = Seen {
            operation: u32::try_from(self.operations).unwrap_or(u32::MAX),
            line,
        };
        let mut dup: Option<(Seen, Message)> = None;
        for (domain, key) in self.facts.holder_keys(&mut self.key) {
            match self.seen[domain].entry(fingerprint(key)) {
                Entry::Occupied(seen) => {
                    let who = match self.facts.identity() {
                        Some((n, p, d)) if domain == IDENTITY => Message::new(match kind {
                            0 => "porteur_en_double_identite_demande",
                            1 => "porteur_en_double_identite_modification",
                            _ => "porteur_en_double_identite_fin_exercice",
                        })
                        .arg("birth_name", n)
                        .arg("first_names", p)
                        .arg("birth_date", d.to_string()),
                        _ => Message::new(match kind {
                            0 => "porteur_en_double_matricule_demande",
                            1 => "porteur_en_double_matricule_modification",
                            _ => "porteur_en_double_matricule_fin_exercice",
                        })
                        .arg("matricule", key),
                    };
                    dup = Some((*seen.get(), who));
                    break;
                }
                Entry::Vacant(slot) => {
                    slot.insert(here);
                }
            }
        }
        if let Some((seen, message)) = dup {
            let path = self.path();
            self.error(
                start,
                path,
                codes::PORTEUR_EN_DOUBLE,
                message
                    .arg("operation", seen.operation.to_string())
                    .arg("line", seen.line.to_string()),
            );
        }
    }

    /// A simple value was read (`valid`: it passed its type): apply the rules bound to its
    /// element ([`Facts::value`]) and keep it for the model.
    fn on_value(&mut self, el: El, value: String, start: usize, valid: bool) {
        let parent = self.parent_el();
        let finding = self
            .facts
            .value(parent, el, &value, valid, self.settings.today)
            .unwrap_or(None);
        let facts = &self.facts;
        let op = &mut self.op;
        match (parent, el) {
            (Some(El::Structure), El::Finess | El::Siret) => {
                let kind = if el == El::Finess {
                    StructureKind::Finess
                } else {
                    StructureKind::Siret
                };
                self.header.structure = Some(StructureId { kind, value });
            }
            (_, El::IdentifiantNational) => self.header.national_id = Some(value),
            (_, El::Nom) => self.header.last_name = Some(value),
            (_, El::Prenom) => self.header.first_name = Some(value),
            (Some(El::Emetteur), El::Email) => self.header.email = Some(value),
            (_, El::ReferenceEmetteur) => self.header.reference = Some(value),
            (_, El::DateCreation) => self.header.created_at = facts.created_at,
            (_, El::TypeCarte) => op.card_type = facts.card_type,
            (_, El::Nominative) => op.nominative = parse_bool(&value),
            (_, El::Civilite) => op.civility = Civility::from_code(&value),
            (_, El::NomNaissance) => op.birth_name = Some(value),
            (_, El::NomUsage) => op.usual_name = Some(value),
            (_, El::Prenoms) => op.first_names = Some(value),
            (_, El::DateNaissance) => op.birth_date = facts.birth_date,
            (_, El::LieuNaissance) => op.birth_place = Some(value),
            (_, El::Sexe) => op.sex = Sex::from_code(&value),
            (_, El::Email) => op.email = Some(value),
            (_, El::Telephone) => op.phone = Some(value),
            (_, El::Matricule) => op.matricule = Some(value),
            (_, El::NumeroSerieCarte) => op.serial = Some(value),
            (_, El::Profession) => {
                if let Some(a) = op.activity.as_mut() {
                    a.role = Some(Role::Profession(value));
                }
            }
            (_, El::Fonction) => {
                if let Some(a) = op.activity.as_mut() {
                    a.role = Some(Role::Function(value));
                }
            }
            (_, El::NumeroRpps) => {
                if let Some(a) = op.activity.as_mut() {
                    a.rpps = Some(value);
                }
            }
            (_, El::SecteurActivite) => {
                if let Some(a) = op.activity.as_mut() {
                    a.sector = Some(value);
                }
            }
            (_, El::GenreActivite) => {
                if let Some(a) = op.activity.as_mut() {
                    a.kind = Some(value);
                }
            }
            (_, El::ModeExercice) => {
                if let Some(a) = op.activity.as_mut() {
                    a.mode = PracticeMode::from_code(&value);
                }
            }
            (Some(p @ (El::AdresseCarte | El::AdressePin)), _) => {
                let addr = if p == El::AdresseCarte {
                    op.card_address.as_mut()
                } else {
                    op.pin_address.as_mut()
                };
                if let Some(a) = addr {
                    let field = match el {
                        El::Destinataire => &mut a.recipient,
                        El::Complement => &mut a.complement,
                        El::NumeroVoie => &mut a.street_number,
                        El::Voie => &mut a.street,
                        El::LieuDit => &mut a.locality,
                        El::CodePostal => &mut a.postal_code,
                        El::Commune => &mut a.city,
                        _ => &mut a.country,
                    };
                    *field = Some(value);
                }
            }
            (_, El::Nature) => op.nature = IncidentNature::from_code(&value),
            (_, El::DateFin | El::DateIncident) => op.date = facts.date,
            (_, El::Remplacement) => op.replacement = parse_bool(&value),
            _ => {}
        }
        self.finding(start, finding);
    }
}

/// Index of an operation kind in `op_counts`.
fn op_slot(el: El) -> usize {
    El::OPERATIONS.iter().position(|&e| e == el).unwrap_or(3)
}

fn build_header(h: PartialHeader) -> Option<Header> {
    Some(Header {
        structure: h.structure?,
        issuer: Issuer {
            national_id: h.national_id,
            last_name: h.last_name?,
            first_name: h.first_name?,
            email: h.email?,
        },
        issuer_reference: h.reference?,
        created_at: h.created_at?,
    })
}

fn build_operation(el: El, op: PartialOp) -> Option<Operation> {
    Some(match el {
        El::DemandeCarte => Operation::CardRequest(CardRequest {
            card_type: op.card_type?,
            holder: crate::order::model::Holder {
                civility: op.civility?,
                birth_name: op.birth_name?,
                usual_name: op.usual_name,
                first_names: op.first_names?,
                birth_date: op.birth_date?,
                birth_place: op.birth_place?,
                sex: op.sex?,
                email: op.email?,
                phone: op.phone?,
                matricule: op.matricule?,
            },
            activity: op.activity?.build()?,
            nominative: op.nominative.unwrap_or(true),
            card_address: op.card_address?.build()?,
            pin_address: op.pin_address?.build()?,
        }),
        El::ModificationPorteur => Operation::HolderChange(HolderChange {
            matricule: op.matricule?,
            civility: op.civility,
            birth_name: op.birth_name,
            usual_name: op.usual_name,
            first_names: op.first_names,
            email: op.email,
            phone: op.phone,
            activity: match op.activity {
                Some(a) => Some(a.build()?),
                None => None,
            },
            card_address: match op.card_address {
                Some(a) => Some(a.build()?),
                None => None,
            },
            pin_address: match op.pin_address {
                Some(a) => Some(a.build()?),
                None => None,
            },
        }),
        El::FinExercice => Operation::EndOfExercise(EndOfExercise {
            matricule: op.matricule?,
            date: op.date?,
        }),
        _ => Operation::IncidentDeclaration(IncidentDeclaration {
            card: match (op.matricule, op.serial) {
                (Some(m), _) => CardRef::Matricule(m),
                (None, Some(s)) => CardRef::SerialNumber(s),
                (None, None) => return None,
            },
            nature: op.nature?,
            date: op.date?,
            replacement: op.replacement?,
        }),
    })
}

fn names_of(els: &[El]) -> String {
    let mut s = String::new();
    for (i, e) in els.iter().enumerate() {
        if i > 0 {
            s.push_str(" ou ");
        }
        s.push('«');
        s.push(' ');
        s.push_str(e.name());
        s.push_str(" »");
    }
    s
}

fn is_xml_space(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// XML 1.0 `Char`.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// At most 60 characters of a value, for messages.
fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(60).filter(|c| !c.is_control()).collect();
    if s.chars().nth(60).is_some() {
        out.push('…');
    }
    out
}

/// An XML `Name` (approximation: non-ASCII characters are accepted as name characters).
fn is_xml_name(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == '_' || first == ':' || !first.is_ascii())
        && chars.all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':') || !c.is_ascii()
        })
}

/// `<?xml version="1.x" [encoding="…"] [standalone="yes|no"] ?>`, the XML 1.0 grammar of the
/// declaration, which quick-xml does not enforce.
fn is_xml_declaration(decl: &str) -> bool {
    fn space(s: &str) -> &str {
        s.trim_start_matches([' ', '\t', '\r', '\n'])
    }
    /// ` name = "value"`: returns the value and the rest.
    fn pseudo_attribute<'s>(s: &'s str, name: &str) -> Option<(&'s str, &'s str)> {
        let after_space = space(s);
        if after_space.len() == s.len() {
            return None;
        }
        let rest = space(after_space.strip_prefix(name)?);
        let rest = space(rest.strip_prefix('=')?);
        let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let rest = &rest[1..];
        let end = rest.find(quote)?;
        Some((&rest[..end], &rest[end + 1..]))
    }
    let Some(mut rest) = decl.strip_prefix("xml") else {
        return false;
    };
    let Some((version, after)) = pseudo_attribute(rest, "version") else {
        return false;
    };
    let version_ok = version
        .strip_prefix("1.")
        .is_some_and(|minor| !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit()));
    if !version_ok {
        return false;
    }
    rest = after;
    if let Some((encoding, after)) = pseudo_attribute(rest, "encoding") {
        let mut chars = encoding.chars();
        let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !ok {
            return false;
        }
        rest = after;
    }
    if let Some((standalone, after)) = pseudo_attribute(rest, "standalone") {
        if standalone != "yes" && standalone != "no" {
            return false;
        }
        rest = after;
    }
    space(rest).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_feeds_are_counted_in_blocks_as_one_by_one() {
        let mut bytes = Vec::new();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            bytes.push(if x.is_multiple_of(7) { b'\n' } else { x as u8 });
        }
        for (from, to) in [(0, 0), (0, 20_000), (3, 4097), (17, 8176), (100, 19_999)] {
            let slice = &bytes[from..to];
            let naive = slice.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(count_newlines(slice), naive, "{from}..{to}");
        }
        assert_eq!(count_newlines(&[b'\n'; 10_000]), 10_000);
    }
}
