//! Writer: [`Order`] → XML text in namespace `urn:tom:commande:v1`, valid against the schema
//! when the order's values are (the reader's output always is).

use std::fmt::Write as _;

use quick_xml::escape::escape;

use crate::order::model::{
    Activity, CardRef, HolderChange, Operation, Order, PostalAddress, Role, StructureKind,
};
use crate::order::NAMESPACE_V1;

/// Writes the whole order file, indented with two spaces, UTF-8 declaration included.
pub fn write_order(order: &Order) -> String {
    let mut out = String::with_capacity(1024 + order.operations.len() * 1600);
    write_prologue(&mut out, order);
    for op in &order.operations {
        write_operation(&mut out, op);
    }
    write_epilogue(&mut out);
    out
}

/// Everything before the first operation.
pub fn write_prologue(out: &mut String, order: &Order) {
    let h = &order.header;
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<commande xmlns=\"{NAMESPACE_V1}\">");
    out.push_str("  <entete>\n    <structure>\n");
    let tag = match h.structure.kind {
        StructureKind::Finess => "finess",
        StructureKind::Siret => "siret",
    };
    leaf(out, 6, tag, &h.structure.value);
    out.push_str("    </structure>\n    <emetteur>\n");
    opt_leaf(
        out,
        6,
        "identifiantNational",
        h.issuer.national_id.as_deref(),
    );
    leaf(out, 6, "nom", &h.issuer.last_name);
    leaf(out, 6, "prenom", &h.issuer.first_name);
    leaf(out, 6, "email", &h.issuer.email);
    out.push_str("    </emetteur>\n");
    leaf(out, 4, "referenceEmetteur", &h.issuer_reference);
    leaf(out, 4, "dateCreation", &h.created_at.to_string());
    out.push_str("  </entete>\n  <operations>\n");
}

/// Everything after the last operation.
pub fn write_epilogue(out: &mut String) {
    out.push_str("  </operations>\n</commande>\n");
}

/// One operation, at the indentation of the children of `operations`.
pub fn write_operation(out: &mut String, op: &Operation) {
    match op {
        Operation::CardRequest(r) => {
            out.push_str("    <demandeCarte>\n");
            leaf(out, 6, "typeCarte", r.card_type.code());
            let h = &r.holder;
            out.push_str("      <porteur>\n");
            leaf(out, 8, "civilite", h.civility.code());
            leaf(out, 8, "nomNaissance", &h.birth_name);
            opt_leaf(out, 8, "nomUsage", h.usual_name.as_deref());
            leaf(out, 8, "prenoms", &h.first_names);
            leaf(out, 8, "dateNaissance", &h.birth_date.to_string());
            leaf(out, 8, "lieuNaissance", &h.birth_place);
            leaf(out, 8, "sexe", h.sex.code());
            leaf(out, 8, "email", &h.email);
            leaf(out, 8, "telephone", &h.phone);
            leaf(out, 8, "matricule", &h.matricule);
            out.push_str("      </porteur>\n");
            activity(out, &r.activity);
            // The default (true) is written out: explicit is clearer for the reader of the file.
            leaf(
                out,
                6,
                "nominative",
                if r.nominative { "true" } else { "false" },
            );
            address(out, "adresseCarte", &r.card_address);
            address(out, "adressePin", &r.pin_address);
            out.push_str("    </demandeCarte>\n");
        }
        Operation::HolderChange(c) => holder_change(out, c),
        Operation::EndOfExercise(e) => {
            out.push_str("    <finExercice>\n");
            leaf(out, 6, "matricule", &e.matricule);
            leaf(out, 6, "dateFin", &e.date.to_string());
            out.push_str("    </finExercice>\n");
        }
        Operation::IncidentDeclaration(d) => {
            out.push_str("    <declarationIncident>\n");
            match &d.card {
                CardRef::Matricule(m) => leaf(out, 6, "matricule", m),
                CardRef::SerialNumber(s) => leaf(out, 6, "numeroSerieCarte", s),
            }
            leaf(out, 6, "nature", d.nature.code());
            leaf(out, 6, "dateIncident", &d.date.to_string());
            leaf(
                out,
                6,
                "remplacement",
                if d.replacement { "true" } else { "false" },
            );
            out.push_str("    </declarationIncident>\n");
        }
    }
}

fn holder_change(out: &mut String, c: &HolderChange) {
    out.push_str("    <modificationPorteur>\n");
    leaf(out, 6, "matricule", &c.matricule);
    opt_leaf(out, 6, "civilite", c.civility.map(|c| c.code()));
    opt_leaf(out, 6, "nomNaissance", c.birth_name.as_deref());
    opt_leaf(out, 6, "nomUsage", c.usual_name.as_deref());
    opt_leaf(out, 6, "prenoms", c.first_names.as_deref());
    opt_leaf(out, 6, "email", c.email.as_deref());
    opt_leaf(out, 6, "telephone", c.phone.as_deref());
    if let Some(a) = &c.activity {
        activity(out, a);
    }
    if let Some(a) = &c.card_address {
        address(out, "adresseCarte", a);
    }
    if let Some(a) = &c.pin_address {
        address(out, "adressePin", a);
    }
    out.push_str("    </modificationPorteur>\n");
}

fn activity(out: &mut String, a: &Activity) {
    out.push_str("      <activite>\n");
    match &a.role {
        Role::Profession(p) => leaf(out, 8, "profession", p),
        Role::Function(f) => leaf(out, 8, "fonction", f),
    }
    opt_leaf(out, 8, "numeroRpps", a.rpps.as_deref());
    leaf(out, 8, "secteurActivite", &a.sector);
    opt_leaf(out, 8, "genreActivite", a.activity_kind.as_deref());
    opt_leaf(out, 8, "modeExercice", a.practice_mode.map(|m| m.code()));
    out.push_str("      </activite>\n");
}

fn address(out: &mut String, tag: &str, a: &PostalAddress) {
    let _ = writeln!(out, "      <{tag}>");
    leaf(out, 8, "destinataire", &a.recipient);
    opt_leaf(out, 8, "complement", a.complement.as_deref());
    opt_leaf(out, 8, "numeroVoie", a.street_number.as_deref());
    opt_leaf(out, 8, "voie", a.street.as_deref());
    opt_leaf(out, 8, "lieuDit", a.locality.as_deref());
    leaf(out, 8, "codePostal", &a.postal_code);
    leaf(out, 8, "commune", &a.city);
    leaf(out, 8, "pays", &a.country);
    let _ = writeln!(out, "      </{tag}>");
}

fn leaf(out: &mut String, indent: usize, tag: &str, value: &str) {
    for _ in 0..indent {
        out.push(' ');
    }
    out.push('<');
    out.push_str(tag);
    out.push('>');
    out.push_str(&escape(value));
    out.push_str("</");
    out.push_str(tag);
    out.push_str(">\n");
}

fn opt_leaf(out: &mut String, indent: usize, tag: &str, value: Option<&str>) {
    if let Some(v) = value {
        leaf(out, indent, tag, v);
    }
}
