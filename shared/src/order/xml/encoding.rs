//! The encodings an order file may be written in: found from the byte order mark or the XML
//! declaration, and turned into UTF-8 for the readers, which read nothing else.

use std::borrow::Cow;

/// An encoding TOM reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-8, or US-ASCII (a subset of it).
    Utf8,
    /// ISO-8859-1 proper: each byte is the character of the same number (0x80–0x9F included,
    /// unlike windows-1252, which the WHATWG labels give the name `iso-8859-1`).
    Latin1,
    /// ISO-8859-15.
    Latin9,
    Windows1252,
    /// UTF-16 little-endian, after its byte order mark.
    Utf16Le,
    /// UTF-16 big-endian, after its byte order mark.
    Utf16Be,
}

/// The names accepted in `encoding="…"`, any case, as in the documentation (README, XSD).
pub(crate) fn from_label(label: &str) -> Option<Encoding> {
    let label = label.to_ascii_lowercase();
    Some(match label.as_str() {
        "utf-8" | "utf8" | "us-ascii" | "ascii" => Encoding::Utf8,
        "iso-8859-1" | "iso8859-1" | "iso_8859-1" | "latin1" | "latin-1" => Encoding::Latin1,
        "iso-8859-15" | "iso8859-15" | "iso_8859-15" | "latin9" | "latin-9" => Encoding::Latin9,
        "windows-1252" | "cp1252" => Encoding::Windows1252,
        // The byte order mark says which UTF-16, whatever the label.
        "utf-16" | "utf-16le" | "utf-16be" => Encoding::Utf16Le,
        _ => return None,
    })
}

impl Encoding {
    fn is_utf16(self) -> bool {
        matches!(self, Encoding::Utf16Le | Encoding::Utf16Be)
    }
}

/// Whether the declaration's `encoding="label"` suits a file found to be in `found`: an
/// accepted name, UTF-16 exactly when the byte order mark was UTF-16's.
pub(crate) fn label_fits(label: &str, found: Encoding) -> bool {
    from_label(label).is_some_and(|e| e.is_utf16() == found.is_utf16())
}

/// The file's encoding: the byte order mark's, else the declaration's, else UTF-8.
/// `Err(label)`: the declaration names an encoding TOM does not read (UTF-16 without its byte
/// order mark included).
pub(crate) fn detect(bytes: &[u8]) -> Result<Encoding, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Ok(Encoding::Utf16Le);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Ok(Encoding::Utf16Be);
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(Encoding::Utf8);
    }
    // Without a byte order mark, a document starts with `<` (XML 1.0, appendix F): its bytes
    // tell UTF-32 and UTF-16 apart from the ASCII-compatible encodings.
    match bytes.get(..4) {
        Some([0, 0, 0, b'<']) | Some([b'<', 0, 0, 0]) => {
            return Err("UTF-32 (UCS-4)".into());
        }
        Some([0, b'<', _, _]) | Some([b'<', 0, _, _]) => {
            return Err("UTF-16 sans marque d'ordre des octets (BOM)".into());
        }
        _ => {}
    }
    let Some(label) = declared(bytes) else {
        return Ok(Encoding::Utf8);
    };
    match std::str::from_utf8(label).ok().and_then(from_label) {
        Some(e) if !e.is_utf16() => Ok(e),
        _ => Err(String::from_utf8_lossy(label).into_owned()),
    }
}

/// The `encoding` pseudo-attribute of an XML declaration at the very start of `bytes` (read
/// as ASCII, which every single-byte encoding accepted here extends). A malformed
/// declaration gives `None`: the reader reports it.
fn declared(bytes: &[u8]) -> Option<&[u8]> {
    let head = &bytes[..bytes.len().min(512)];
    let decl = head.strip_prefix(b"<?xml")?;
    if !decl.first()?.is_ascii_whitespace() {
        return None;
    }
    let decl = &decl[..decl.windows(2).position(|w| w == b"?>")?];
    let at = decl.windows(8).position(|w| w == b"encoding")?;
    let rest = decl[at + 8..].trim_ascii_start();
    let rest = rest.strip_prefix(b"=")?.trim_ascii_start();
    let quote = *rest.first().filter(|q| **q == b'"' || **q == b'\'')?;
    let rest = &rest[1..];
    Some(&rest[..rest.iter().position(|b| *b == quote)?])
}

/// A UTF-16 file that does not decode: the offset in the file of its first bad unit.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct BadUtf16(pub usize);

/// The file as UTF-8: itself when it is UTF-8 or only ASCII bytes, else transcoded whole.
///
/// Lines and columns (counted in characters) stay those of the user's file: a single-byte
/// encoding maps each byte to one character and keeps newlines; UTF-16 maps each character
/// to one character too (an astral character's two units to one), and its byte order mark
/// becomes UTF-8's, so the report is that of the same file saved in UTF-8 with its mark.
pub(crate) fn to_utf8(bytes: &[u8], encoding: Encoding) -> Result<Cow<'_, [u8]>, BadUtf16> {
    let text = match encoding {
        Encoding::Utf8 => return Ok(Cow::Borrowed(bytes)),
        _ if !encoding.is_utf16() && bytes.is_ascii() => return Ok(Cow::Borrowed(bytes)),
        Encoding::Latin1 => bytes.iter().map(|&b| char::from(b)).collect::<String>(),
        Encoding::Latin9 => decode(encoding_rs::ISO_8859_15, bytes),
        Encoding::Windows1252 => decode(encoding_rs::WINDOWS_1252, bytes),
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let codec = if encoding == Encoding::Utf16Le {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            let units = &bytes[2..];
            match codec.decode_without_bom_handling_and_without_replacement(units) {
                Some(text) => format!("\u{FEFF}{text}"),
                None => return Err(BadUtf16(2 + first_bad_unit(units, encoding))),
            }
        }
    };
    Ok(Cow::Owned(text.into_bytes()))
}

/// A file in another encoding written out as UTF-8 by [`transcode`]: the encoding it was
/// found in, which the validator needs to accept the declaration that still names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transcoded(pub(crate) Encoding);

/// Bytes of the file decoded at a time by [`transcode`].
const PIECE: usize = 1 << 16;

/// Writes the file in `bytes` (found in `encoding`) to `out` as UTF-8, a piece of 64 KiB at a
/// time, so that a large file in a single-byte encoding or in UTF-16 is read with flat memory
/// (the caller streams `out` to a file and reads that). `release(from, to)` is told the bytes
/// already decoded. What `out` receives is what [`to_utf8`] returns, byte for byte.
/// `Ok(Err(BadUtf16))`: UTF-16 that does not decode (the caller reports it from the file).
pub(crate) fn transcode_into(
    bytes: &[u8],
    encoding: Encoding,
    out: &mut dyn std::io::Write,
    release: &dyn Fn(usize, usize),
) -> std::io::Result<Result<(), BadUtf16>> {
    let (codec, from) = match encoding {
        Encoding::Utf8 => {
            out.write_all(bytes)?;
            return Ok(Ok(()));
        }
        Encoding::Latin1 => (None, 0),
        Encoding::Latin9 => (Some(encoding_rs::ISO_8859_15), 0),
        Encoding::Windows1252 => (Some(encoding_rs::WINDOWS_1252), 0),
        Encoding::Utf16Le => (Some(encoding_rs::UTF_16LE), 2),
        Encoding::Utf16Be => (Some(encoding_rs::UTF_16BE), 2),
    };
    if encoding.is_utf16() {
        out.write_all("\u{FEFF}".as_bytes())?;
    }
    let mut decoder = codec.map(|c| c.new_decoder_without_bom_handling());
    let mut buffer = String::with_capacity(PIECE * 3 + 16);
    let mut at = from;
    while at < bytes.len() {
        let end = (at + PIECE).min(bytes.len());
        let last = end == bytes.len();
        buffer.clear();
        match &mut decoder {
            None => buffer.extend(bytes[at..end].iter().map(|&b| char::from(b))),
            Some(decoder) => {
                let (result, read) = decoder.decode_to_string_without_replacement(
                    &bytes[at..end],
                    &mut buffer,
                    last,
                );
                match result {
                    encoding_rs::DecoderResult::InputEmpty => debug_assert_eq!(read, end - at),
                    encoding_rs::DecoderResult::Malformed(..) => {
                        let units = &bytes[from..];
                        return Ok(Err(BadUtf16(from + first_bad_unit(units, encoding))));
                    }
                    // The buffer holds three bytes per input byte at most: never full.
                    encoding_rs::DecoderResult::OutputFull => unreachable!("tampon trop petit"),
                }
            }
        }
        out.write_all(buffer.as_bytes())?;
        release(at, end);
        at = end;
    }
    Ok(Ok(()))
}

fn decode(codec: &'static encoding_rs::Encoding, bytes: &[u8]) -> String {
    // Every byte has a character in these two (windows-1252's five holes are C1 controls in
    // the WHATWG table), so nothing is replaced.
    codec.decode_without_bom_handling(bytes).0.into_owned()
}

/// Offset in `units` of the first unpaired surrogate or odd last byte.
fn first_bad_unit(units: &[u8], encoding: Encoding) -> usize {
    let unit = |i: usize| {
        let pair = [units[i], units[i + 1]];
        if encoding == Encoding::Utf16Le {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    };
    let mut i = 0;
    while i + 1 < units.len() {
        match unit(i) {
            0xD800..=0xDBFF if i + 3 < units.len() && (0xDC00..=0xDFFF).contains(&unit(i + 2)) => {
                i += 4
            }
            0xD800..=0xDFFF => return i,
            _ => i += 2,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declaration_names_the_encoding() {
        let detect = |s: &str| super::detect(s.as_bytes());
        assert_eq!(
            detect("<?xml version='1.0' encoding='ISO-8859-1'?><a/>"),
            Ok(Encoding::Latin1)
        );
        assert_eq!(
            detect("<?xml version=\"1.0\" encoding = \"windows-1252\"?>"),
            Ok(Encoding::Windows1252)
        );
        assert_eq!(
            detect("<?xml version=\"1.0\" encoding=\"iso-8859-15\"?>"),
            Ok(Encoding::Latin9)
        );
        assert_eq!(
            detect("<?xml version=\"1.0\" encoding=\"US-ASCII\"?>"),
            Ok(Encoding::Utf8)
        );
        assert_eq!(detect("<?xml version=\"1.0\"?><a/>"), Ok(Encoding::Utf8));
        assert_eq!(detect("<a/>"), Ok(Encoding::Utf8));
        let utf16le: Vec<u8> = "<?xml version=\"1.0\"?>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(super::detect(&utf16le)
            .unwrap_err()
            .starts_with("UTF-16 sans marque"));
        let utf16be: Vec<u8> = "<a/>".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(super::detect(&utf16be)
            .unwrap_err()
            .starts_with("UTF-16 sans marque"));
        assert_eq!(
            super::detect(&[b'<', 0, 0, 0]),
            Err("UTF-32 (UCS-4)".into())
        );
        assert_eq!(
            detect("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>"),
            Err("Shift_JIS".into())
        );
        assert_eq!(
            detect("<?xml version=\"1.0\" encoding=\"UTF-16\"?>"),
            Err("UTF-16".into())
        );
    }

    #[test]
    fn transcoding_in_pieces_gives_what_transcoding_whole_gives() {
        let text: String = "<?xml version=\"1.0\"?><a>LEFÈVRE Œuvre Šibenik €</a>\n".repeat(5000);
        let cases: Vec<(Encoding, Vec<u8>)> = vec![
            (
                Encoding::Latin9,
                encoding_rs::ISO_8859_15
                    .encode(&text.replace(['€', 'Œ', 'Š'], "e"))
                    .0
                    .into_owned(),
            ),
            (
                Encoding::Windows1252,
                encoding_rs::WINDOWS_1252.encode(&text).0.into_owned(),
            ),
            (
                Encoding::Latin1,
                text.replace(['€', 'Œ', 'Š'], "e")
                    .chars()
                    .map(|c| c as u8)
                    .collect(),
            ),
            (
                Encoding::Utf16Le,
                [0xFF, 0xFE]
                    .into_iter()
                    .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
                    .collect(),
            ),
            (
                Encoding::Utf16Be,
                [0xFE, 0xFF]
                    .into_iter()
                    .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
                    .collect(),
            ),
        ];
        for (encoding, bytes) in cases {
            assert!(bytes.len() > 3 * PIECE);
            let mut out = Vec::new();
            let released = std::cell::Cell::new(0);
            transcode_into(&bytes, encoding, &mut out, &|_, to| released.set(to))
                .unwrap()
                .unwrap();
            assert_eq!(
                out,
                to_utf8(&bytes, encoding).unwrap().into_owned(),
                "{encoding:?}"
            );
            assert_eq!(released.get(), bytes.len());
        }
        // A surrogate cut between two pieces is decoded; an unpaired one is located.
        let mut bytes = vec![0xFF, 0xFE];
        while bytes.len() < PIECE {
            bytes.extend_from_slice(&[b'a', 0]);
        }
        bytes.truncate(PIECE);
        bytes.extend_from_slice(&[0x3D, 0xD8, 0x00, 0xDE, b'b', 0]);
        let mut out = Vec::new();
        transcode_into(&bytes, Encoding::Utf16Le, &mut out, &|_, _| {})
            .unwrap()
            .unwrap();
        assert!(String::from_utf8(out).unwrap().ends_with("a\u{1F600}b"));
        let bad = [0xFF, 0xFE, b'<', 0, 0x00, 0xD8, b'/', 0];
        let mut out = Vec::new();
        assert_eq!(
            transcode_into(&bad, Encoding::Utf16Le, &mut out, &|_, _| {}).unwrap(),
            Err(BadUtf16(4))
        );
    }

    #[test]
    fn an_unpaired_surrogate_is_located() {
        let mut bytes = vec![0xFF, 0xFE, b'<', 0, b'a', 0];
        bytes.extend_from_slice(&[0x00, 0xD8, b'/', 0]);
        assert_eq!(to_utf8(&bytes, Encoding::Utf16Le), Err(BadUtf16(6)));
    }
}
