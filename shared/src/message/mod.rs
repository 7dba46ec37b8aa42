//! Messages as data: a stable code and its named arguments, rendered through one catalogue per
//! language (`fr.rs`; an English catalogue is a second file of the same shape). The rules, the
//! tracking lifecycle, the API errors and the SPA all speak through it.

pub mod fr;
pub mod fr_order;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// A message to show: what happened (`code`) and the values that complete it (`args`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub code: Cow<'static, str>,
    /// `{name}` placeholders of the catalogue's template, in any order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(Cow<'static, str>, String)>,
}

impl Message {
    pub fn new(code: &'static str) -> Self {
        Self {
            code: Cow::Borrowed(code),
            args: Vec::new(),
        }
    }

    /// Adds an argument (builder style).
    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((Cow::Borrowed(name), value.into()));
        self
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Renders with a catalogue: `{name}` replaced by the argument, `{name:s}` by "s" when the
    /// argument is a number above 1 (French plural); an unknown code is shown as itself.
    pub fn render(&self, catalogue: fn(&str) -> Option<&'static str>) -> String {
        let Some(template) = catalogue(&self.code) else {
            return self.code.to_string();
        };
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                out.push_str(&rest[open..]);
                rest = "";
                break;
            };
            let inner = &rest[open + 1..open + close];
            match inner.split_once(':') {
                Some((name, suffix)) => {
                    let plural = self
                        .value(name)
                        .and_then(|v| v.parse::<u64>().ok())
                        .is_some_and(|n| n > 1);
                    if plural {
                        out.push_str(suffix);
                    }
                }
                None => out.push_str(self.value(inner).unwrap_or("")),
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// In French.
    pub fn to_french(&self) -> String {
        self.render(fr::template)
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_french())
    }
}

/// The message of a refused order file: the table's sentence and the number of errors.
pub fn order_refused(errors: usize) -> String {
    Message::new("invalid_order_count")
        .arg("n", errors.to_string())
        .to_french()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_and_plurals_are_rendered() {
        assert_eq!(
            order_refused(1),
            "Le fichier de commande contient des erreurs : corrigez-les puis déposez-le de nouveau. 1 erreur à corriger."
        );
        assert!(order_refused(3).ends_with("3 erreurs à corriger."));
        assert_eq!(Message::new("inconnu").to_french(), "inconnu");
    }

    #[test]
    fn every_code_of_the_catalogue_is_unique_and_ends_a_sentence() {
        let mut codes: Vec<_> = fr::CATALOGUE.iter().map(|(c, _)| *c).collect();
        let n = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), n, "code en double dans le catalogue");
        for (code, text) in fr::CATALOGUE {
            assert!(
                text.ends_with('.') || text.ends_with('»') || text.ends_with(')'),
                "{code}: {text}"
            );
        }
    }
}
