//! The public FINESS establishment extract (domain.md §6): `;`-separated, quoted fields with
//! doubled quotes, no header but a first line `finess;etalab;<n>;<YYYY-MM-DD>`, `structureet` and
//! `geolocalisation` records, UTF-8 or ISO-8859-1. Read record by record with the csv crate.

use std::collections::VecDeque;
use std::io::Read;

use shared::ids::Finess;

use super::source::{Establishment, Located, Refusal, RegisterRecord, RegisterSource};

/// Fields of a `structureet` record up to `datemaj` (`numuai`, the last, may be missing).
const ESTABLISHMENT_FIELDS: usize = 31;
/// `geolocalisation;nofinesset;x;y;source;date`.
const GEOLOCATION_FIELDS: usize = 6;

/// Why a file is not an extract at all (its first line).
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("ce fichier n'est pas un extrait du registre FINESS : sa première ligne doit être « finess;etalab;<n>;<AAAA-MM-JJ> »")]
    NotAnExtract,
    #[error("lecture de l'extrait impossible")]
    Unreadable(#[from] csv::Error),
}

/// The text encoding, decided on the first line that is not plain ASCII and kept after it: a
/// file is UTF-8 when that line is, ISO-8859-1 otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Undecided,
    Utf8,
    Latin1,
}

/// Counts the lines that flow through, so that a record's line number is exact (the csv crate's
/// own count skips blank lines): the offsets of the newlines read but not yet passed by a record.
struct LineCounter<R> {
    inner: R,
    read: u64,
    newlines: VecDeque<u64>,
    passed: u64,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, _) in buf[..n].iter().enumerate().filter(|(_, b)| **b == b'\n') {
            self.newlines.push_back(self.read + i as u64);
        }
        self.read += n as u64;
        Ok(n)
    }
}

impl<R> LineCounter<R> {
    /// The line (from 1) of the byte at `offset`; offsets must not go back.
    fn line_at(&mut self, offset: u64) -> u64 {
        while self.newlines.front().is_some_and(|&n| n < offset) {
            self.newlines.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

pub struct FinessExtract<R: Read> {
    reader: csv::Reader<LineCounter<R>>,
    record: csv::ByteRecord,
    date: String,
    encoding: Encoding,
}

impl<R: Read> FinessExtract<R> {
    /// Opens an extract: reads and checks its first line.
    pub fn open(input: R) -> Result<Self, ExtractError> {
        let reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .flexible(true)
            .from_reader(LineCounter {
                inner: input,
                read: 0,
                newlines: VecDeque::new(),
                passed: 0,
            });
        let mut extract = Self {
            reader,
            record: csv::ByteRecord::new(),
            date: String::new(),
            encoding: Encoding::Undecided,
        };
        if !extract.reader.read_byte_record(&mut extract.record)? {
            return Err(ExtractError::NotAnExtract);
        }
        let first = &extract.record;
        let date = first.get(3).and_then(|d| std::str::from_utf8(d).ok());
        match (first.get(0), first.get(1), date) {
            (Some(b"finess"), Some(b"etalab"), Some(date)) if is_date(date) => {
                extract.date = date.to_string();
                Ok(extract)
            }
            _ => Err(ExtractError::NotAnExtract),
        }
    }

    /// The record's fields as text, in the file's encoding.
    fn decode(&mut self, line: u64) -> Result<Vec<String>, Refusal> {
        let ascii = self.record.iter().all(|f| f.is_ascii());
        if !ascii && self.encoding == Encoding::Undecided {
            let utf8 = self.record.iter().all(|f| std::str::from_utf8(f).is_ok());
            self.encoding = if utf8 {
                Encoding::Utf8
            } else {
                Encoding::Latin1
            };
        }
        self.record
            .iter()
            .map(|field| match self.encoding {
                Encoding::Latin1 => Ok(field.iter().map(|&b| b as char).collect()),
                _ => std::str::from_utf8(field)
                    .map(|s| s.to_string())
                    .map_err(|_| Refusal {
                        line,
                        reason: "caractères illisibles : le fichier est en UTF-8 mais cette ligne ne l'est pas".into(),
                    }),
            })
            .collect()
    }
}

impl<R: Read + Send> RegisterSource for FinessExtract<R> {
    fn extract_date(&self) -> &str {
        &self.date
    }

    fn next_record(&mut self) -> anyhow::Result<Option<Result<Located, Refusal>>> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return Ok(None),
                Ok(true) => {}
                Err(e) if e.is_io_error() => {
                    return Err(anyhow::Error::from(e).context("lecture de l'extrait FINESS"))
                }
                Err(e) => {
                    let byte = e.position().map_or(0, |p| p.byte());
                    let line = self.reader.get_mut().line_at(byte);
                    return Ok(Some(Err(Refusal {
                        line,
                        reason: "ligne illisible".into(),
                    })));
                }
            }
            // The record's position may be that of blank lines before it: its line is the one
            // of its last byte (its terminator).
            let end = self.reader.position().byte();
            let line = self.reader.get_mut().line_at(end.saturating_sub(1));
            // A blank line (often the last) is no record.
            if self.record.len() == 1 && self.record[0].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let fields = match self.decode(line) {
                Ok(fields) => fields,
                Err(refusal) => return Ok(Some(Err(refusal))),
            };
            return Ok(Some(
                parse_record(&fields)
                    .map(|record| Located { line, record })
                    .map_err(|reason| Refusal { line, reason }),
            ));
        }
    }
}

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// One record from its decoded fields, or the French reason it is refused.
pub fn parse_record(fields: &[String]) -> Result<RegisterRecord, String> {
    let field = |i: usize| fields.get(i).map(|f| f.trim()).unwrap_or("");
    match field(0) {
        "structureet" => {
            if fields.len() < ESTABLISHMENT_FIELDS {
                return Err(format!(
                    "enregistrement structureet incomplet : {} champs au lieu de {}",
                    fields.len(),
                    ESTABLISHMENT_FIELDS + 1
                ));
            }
            let finess = valid_finess(field(1), "nofinesset")?;
            let legal_entity_finess = match field(2) {
                "" => None,
                ej => Some(valid_finess(ej, "nofinessej")?),
            };
            let name = match (field(4), field(3)) {
                ("", "") => return Err("raison sociale (rs) absente".into()),
                ("", short) => short,
                (long, _) => long,
            };
            let joined = |indexes: &[usize]| {
                indexes
                    .iter()
                    .map(|&i| field(i))
                    .filter(|f| !f.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let updated_on = field(30);
            if !updated_on.is_empty() && !is_date(updated_on) {
                return Err(format!(
                    "date de mise à jour (datemaj) « {updated_on} » illisible : attendue AAAA-MM-JJ"
                ));
            }
            let siret = field(22);
            Ok(RegisterRecord::Establishment(Establishment {
                finess,
                legal_entity_finess,
                name: name.to_string(),
                address_line: joined(&[7, 8, 9, 10]),
                address_complement: joined(&[6, 11]),
                postal_line: field(15).to_string(),
                phone: field(16).to_string(),
                siret: shared::ids::Siret::parse(siret)
                    .ok()
                    .map(|s| s.as_str().to_string()),
                category: field(19).to_string(),
                updated_on: updated_on.to_string(),
            }))
        }
        "geolocalisation" => {
            if fields.len() < GEOLOCATION_FIELDS - 1 {
                return Err(format!(
                    "enregistrement geolocalisation incomplet : {} champs au lieu de {}",
                    fields.len(),
                    GEOLOCATION_FIELDS
                ));
            }
            let finess = valid_finess(field(1), "nofinesset")?;
            Ok(RegisterRecord::Geolocation {
                finess,
                geolocation: format!("{};{};{}", field(2), field(3), field(4)),
            })
        }
        "" => Err("type d'enregistrement absent".into()),
        other => Err(format!(
            "type d'enregistrement « {} » inconnu (attendu structureet ou geolocalisation)",
            other.chars().take(40).collect::<String>()
        )),
    }
}

fn valid_finess(text: &str, name: &str) -> Result<String, String> {
    Finess::parse(text)
        .map(|f| f.as_str().to_string())
        .map_err(|_| {
            format!(
                "{name} « {} » n'est pas un numéro FINESS valide (9 caractères, clé de Luhn)",
                text.chars().take(20).collect::<String>()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLEYRIAT: &str = "structureet;010000024;010780054;CH DE FLEYRIAT;CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT;;;900;RTE;DE PARIS;;;451;01;AIN;01440 VIRIAT;0474454647;0474454114;355;Centre Hospitalier (C.H.);1102;Centres Hospitaliers;26010004500012;8610Z;03;ARS établissements Publics de santé dotation globale;1;Etablissement public de santé;1979-02-13;1979-02-13;2020-02-04;";

    fn records(bytes: &[u8]) -> (String, Vec<Result<Located, Refusal>>) {
        let mut extract = FinessExtract::open(bytes).unwrap();
        let mut all = Vec::new();
        while let Some(r) = extract.next_record().unwrap() {
            all.push(r);
        }
        (extract.extract_date().to_string(), all)
    }

    #[test]
    fn the_domain_example_is_read_as_an_establishment_of_its_legal_entity() {
        let file = format!("finess;etalab;100;2024-06-30\n{FLEYRIAT}\ngeolocalisation;010000024;870043.5;6571890.1;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2024-06-30\n");
        let (date, all) = records(file.as_bytes());
        assert_eq!(date, "2024-06-30");
        let Ok(Located {
            line: 2,
            record: RegisterRecord::Establishment(e),
        }) = &all[0]
        else {
            panic!("{:?}", all[0])
        };
        assert_eq!(e.finess, "010000024");
        assert_eq!(e.legal_entity_finess.as_deref(), Some("010780054"));
        assert_eq!(e.name, "CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT");
        assert_eq!(e.address_line, "900 RTE DE PARIS");
        assert_eq!(e.postal_line, "01440 VIRIAT");
        assert_eq!(e.phone, "0474454647");
        assert_eq!(e.siret.as_deref(), Some("26010004500012"));
        assert_eq!(e.category, "Centre Hospitalier (C.H.)");
        assert_eq!(e.updated_on, "2020-02-04");
        assert!(
            matches!(&all[1], Ok(Located { line: 3, record: RegisterRecord::Geolocation { finess, .. } }) if finess == "010000024")
        );
    }

    #[test]
    fn latin1_is_detected_and_quoted_fields_keep_their_semicolons_and_quotes() {
        let line = FLEYRIAT.replace(
            "CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT",
            "\"CH \"\"LE PR\u{c9}\"\"; SITE\"",
        );
        let text = format!("finess;etalab;1;2024-06-30\n{line}\n");
        let latin1: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
        let (_, all) = records(&latin1);
        let Ok(Located {
            record: RegisterRecord::Establishment(e),
            ..
        }) = &all[0]
        else {
            panic!("{:?}", all[0])
        };
        assert_eq!(e.name, "CH \"LE PR\u{c9}\"; SITE");
        // The quoted field did not shift the others.
        assert_eq!(e.postal_line, "01440 VIRIAT");
        let (_, utf8) = records(text.as_bytes());
        assert!(
            matches!(&utf8[0], Ok(Located { record: RegisterRecord::Establishment(e), .. }) if e.name == "CH \"LE PR\u{c9}\"; SITE")
        );
    }

    #[test]
    fn a_malformed_line_is_refused_with_its_number_and_reason_and_reading_goes_on() {
        let bad_key = FLEYRIAT.replace("010000024", "010000025");
        let file = format!("finess;etalab;1;2024-06-30\n{FLEYRIAT}\nstructureet;trop;court\n{bad_key}\nautre;x\n\n{FLEYRIAT}\n");
        let (_, all) = records(file.as_bytes());
        let refusals: Vec<(u64, String)> = all
            .iter()
            .filter_map(|r| r.as_ref().err().map(|r| (r.line, r.reason.clone())))
            .collect();
        assert_eq!(refusals.len(), 3, "{refusals:?}");
        assert_eq!(refusals[0].0, 3);
        assert!(refusals[0].1.contains("incomplet"));
        assert_eq!(refusals[1].0, 4);
        assert!(refusals[1].1.contains("FINESS"));
        assert_eq!(refusals[2].0, 5);
        assert!(refusals[2].1.contains("inconnu"));
        assert!(
            matches!(all.last(), Some(Ok(Located { line: 7, .. }))),
            "{:?}",
            all.last()
        );
    }

    #[test]
    fn a_file_without_the_first_line_is_not_an_extract() {
        assert!(matches!(
            FinessExtract::open(FLEYRIAT.as_bytes()),
            Err(ExtractError::NotAnExtract)
        ));
        assert!(matches!(
            FinessExtract::open(&b""[..]),
            Err(ExtractError::NotAnExtract)
        ));
    }
}
