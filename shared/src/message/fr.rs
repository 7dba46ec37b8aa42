//! The French catalogue: one entry per message code. Adding a message is one line here (and one
//! in each other language's file).

/// `(code, template)`; `{name}` is an argument, `{name:s}` adds "s" when it is above 1.
pub const CATALOGUE: &[(&str, &str)] = &[
    // API errors (errors::ErrorCode).
    ("no_certificate", "Aucune carte n'a été présentée. Insérez votre carte et consultez la page « Contrôle du poste »."),
    ("card_refused", "Votre carte a été refusée. La page « Contrôle du poste » indique pourquoi et que faire."),
    ("session_required", "Vous n'êtes pas connecté. Cliquez sur « Se connecter avec ma carte »."),
    ("session_expired", "Votre session a expiré. Reconnectez-vous avec votre carte."),
    ("csrf_missing", "La demande n'a pas pu être authentifiée. Rechargez la page puis recommencez."),
    ("cross_origin", "Demande refusée : elle ne provient pas de TOM."),
    ("forbidden_structure", "Vous n'avez pas de mandat pour cette structure."),
    ("operator_only", "Cette fonction est réservée aux opérateurs du service d'émission."),
    ("mandate_ended", "Votre mandat pour cette structure a pris fin : le représentant légal y a mis fin. Vous ne pouvez plus agir pour elle ; s'il s'agit d'une erreur, contactez-le."),
    ("mandataire_unknown", "Cette personne n'est pas mandataire en cours de la structure."),
    ("legal_representative_only", "Réservé au représentant légal de la structure."),
    ("not_found", "L'élément demandé n'existe pas."),
    ("unknown_route", "Cette adresse ne correspond à aucun service de TOM."),
    ("invalid_request", "La demande est incorrecte."),
    ("invalid_order", "Le fichier de commande contient des erreurs : corrigez-les puis déposez-le de nouveau."),
    ("structure_mismatch", "La commande est pour une autre structure que celle choisie : vérifiez le FINESS ou le SIRET de l'en-tête."),
    ("idempotency_key_missing", "La demande n'a pas de clé d'idempotence (en-tête Idempotency-Key, 1 à 128 caractères)."),
    ("payload_too_large", "Le fichier est trop volumineux."),
    ("contract_exists", "Cette structure a déjà un contrat : un nouveau contrat n'est nécessaire que si son FINESS ou son SIRET change."),
    ("contract_person_invalid", "Indiquez l'identifiant national, le nom et le prénom du représentant légal."),
    ("action_refused", "Cette action n'est pas possible dans l'état actuel de la ligne."),
    ("document_invalid", "Le justificatif doit être un fichier PDF, JPEG ou PNG."),
    ("too_many_attempts", "Trop de tentatives depuis cette carte ou ce poste : réessayez dans quelques minutes."),
    ("issuing_unavailable", "L'autorité de certification d'émission n'est pas disponible : la carte ne peut pas être fabriquée pour le moment."),
    ("internal", "Une erreur interne est survenue. Réessayez plus tard ; si elle persiste, contactez le service d'émission."),
    // API errors with details.
    ("invalid_order_count", "Le fichier de commande contient des erreurs : corrigez-les puis déposez-le de nouveau. {n} erreur{n:s} à corriger."),
    ("payload_too_large_mb", "Le fichier est trop volumineux : {max} Mo au plus."),
    ("reason_required", "Indiquez le motif du rejet (3 à 500 caractères) : il est montré au mandataire."),
    ("line_changed_meanwhile", "La ligne a été modifiée entre-temps : rechargez la page."),
    ("unknown_status", "Statut « {status} » inconnu."),
    ("unreadable_date", "Date « {date} » illisible : attendue sous la forme AAAA-MM-JJ."),
    ("unknown_audit_action", "Action « {action} » inconnue."),
    ("unreadable_query", "Les paramètres de la demande sont illisibles : vérifiez l'adresse (dates AAAA-MM-JJ, nombres entiers, chaque paramètre une seule fois)."),
    ("unreadable_body", "Le contenu de la demande est illisible : rechargez la page puis recommencez."),
    ("unreadable_cursor", "La page demandée (« {apres} ») est illisible : reprenez la liste depuis sa première page."),
    ("limit_out_of_range", "Le nombre de lignes par page doit être compris entre 1 et {max}."),
    ("dates_reversed", "La date de début est après la date de fin : inversez-les."),
    ("unknown_format", "Format « {format} » inconnu : json ou csv."),
    // Line lifecycle refusals (tracking::LineProgress::check): "{action} impossible : why".
    ("line_closed", "{action} impossible : la ligne est close (« {status} »)."),
    ("line_needs_no_document", "{action} impossible : cette ligne ne demande pas de justificatif."),
    ("line_document_already_received", "{action} impossible : le justificatif a déjà été déposé."),
    ("line_already_accepted", "{action} impossible : la ligne a déjà été acceptée."),
    ("line_document_missing", "{action} impossible : le justificatif n'a pas encore été déposé."),
    ("line_is_not_a_card_request", "{action} impossible : cette ligne ne demande pas de carte."),
    ("line_not_accepted", "{action} impossible : la ligne doit d'abord être acceptée."),
    ("line_already_fabricated", "{action} impossible : la carte a déjà été fabriquée."),
    ("line_not_fabricated", "{action} impossible : la carte doit d'abord être fabriquée."),
    ("line_step_already_done", "{action} impossible : déjà fait."),
    ("line_not_shipped", "{action} impossible : la carte et les codes doivent d'abord être expédiés."),
    // The fleet (fleet use cases).
    ("card_not_live", "{action} impossible : la carte n° {serial} n'est plus active (« {state} »)."),
    ("card_not_issued_by_tom", "{action} impossible : la carte n° {serial} n'a pas été émise par l'autorité de TOM ; adressez-vous à l'émetteur de la carte."),
    ("identity_from_rpps", "Les champs {fields} ne peuvent pas être modifiés dans TOM : pour les médecins, pharmaciens, chirurgiens-dentistes et sages-femmes, l'identité vient du RPPS ; la personne la fait corriger auprès de son ordre professionnel."),
    ("holder_change_empty", "Aucun changement : indiquez au moins une donnée différente de la donnée actuelle."),
    ("structure_name_invalid", "La raison sociale est obligatoire (60 caractères au plus)."),
    ("structure_address_too_long", "Chaque ligne d'adresse a 120 caractères au plus."),
    ("structure_phone_invalid", "Le téléphone ne contient que des chiffres, des espaces et « + . - » (20 caractères au plus)."),
    ("structure_email_invalid", "L'adresse électronique est incorrecte (forme nom@domaine.fr)."),
    ("structure_coordinates_invalid", "Coordonnées refusées : {errors} Corrigez-les puis enregistrez de nouveau."),
    ("register_not_an_extract", "Ce fichier n'est pas un extrait du registre FINESS : sa première ligne doit être « finess;etalab;<n>;<AAAA-MM-JJ> »."),
    ("holder_change_invalid", "Modification refusée : {errors}"),
    ("unknown_incident_nature", "Nature d'incident « {nature} » inconnue : perte, vol ou dysfonctionnement."),
    ("end_date_past", "La date de fin d'exercice ({date}) est passée : indiquez aujourd'hui ou une date à venir."),
    ("incident_date_future", "La date de l'incident ({date}) est dans le futur."),
    ("no_card_to_renew", "Sélectionnez au moins une carte à renouveler."),
    ("too_many_cards_to_renew", "{n} cartes sélectionnées : 5 000 au plus par commande de renouvellement."),
    ("card_without_holder_record", "{action} impossible : TOM ne connaît pas les données du porteur de la carte n° {serial} (carte émise hors de TOM) ; commandez la nouvelle carte par le formulaire."),
    ("unknown_card_state", "Statut « {state} » inconnu : active, expiree, opposee, fin_exercice ou remplacee."),
    ("unreadable_month", "Mois « {month} » illisible : attendu sous la forme AAAA-MM."),
    ("no_card_for_matricule", "Aucune carte active de matricule « {matricule} » dans la structure : vérifiez le matricule (colonne « matricule » du parc de cartes)."),
    ("no_card_with_serial", "Aucune carte active de numéro de série « {serial} » dans la structure : vérifiez le numéro (parc de cartes)."),
    ("done_holder_changed", "Données du porteur enregistrées ({fields})."),
    ("done_end_now", "Fin d'exercice enregistrée : la carte n° {serial} est révoquée et ne permet plus de se connecter.{mandates}"),
    ("done_end_scheduled", "Fin d'exercice programmée le {date} : la carte n° {serial} sera révoquée ce jour-là."),
    ("done_opposed", "Opposition faite : la carte n° {serial} est révoquée et ne permet plus de se connecter."),
    ("done_replacement", " Une carte de remplacement est commandée (commande {order})."),
    ("done_malfunction", "Dysfonctionnement déclaré : une carte de remplacement est commandée (commande {order}) ; la carte n° {serial} sera révoquée à la fabrication de la nouvelle."),
    ("done_renewal", "Commande de renouvellement {order} créée : {n} carte{n:s} à renouveler."),
    ("done_mandates_ended", " Mandat{n:s} de cette personne dans la structure terminé{n:s} : {n}."),
];

/// The template of a code, if the catalogue (this file or the order file's,
/// [`super::fr_order::CATALOGUE`]) has it.
pub fn template(code: &str) -> Option<&'static str> {
    CATALOGUE
        .iter()
        .chain(super::fr_order::CATALOGUE)
        .find(|(c, _)| *c == code)
        .map(|(_, t)| *t)
}
