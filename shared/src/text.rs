//! Text values as TOM's rules see them, wherever they come from (a form, a spreadsheet cell, an
//! XML file): in Unicode normalisation form C, and without control characters.
//!
//! - NFC (Unicode Standard Annex #15): an accent typed on a Mac (NFD: `e` + U+0301) and one typed
//!   on Windows (`é`, U+00E9) are the same value, for the patterns, the lengths and the holder keys.
//! - Control characters (general category Cc: C0 U+0000–U+001F, DEL U+007F, C1 U+0080–U+009F)
//!   are never part of a name or an address line: they come from a file saved in the wrong code
//!   page or from a copy and paste, and would be printed on the card as they are. XML 1.0 already
//!   forbids C0 but tab, line feed and carriage return; DEL and C1 are allowed by XML and refused
//!   here, as by the `Libelle` patterns of `tom-commande-v1.xsd`.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// `s` in normalisation form C; borrowed (no work) when it already is, which ASCII always is.
pub fn nfc(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// Whether `c` is a control character TOM refuses in a value: C0 other than tab, line feed and
/// carriage return (those are refused or folded by each type's own pattern), DEL, and C1.
pub fn is_refused_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
}

/// The first refused control character of `s`: its 1-based position in characters, and itself.
pub fn control_character(s: &str) -> Option<(usize, char)> {
    s.chars()
        .enumerate()
        .find(|(_, c)| is_refused_control(*c))
        .map(|(i, c)| (i + 1, c))
}

/// `U+0085`: how a character is named in messages.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// Whether a value can be judged as it is written: already NFC and without a refused control
/// character. The validator's fast path gives way to the full reader otherwise.
pub fn is_plain(s: &str) -> bool {
    s.is_ascii()
        && !s
            .bytes()
            .any(|b| b == 0x7F || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')))
        || (!s.chars().any(is_refused_control) && is_nfc_quick(s.chars()) == IsNormalized::Yes)
}

/// The form in which names are searched: lower case, accents dropped, ligatures spelt out, and
/// hyphens, apostrophes and runs of spaces made one space; so « helene le-goff » finds
/// « Hélène LE GOFF » and « Le Goff Hélène » is found by « goff h ». Stored next to the name and
/// applied to what the user types, the database compares plain text the same way on SQLite and
/// PostgreSQL.
pub fn search_key(s: &str) -> String {
    let mut key = String::with_capacity(s.len());
    let mut space = true;
    for c in s.nfd() {
        if ('\u{300}'..='\u{36F}').contains(&c) {
            continue;
        }
        let folded: &str = match c {
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            'ß' => "ss",
            c if c.is_whitespace() || matches!(c, '-' | '\'' | '’' | '‘') => " ",
            _ => "",
        };
        if folded == " " {
            if !space {
                key.push(' ');
            }
            space = true;
        } else if !folded.is_empty() {
            key.push_str(folded);
            space = false;
        } else if !is_refused_control(c) {
            key.extend(c.to_lowercase());
            space = false;
        }
    }
    if key.ends_with(' ') {
        key.pop();
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_and_nfc_spellings_are_one_value() {
        assert_eq!(nfc("He\u{301}le\u{300}ne"), "Hélène");
        assert!(matches!(nfc("Hélène"), Cow::Borrowed(_)));
        assert!(matches!(nfc("LOUIN"), Cow::Borrowed(_)));
        assert_eq!(
            nfc("Œ\u{301}"),
            "Œ\u{301}",
            "no precomposed form: kept as is"
        );
    }

    #[test]
    fn search_keys_ignore_case_accents_and_hyphens() {
        assert_eq!(search_key("Hélène LE-GOFF"), "helene le goff");
        assert_eq!(search_key("He\u{301}le\u{300}ne"), "helene");
        assert_eq!(search_key("  Cœur  d’Alène "), "coeur d alene");
        assert_eq!(search_key("CHU de Saint-Étienne"), "chu de saint etienne");
        assert_eq!(search_key("C7X9"), "c7x9");
    }

    #[test]
    fn control_characters_are_found_with_their_position() {
        assert_eq!(control_character("Šibenik"), None);
        assert_eq!(control_character("\u{8A}ibenik"), Some((1, '\u{8A}')));
        assert_eq!(control_character("AB\u{7F}"), Some((3, '\u{7F}')));
        assert_eq!(control_character("é\u{1}"), Some((2, '\u{1}')));
        assert_eq!(control_character("a\tb"), None);
        assert_eq!(code_point('\u{85}'), "U+0085");
    }

    #[test]
    fn plain_values_need_no_second_look() {
        assert!(is_plain("RUE DE PARIS"));
        assert!(is_plain("Hélène"));
        assert!(!is_plain("He\u{301}le\u{300}ne"));
        assert!(!is_plain("A\u{85}B"));
        assert!(!is_plain("A\u{7F}"));
        assert!(is_plain("a\tb"));
    }
}
