//! The French catalogue of the order file: the findings of the reader and of the business rules,
//! and the problems of a spreadsheet. Shown in a table, one per row: fragments, no final period.
//! A key is the finding's code (`order::errors::codes`) when the code has one sentence, or the
//! code followed by what sets the sentence apart when it has several.

/// `(code, template)`; `{name}` is an argument, as in [`super::fr::CATALOGUE`].
pub const CATALOGUE: &[(&str, &str)] = &[
    // XML and safety.
    ("utf8_invalide", "le fichier n'est pas en UTF-8 : octet 0x{byte} à la position {position} ; enregistrez le fichier en UTF-8"),
    ("xml_mal_forme", "XML mal formé : {detail}"),
    ("xml_mal_forme_attribut", "attribut mal formé : {detail}"),
    ("xml_mal_forme_fin_de_cdata", "« ]]> » interdit dans le texte"),
    ("xml_mal_forme_declaration", "déclaration XML mal formée ou mal placée (attendu en tête : <?xml version=\"1.0\" encoding=\"UTF-8\"?>)"),
    ("xml_mal_forme_instruction", "instruction de traitement mal formée : « {target} »"),
    ("xml_mal_forme_fin_inattendue", "fin de fichier inattendue : des éléments ne sont pas fermés"),
    ("xml_mal_forme_fichier_vide", "fichier vide : aucun élément commande"),
    ("xml_mal_forme_apres_racine", "contenu après la fin de l'élément racine"),
    ("xml_mal_forme_texte_hors_racine", "texte en dehors de l'élément racine"),
    ("xml_mal_forme_prefixe", "préfixe « {prefix} » non déclaré"),
    ("doctype_interdit", "déclaration DOCTYPE refusée (ni DTD ni entités dans un fichier de commande)"),
    ("entite_inconnue", "entité « &{entity}; » inconnue : seules &lt; &gt; &amp; &apos; &quot; sont permises"),
    ("caractere_interdit", "caractère de contrôle interdit en XML"),
    ("caractere_controle", "« {element} » contient un caractère de contrôle invisible ({character}) en position {position} : il vient d'un copier-coller ou d'un fichier enregistré dans un autre encodage ; retapez la valeur"),
    ("caractere_interdit_reference", "référence de caractère « &{reference}; » interdite en XML"),
    ("encodage_non_supporte", "encodage « {encoding} » : TOM lit les fichiers en UTF-8, US-ASCII, ISO-8859-1, ISO-8859-15, windows-1252 ou UTF-16 avec marque d'ordre des octets (BOM) ; enregistrez le fichier dans l'un de ces encodages, de préférence UTF-8"),
    ("utf8_invalide_utf16", "le fichier n'est pas en UTF-16 valide : demi-caractère isolé à la position {position} ; enregistrez le fichier en UTF-8"),
    ("profondeur_excessive", "éléments imbriqués sur plus de {max} niveaux : fichier refusé"),
    ("trop_d_elements", "plus de {max} éléments : fichier refusé"),
    ("texte_trop_long", "valeur de plus de {max} octets : elle est ignorée"),
    ("limite_erreurs_atteinte", "{max} erreurs : limite atteinte, la suite du fichier n'a pas été vérifiée"),
    // Schema level.
    ("racine_invalide", "l'élément racine doit être « commande » dans l'espace de noms {namespace} (trouvé « {element} » dans « {found} »)"),
    ("element_inconnu", "élément « {element} » inconnu à cet endroit"),
    ("element_inconnu_espace_de_noms", "élément « {element} » hors de l'espace de noms {namespace}"),
    ("element_inconnu_dans_parent", "élément « {element} » non prévu dans « {parent} »"),
    ("element_mal_place", "élément « {element} » mal placé ou répété dans « {parent} » : respectez l'ordre du modèle"),
    ("element_manquant", "élément {names} manquant dans « {parent} »"),
    ("element_manquant_avant", "élément {names} manquant avant « {element} »"),
    ("modification_vide", "modification de porteur sans aucun champ à modifier"),
    ("contenu_inattendu", "texte « {text} » inattendu dans « {element} » (seuls des éléments y sont permis)"),
    ("contenu_inattendu_element", "« {parent} » contient une valeur, pas d'élément « {element} »"),
    ("attribut_interdit", "attribut « {attribute} » non prévu par le format"),
    // A value that does not fit its type (format_invalide, longueur_invalide, code_inconnu,
    // date_invalide, booleen_invalide): `expected` is the schema's description of the type.
    ("valeur_invalide", "valeur « {value} » invalide pour « {element} » : attendu {expected}"),
    // Business rules.
    ("finess_cle_invalide", "FINESS {value} invalide ({reason}) : vérifiez le numéro dans le répertoire FINESS"),
    ("finess_corse_non_verifie", "FINESS corse {value} : clé calculée avec 2A→21 et 2B→22, règle non confirmée ; vérifiez le numéro dans le répertoire FINESS"),
    ("siret_cle_invalide", "SIRET {value} invalide ({reason}) : vérifiez le numéro (avis de situation INSEE)"),
    ("siret_siren_invalide", "SIRET {value} invalide : les 9 premiers chiffres ne forment pas un SIREN valide"),
    ("rpps_cle_invalide", "numéro RPPS {value} invalide ({reason}) : recopiez-le depuis l'annuaire santé"),
    ("date_naissance_invraisemblable", "date de naissance {date} invraisemblable : attendue entre {earliest}-01-01 et {latest} (porteur d'au moins {min_age} ans)"),
    ("date_future_creation", "date de création {date} dans le futur (aujourd'hui : {today})"),
    ("date_future_incident", "date d'incident {date} dans le futur (aujourd'hui : {today})"),
    ("date_trop_lointaine", "date de fin d'exercice {date} trop lointaine : au plus tard le {latest}"),
    ("date_invraisemblable", "date {date} invraisemblable (antérieure à {earliest})"),
    ("cps_profession_rpps", "CPS refusée pour la profession {profession} ({label}) : ces cartes sont délivrées par l'ordre professionnel via le RPPS"),
    ("cps_sans_profession", "une CPS est réservée aux professionnels de santé : indiquez une profession (TRE_G15) plutôt qu'une fonction, ou demandez une CPE"),
    ("profession_obsolete", "profession {profession} ({label}) obsolète : elle n'est plus acceptée pour une nouvelle commande ; indiquez une fonction (TRE_R21) ou une profession en vigueur"),
    ("adresse_incomplete_sans_voie", "adresse incomplète pour la distribution postale : indiquez une voie ou un lieu-dit"),
    ("adresse_incomplete_numero_sans_voie", "adresse incomplète : un numéro de voie est donné sans la voie"),
    // The same holder twice: by identity (card requests) or by matricule, per kind of operation.
    ("porteur_en_double_identite_demande", "porteur en double ({birth_name} {first_names} né(e) le {birth_date}) : déjà une demande de carte à l'opération n°{operation} (ligne {line}) ; une seule par porteur et par fichier"),
    ("porteur_en_double_identite_modification", "porteur en double ({birth_name} {first_names} né(e) le {birth_date}) : déjà une modification à l'opération n°{operation} (ligne {line}) ; une seule par porteur et par fichier"),
    ("porteur_en_double_identite_fin_exercice", "porteur en double ({birth_name} {first_names} né(e) le {birth_date}) : déjà une fin d'exercice à l'opération n°{operation} (ligne {line}) ; une seule par porteur et par fichier"),
    ("porteur_en_double_matricule_demande", "porteur en double (matricule {matricule}) : déjà une demande de carte à l'opération n°{operation} (ligne {line}) ; une seule par porteur et par fichier"),
    ("porteur_en_double_matricule_modification", "porteur en double (matricule {matricule}) : déjà une modification à l'opération n°{operation} (ligne {line}) ; une seule par porteur et par fichier"),
    ("porteur_en_double_matricule_fin_exercice", "porteur en double (matricule {matricule}) : déjà une fin d'exercice à l'opération n°{operation} (ligne {line}) ; une seule par porteur et par fichier"),
    // The spreadsheet itself (sheet::SheetError).
    ("tableur_guillemet_ouvert", "guillemet ouvert jamais refermé"),
    ("tableur_vide", "le fichier est vide : la première ligne doit porter les titres des colonnes du modèle"),
    ("tableur_colonne_inconnue", "colonne « {column} » inconnue : utilisez les titres du modèle à télécharger"),
    ("tableur_colonne_absente", "colonne obligatoire « {column} » absente"),
    ("tableur_sans_ligne", "aucune ligne de commande sous les titres"),
    ("classeur_illisible", "ce fichier n'est pas un classeur XLSX lisible : ouvrez-le dans Excel et enregistrez-le au format « Classeur Excel (*.xlsx) »"),
    ("classeur_sans_feuille", "classeur sans feuille"),
    ("classeur_feuille_illisible", "feuille « {sheet} » illisible : ouvrez le classeur dans Excel et enregistrez-le de nouveau"),
    ("classeur_feuille_trop_grande", "feuille trop grande : déposez au plus 50 000 lignes par fichier"),
    ("classeur_ancien_format", "ce fichier est un classeur Excel 97-2003 (.xls) ou un classeur protégé par mot de passe : ouvrez-le dans Excel et enregistrez-le au format « Classeur Excel (*.xlsx) », sans mot de passe"),
    ("tableur_colonne_en_double", "colonne « {column} » présente deux fois : gardez-en une seule"),
    ("tableur_caractere_invisible", "« {column} » contient {what} en position {position}, invisible à l'écran : retapez la valeur sur une seule ligne, avec des espaces ordinaires"),
    ("tableur_erreur_excel", "« {column} » contient l'erreur Excel {value} : corrigez la formule de la cellule ou tapez la valeur"),
    ("tableur_illisible", "fichier CSV illisible : enregistrez-le depuis Excel au format « CSV UTF-8 (délimité par des virgules) »"),
    ("tableur_encodage_indecidable", "l'encodage des caractères accentués de ce fichier CSV ne peut pas être déterminé avec certitude (Windows ou Mac) : dans Excel, choisissez Fichier, Enregistrer sous, type « CSV UTF-8 (délimité par des virgules) », puis déposez ce fichier"),
    ("tableur_zero_de_tete", "« {column} » vaut {value} : Excel a pris la valeur pour un nombre et retiré le zéro du début ({digits} chiffres attendus) ; mettez la colonne au format Texte (clic droit, Format de cellule, Texte) et retapez la valeur avec son zéro"),
    ("tableur_notation_scientifique", "« {column} » vaut {value} : Excel a écrit ce numéro en notation scientifique et ses derniers chiffres sont perdus ; mettez la colonne au format Texte (clic droit, Format de cellule, Texte) et retapez le numéro complet"),
    ("tableur_nombre_pour_texte", "« {column} » vaut {value} : Excel a pris la valeur pour un nombre (le « + » ou les espaces sont perdus) ; mettez la colonne au format Texte (clic droit, Format de cellule, Texte) et retapez la valeur"),
    ("tableur_annee_deux_chiffres", "« {column} » vaut {value} : l'année n'a que deux chiffres ; écrivez la date au format JJ/MM/AAAA (par exemple 09/04/1988), ou mettez la colonne au format Date courte"),
    ("tableur_caractere_controle", "« {column} » contient un caractère de contrôle invisible ({character}) en position {position} : il vient d'un copier-coller ou d'un fichier enregistré dans un autre encodage ; retapez la valeur"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::fr::{self, template};
    use crate::message::Message;
    use crate::order::errors::codes;

    /// The files that build the order's messages, read at compile time.
    const SOURCES: &[(&str, &str)] = &[
        ("order/rules.rs", include_str!("../order/rules.rs")),
        ("order/xml/read.rs", include_str!("../order/xml/read.rs")),
        (
            "order/xml/validator.rs",
            include_str!("../order/xml/validator.rs"),
        ),
        ("order/sheet.rs", include_str!("../order/sheet.rs")),
        ("order/xlsx.rs", include_str!("../order/xlsx.rs")),
        ("order/table.rs", include_str!("../order/table.rs")),
    ];

    fn is_key(s: &str) -> bool {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    }

    /// Every message code the sources name: `Message::new("key")`, `fail_with("key")`, a match
    /// arm `=> "key"`, a `NOT_XLSX` constant (keys have an underscore), and `codes::NAME` given
    /// to `Message::new`, `message` or `with_label` (the code as its own message).
    fn codes_in(source: &str) -> Vec<String> {
        let mut found = Vec::new();
        for before in [
            "Message::new(\"",
            "fail_with(\"",
            "note(\"",
            "=> \"",
            "NOT_XLSX: &str = \"",
        ] {
            for (at, _) in source.match_indices(before) {
                let rest = &source[at + before.len()..];
                let key = &rest[..rest.find('"').unwrap_or(0)];
                if is_key(key) && key.contains('_') {
                    found.push(key.to_owned());
                }
            }
        }
        for before in [
            "Message::new(codes::",
            "message(codes::",
            "with_label(codes::",
        ] {
            for (at, _) in source.match_indices(before) {
                let rest = &source[at + before.len()..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()))
                    .unwrap_or(rest.len());
                found.push(rest[..end].to_ascii_lowercase());
            }
        }
        found
    }

    #[test]
    fn every_message_code_of_the_order_files_has_a_french_entry() {
        let mut seen = 0;
        for (file, source) in SOURCES {
            for key in codes_in(source) {
                assert!(
                    template(&key).is_some(),
                    "{file} : « {key} » absent du catalogue"
                );
                seen += 1;
            }
        }
        // The scan finds the sites (so that this test cannot pass by finding nothing).
        assert!(seen >= CATALOGUE.len(), "{seen} sites seulement");
    }

    #[test]
    fn every_entry_is_used_unique_and_well_formed() {
        let used: Vec<String> = SOURCES.iter().flat_map(|(_, s)| codes_in(s)).collect();
        let mut keys: Vec<&str> = fr::CATALOGUE
            .iter()
            .chain(CATALOGUE)
            .map(|(k, _)| *k)
            .collect();
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "clé en double entre les catalogues");
        for (key, text) in CATALOGUE {
            assert!(is_key(key), "{key}");
            assert!(
                used.iter().any(|u| u == key),
                "« {key} » n'est plus utilisé"
            );
            // A finding's key is its code, or its code followed by what sets it apart.
            let owner = codes::ALL.iter().any(|c| key.starts_with(c))
                || ["valeur_invalide", "tableur_", "classeur_"]
                    .iter()
                    .any(|p| key.starts_with(p));
            assert!(owner, "« {key} » : à quel code appartient-il ?");
            assert_eq!(
                text.matches('{').count(),
                text.matches('}').count(),
                "{key}"
            );
            assert!(!text.ends_with('.'), "{key} : fragment sans point final");
        }
    }

    /// A template with each placeholder given the value `<name>`.
    fn with_named_args(key: &'static str) -> String {
        let text = template(key).unwrap();
        let mut m = Message::new(key);
        for part in text.split('{').skip(1) {
            let name = &part[..part.find('}').unwrap()];
            m.args.push((name.to_owned().into(), format!("<{name}>")));
        }
        m.to_french()
    }

    #[test]
    fn every_placeholder_is_replaced() {
        for (key, _) in CATALOGUE {
            let text = with_named_args(key);
            assert!(!text.contains('{') && !text.contains('}'), "{key} : {text}");
        }
    }
}
