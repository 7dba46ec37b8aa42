//! The reader's API: positions, progress, steps, warnings, and the model of the examples.

mod common;

use std::fs;

use shared::order::errors::{codes, Severity};
use shared::order::model::{CardType, Operation, Role, StructureKind};
use shared::order::{validate, Validator};

fn model_text() -> String {
    fs::read_to_string(common::examples().join("modele-commande-cpe.xml")).unwrap()
}

#[test]
fn complete_example_reads_into_the_expected_model() {
    let bytes = fs::read(common::examples().join("commande-complete.xml")).unwrap();
    let order = validate(&bytes, common::today()).order.unwrap();
    assert_eq!(order.header.structure.kind, StructureKind::Finess);
    assert_eq!(order.header.structure.value, "010000024");
    assert_eq!(
        order.header.created_at.to_string(),
        "2026-11-20T09:30:00+01:00"
    );
    assert_eq!(order.operations.len(), 6);
    let Operation::CardRequest(first) = &order.operations[0] else {
        panic!("demande attendue")
    };
    assert_eq!(first.card_type, CardType::Cpe);
    assert_eq!(first.holder.usual_name.as_deref(), Some("LEFÈVRE-DURAND"));
    assert_eq!(first.activity.role, Role::Function("FON-18".into()));
    assert_eq!(first.card_address.country, "FR");
    assert_eq!(first.pin_address.country, "FR");
    assert!(first.nominative);
    let Operation::CardRequest(second) = &order.operations[1] else {
        panic!("demande attendue")
    };
    assert_eq!(second.activity.rpps.as_deref(), Some("10001234565"));
    assert!(matches!(order.operations[2], Operation::HolderChange(_)));
    assert!(matches!(order.operations[3], Operation::EndOfExercise(_)));
    assert!(matches!(
        order.operations[5],
        Operation::IncidentDeclaration(_)
    ));
}

#[test]
fn line_and_column_count_characters_after_multibyte_text() {
    let xml = model_text().replace(
        "<lieuNaissance>Rouen</lieuNaissance>",
        "<lieuNaissance>Évreux</lieuNaissance><sexe>X</sexe>",
    );
    let report = validate(xml.as_bytes(), common::today());
    let e = report
        .errors
        .iter()
        .find(|e| e.code == codes::ELEMENT_MAL_PLACE || e.code == codes::CODE_INCONNU)
        .unwrap();
    let line_no = xml.lines().position(|l| l.contains("Évreux")).unwrap() as u32 + 1;
    assert_eq!(e.line, line_no);
    // 8 spaces, "<lieuNaissance>" (15), "Évreux" (6 characters), "</lieuNaissance>" (16) → column 46.
    assert_eq!(e.column, 46);
    assert_eq!(e.path, "/commande/operations/demandeCarte[1]/porteur/sexe");
}

#[test]
fn invalid_utf8_is_reported_with_its_line() {
    let mut bytes = model_text().into_bytes();
    let at = bytes.windows(5).position(|w| w == b"ROUEN").unwrap();
    bytes[at + 1] = 0xD6;
    let report = validate(&bytes, common::today());
    assert_eq!(report.errors.len(), 1);
    let e = &report.errors[0];
    assert_eq!(e.code, codes::UTF8_INVALIDE);
    assert!(
        e.message.contains(&format!("position {}", at + 1)),
        "{}",
        e.message
    );
    let line = bytes[..at].iter().filter(|b| **b == b'\n').count() as u32 + 1;
    assert_eq!(e.line, line);
}

#[test]
fn corsican_finess_is_accepted_with_a_warning() {
    let body = shared::ids::with_luhn_key("21000000");
    let finess = format!("2A{}", &body[2..]);
    let xml = model_text().replace("760021832", &finess);
    let report = validate(xml.as_bytes(), common::today());
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].severity, Severity::Warning);
    assert_eq!(report.errors[0].code, codes::FINESS_CORSE_NON_VERIFIE);
    assert!(report.is_valid());
    assert!(report.order.is_some());
}

#[test]
fn steps_and_progress_give_the_same_report_as_one_call() {
    let (xml, _) = shared::order::generate::generate(300, 5, 12);
    let validator = Validator::new(common::today());
    let whole = validator.validate(xml.as_bytes());

    let mut run = validator.start(xml.as_bytes());
    let mut last = 0;
    let mut steps = 0;
    while !run.step(16 * 1024) {
        assert!(run.bytes_done() >= last);
        last = run.bytes_done();
        steps += 1;
    }
    assert!(steps > 5);
    assert_eq!(run.bytes_done(), run.total_bytes());
    assert_eq!(run.finish(), whole);

    let mut seen = Vec::new();
    let with_progress =
        validator.validate_with_progress(xml.as_bytes(), 32 * 1024, |done| seen.push(done));
    assert_eq!(with_progress, whole);
    assert!(seen.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(*seen.last().unwrap(), xml.len());
}

#[test]
fn validation_without_model_reports_the_same_errors() {
    let (xml, _) = shared::order::generate::generate(200, 9, 7);
    let with = Validator::new(common::today()).validate(xml.as_bytes());
    let without = Validator::new(common::today())
        .build_model(false)
        .validate(xml.as_bytes());
    assert_eq!(with.errors, without.errors);
    let (valid, _) = shared::order::generate::generate(20, 9, 0);
    assert!(Validator::new(common::today())
        .build_model(false)
        .validate(valid.as_bytes())
        .order
        .is_none());
}

#[test]
fn business_rules_depend_on_the_given_today() {
    let xml = model_text();
    // Born 1995-06-21: too young if "today" is 2008.
    let early = shared::order::Date::new(2008, 1, 1).unwrap();
    let report = validate(xml.as_bytes(), early);
    assert!(report
        .errors
        .iter()
        .any(|e| e.code == codes::DATE_NAISSANCE_INVRAISEMBLABLE));
    assert!(report.errors.iter().any(|e| e.code == codes::DATE_FUTURE));
}

#[test]
fn all_errors_of_a_file_are_reported_not_just_the_first() {
    let xml = model_text()
        .replace(
            "<codePostal>76000</codePostal>",
            "<codePostal>7600</codePostal>",
        )
        .replace(
            "<secteurActivite>SA33</secteurActivite>",
            "<secteurActivite>SA99</secteurActivite>",
        )
        .replace("760021832", "760021833");
    let report = validate(xml.as_bytes(), common::today());
    let codes_found: Vec<_> = report.errors.iter().map(|e| e.code).collect();
    assert!(codes_found.contains(&codes::FINESS_CLE_INVALIDE));
    assert!(codes_found.contains(&codes::CODE_INCONNU));
    assert_eq!(
        codes_found
            .iter()
            .filter(|c| **c == codes::FORMAT_INVALIDE)
            .count(),
        2
    );
}

#[test]
fn cps_with_a_fonction_is_refused() {
    let xml = model_text().replace("<typeCarte>CPE</typeCarte>", "<typeCarte>CPS</typeCarte>");
    let report = validate(xml.as_bytes(), common::today());
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].code, codes::CPS_SANS_PROFESSION);
}

#[test]
fn same_identity_under_two_matricules_is_a_duplicate() {
    let text = model_text();
    let start = text.find("    <demandeCarte>").unwrap();
    let end = text.find("  </operations>").unwrap();
    let twin = text[start..end]
        .replace("000000018", "000000019")
        .replace("Julie", "JULIE");
    let xml = text.replacen("  </operations>", &format!("{twin}  </operations>"), 1);
    let report = validate(xml.as_bytes(), common::today());
    assert_eq!(report.errors.len(), 1, "{:#?}", report.errors);
    assert_eq!(report.errors[0].code, codes::PORTEUR_EN_DOUBLE);
    assert_eq!(
        report.errors[0].path,
        "/commande/operations/demandeCarte[2]"
    );
}

#[test]
fn dates_of_changes_ends_and_incidents_are_checked() {
    let text = fs::read_to_string(common::examples().join("commande-complete.xml")).unwrap();
    let xml = text
        .replace("<dateFin>2026-11-30</dateFin>", "<dateFin>2031-01-01</dateFin>")
        .replace("<dateIncident>2026-11-18</dateIncident>", "<dateIncident>2026-12-18</dateIncident>")
        .replace(
            "<matricule>00815</matricule>",
            "<matricule>00815</matricule>\n      <activite><profession>93</profession><secteurActivite>SA01</secteurActivite></activite>",
        );
    let report = validate(xml.as_bytes(), common::today());
    let found: Vec<_> = report
        .errors
        .iter()
        .map(|e| (e.code, e.path.as_str()))
        .collect();
    assert!(
        found.contains(&(
            codes::DATE_TROP_LOINTAINE,
            "/commande/operations/finExercice[1]/dateFin"
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            codes::DATE_FUTURE,
            "/commande/operations/declarationIncident[1]/dateIncident"
        )),
        "{found:?}"
    );
    // Placed before nomUsage, the activity block makes nomUsage and what follows misplaced for
    // the schema; the deprecated profession is reported all the same.
    assert!(
        found.contains(&(
            codes::PROFESSION_OBSOLETE,
            "/commande/operations/modificationPorteur[1]/activite/profession"
        )),
        "{found:?}"
    );
}
