//! The SPA's words, French first. Error texts come from `shared` (one table for server and SPA).

pub const APP_NAME: &str = "TOM";
pub const APP_TAGLINE: &str = "Gestion des cartes CPx de votre établissement";
pub const NAV_HOME: &str = "Accueil";
pub const NAV_SPACE: &str = "Mon espace";
pub const NAV_CHECK: &str = "Contrôle du poste";
pub const NAV_FAQ: &str = "Questions fréquentes";
pub const NAV_CHECK_FILE: &str = "Vérifier un fichier";
pub const CHECK_FILE_TITLE: &str = "Vérifier un fichier de commande";
pub const CHECK_FILE_INTRO: &str = "Vérifiez un fichier de commande XML avant de l'envoyer. La vérification se fait dans votre navigateur : le fichier n'est pas transmis à TOM. Chaque erreur est donnée avec sa ligne, le champ concerné et ce qu'il faut corriger.";
pub const DROP_HERE: &str = "Déposez votre fichier XML ici, ou";
pub const CHOOSE_FILE: &str = "choisissez un fichier";
pub const DOWNLOAD_XSD: &str = "Télécharger le schéma du fichier (XSD, version 1)";
pub const DOWNLOAD_MODEL: &str = "Télécharger un modèle de commande de CPE";
pub const CHECKING: &str = "Vérification de";
pub const FILE_VALID: &str = "Le fichier est valide.";
pub const FILE_INVALID: &str = "Le fichier contient des erreurs";
pub const DOWNLOAD_CSV: &str = "Télécharger la liste des erreurs (CSV)";
pub const ERRORS_CAPTION: &str = "Erreurs du fichier (cliquez sur un titre de colonne pour trier)";
pub const COL_LINE: &str = "Ligne";
pub const COL_FIELD: &str = "Champ";
pub const COL_CODE: &str = "Code";
pub const COL_MESSAGE: &str = "Message";
pub const LOGIN: &str = "Se connecter avec ma carte";
pub const LOGOUT: &str = "Se déconnecter";
pub const LOADING: &str = "Chargement…";
pub const HOME_INTRO: &str = "TOM permet aux mandataires des établissements de santé de commander les cartes CPx de leur personnel (par formulaire, par fichier ou par tableur), de suivre chaque commande et de consulter le parc de cartes émises par TOM.";
pub const LOGIN_TITLE: &str = "Connexion";
pub const SKIP_TO_CONTENT: &str = "Aller au contenu";
pub const FOOTER: &str = "TOM — téléservice de gestion des cartes CPx. Service de démonstration : les cartes et données sont fictives.";
pub const CONTACT_TITLE: &str = "Contacter le service d'émission";
pub const CONTACT_INTRO: &str =
    "Si ces réponses ne vous permettent pas d'avancer, le service d'émission vous répond :";
pub const CONTACT_LABEL: &str = "Coordonnées du service d'émission";
pub const CONTACT_EMAIL: &str = "Courriel";
pub const CONTACT_PHONE: &str = "Téléphone";
pub const NONE: &str = "aucun";
pub const HOME_CARD_READY: &str =
    "Votre carte est reconnue. Connectez-vous pour accéder à votre espace.";
pub const HOME_CARD_PROBLEM: &str = "Vous ne pouvez pas encore vous connecter";
pub const SEE_CHECK_PAGE: &str = "Voir le contrôle détaillé du poste";
pub const WELCOME: &str = "Bienvenue";
pub const NATIONAL_ID: &str = "Identifiant national";
pub const CARD_TYPE: &str = "Type de carte";
pub const STRUCTURES_TITLE: &str = "Structures pour lesquelles vous pouvez agir";
pub const NO_STRUCTURE: &str = "Vous n'avez de mandat actif pour aucune structure. Pour en recevoir un, demandez au représentant légal de votre structure de vous désigner mandataire dans TOM (page de la structure, « Désigner un mandataire ») ; le mandat commence quand le service d'émission valide la désignation.";
pub const OPERATOR_NOTE: &str =
    "Vous êtes opérateur du service d'émission : vous avez accès à toutes les structures.";
pub const COL_STRUCTURE: &str = "Structure";
pub const COL_FINESS: &str = "FINESS";
pub const COL_SIRET: &str = "SIRET";
pub const COL_ROLE: &str = "Rôle";
pub const COL_NAME: &str = "Nom";
pub const COL_FIRST_NAME: &str = "Prénom";
pub const PEOPLE_TITLE: &str = "Représentant légal et mandataires";
pub const BACK_TO_SPACE: &str = "Retour à mon espace";
pub const NOT_LOGGED_IN: &str = "Vous n'êtes pas connecté.";
pub const GO_HOME_TO_LOGIN: &str = "Revenir à l'accueil pour se connecter";
pub const NOT_FOUND_TITLE: &str = "Page introuvable";
pub const NOT_FOUND_TEXT: &str = "L'adresse demandée ne correspond à aucune page de TOM.";
pub const SESSION_ENDS: &str = "Fin de session au plus tard à";

pub const CHECK_TITLE: &str = "Contrôle du poste";
pub const CHECK_INTRO: &str = "Cette page vérifie votre navigateur et la carte qu'il présente à TOM, et vous dit quoi faire en cas de problème.";
pub const CHECK_BROWSER: &str = "Navigateur";
pub const CHECK_WASM: &str = "WebAssembly";
pub const CHECK_COOKIES: &str = "Cookies";
pub const CHECK_SECURE: &str = "Connexion sécurisée (HTTPS)";
pub const CHECK_CARD: &str = "Carte présentée";
pub const CHECK_OK: &str = "OK";
pub const CHECK_KO: &str = "Problème";
pub const CHECK_WASM_KO: &str = "Votre navigateur n'exécute pas WebAssembly : utilisez une version récente de Chromium, Chrome, Edge ou Firefox.";
pub const CHECK_COOKIES_KO: &str = "Les cookies sont désactivés : autorisez-les pour ce site, sinon la connexion ne peut pas être conservée.";
pub const CHECK_SECURE_KO: &str =
    "La page n'est pas servie en HTTPS : ouvrez TOM par son adresse https://.";
pub const FIELD_PRESENTED: &str = "Certificat présenté";
pub const FIELD_SUBJECT: &str = "Titulaire (sujet du certificat)";
pub const FIELD_ISSUER: &str = "Autorité émettrice";
pub const FIELD_VALIDITY: &str = "Validité";
pub const FIELD_VERDICT: &str = "Résultat";
pub const FIELD_TLS: &str = "Version TLS";
pub const YES: &str = "oui";
pub const NO: &str = "non";
pub const VALIDITY_FROM_TO: (&str, &str) = ("du", "au");
pub const WHAT_TO_DO: &str = "Que faire ?";
pub const ALL_CAUSES_TITLE: &str = "Les causes d'échec et leurs solutions";
pub const PROXY_TITLE: &str = "Proxy de l'établissement";
pub const PROXY_ADVICE: &str = "Si votre établissement filtre Internet par un proxy, l'adresse de TOM doit figurer sur sa liste blanche et être exclue de l'inspection TLS : un proxy qui déchiffre les connexions ne peut pas présenter votre carte, et TOM ne la voit jamais. Transmettez cette consigne à votre service informatique.";
pub const RECHECK: &str = "Refaire le contrôle";

/// The FAQ: (question, answer).
pub const FAQ: &[(&str, &str)] = &[
    ("Ma carte n'est pas détectée", "Vérifiez que le lecteur est branché et reconnu, que la carte est insérée puce vers le haut, et que le logiciel de la carte (Cryptolib CPS) est installé. Fermez toutes les fenêtres du navigateur, puis rouvrez TOM : le navigateur ne lit la carte qu'à l'ouverture d'une connexion."),
    ("Le navigateur ne voit pas mes certificats", "Le navigateur doit connaître le module de la carte : sous Windows, Chrome et Edge l'utilisent via le magasin de certificats Windows ; sous Firefox ou Linux, ajoutez le module PKCS#11 de la Cryptolib dans les périphériques de sécurité. Quand le navigateur vous propose plusieurs certificats, choisissez celui de votre carte CPx."),
    ("Ma carte a expiré", "Une carte expirée ne peut plus être utilisée. Votre mandataire commande une nouvelle carte dans TOM ; si vous avez déjà reçu la nouvelle carte, utilisez-la."),
    ("Ma carte est révoquée (en opposition)", "Une carte mise en opposition après une perte, un vol, un dysfonctionnement ou une fin d'exercice ne peut plus être utilisée. Utilisez votre carte de remplacement ou demandez-en une à votre mandataire."),
    ("« Ce n'est pas une carte CPx »", "Votre navigateur a présenté un autre certificat (messagerie, certificat logiciel…). Fermez le navigateur, rouvrez TOM et choisissez le certificat d'authentification de votre carte CPx."),
    ("« Autorité de certification inconnue »", "La carte a été émise par une autorité que TOM ne reconnaît pas : carte d'un autre environnement (test ou production) ou d'un autre pays. Utilisez une carte émise pour ce service ; sinon contactez le service d'émission (coordonnées en bas de cette page)."),
    ("Mon établissement utilise un proxy", PROXY_ADVICE),
    ("Comment importer une carte de test ?", "Les cartes de test sont des fichiers .p12 générés par TOM (dossier data/pki/cards, mot de passe dans README.txt). Chromium : Paramètres > Confidentialité et sécurité > Sécurité > Gérer les certificats > Vos certificats > Importer. Firefox : Paramètres > Vie privée et sécurité > Afficher les certificats > Vos certificats > Importer."),
];

// Ordering.
pub const CSV_ONLY_ON_DEPOSIT: &str = "Un tableur (XLSX ou CSV) se dépose depuis la page « Déposer une commande » d'une structure : il y est converti en fichier XML.";
pub const ISSUER_EMAIL: &str = "Votre adresse électronique (émetteur de la commande)";
pub const ISSUER_EMAIL_HINT: &str = "Elle figure dans l'en-tête de la commande, pour que le service d'émission puisse vous joindre ; TOM n'envoie pas de courriel : suivez vos commandes dans « Suivi des commandes ». Elle est mémorisée dans ce navigateur.";
pub const DROP_HERE_DEPOSIT: &str = "Déposez ici votre fichier de commande XML, ou le modèle de tableur rempli (XLSX, ou CSV avec « ; » pour séparateur), ou";
pub const DOWNLOAD_XLSX: &str = "Télécharger le modèle de tableur (XLSX), avec les listes de codes";
pub const SHEET_INVALID: &str = "Le tableur ne peut pas être converti";
pub const DOWNLOAD_GENERATED_XML: &str = "Télécharger le fichier XML produit";
pub const SEND_ORDER: &str = "Envoyer la commande";
pub const ORDER_RECEIVED: &str = "Commande enregistrée.";
pub const ORDER_ALREADY_RECEIVED: &str =
    "Cette commande avait déjà été reçue : aucune nouvelle commande n'a été créée.";
pub const FOLLOW_ORDER: &str = "Suivre cette commande";
pub const RETRY_SAFE: &str = "Vous pouvez renvoyer la commande sans risque : si elle était arrivée, elle ne sera pas enregistrée deux fois.";
pub const DEPOSIT_TITLE: &str = "Déposer une commande";
pub const DEPOSIT_INTRO: &str = "Déposez le fichier de commande produit par votre système d'information, ou le modèle de tableur rempli. Il est vérifié dans votre navigateur, puis vous l'envoyez une fois toutes les erreurs corrigées.";
pub const ORDER_CARD: &str = "Commander une carte";
pub const ORDER_FORM_INTRO: &str = "Remplissez la demande ; chaque champ est vérifié pendant la saisie, avec les mêmes règles que les fichiers de commande. Les champs marqués d'un astérisque sont obligatoires.";
pub const REQUIRED_FIELD: &str = "Ce champ est obligatoire.";
/// The hint of the date fields, as the form asks for dates.
pub const DATE_FORMAT: &str = "JJ/MM/AAAA";
pub const DATE_EXPECTED: &str =
    "Date invalide : saisissez-la au format JJ/MM/AAAA (par exemple 21/06/1995).";
pub const CHOOSE: &str = "— choisir —";
pub const FORM_HAS_ERRORS: &str = "La demande contient des erreurs : corrigez les champs signalés.";
pub const SAME_ADDRESS: &str = "Envoyer les codes à la même adresse que la carte";
pub const ORDERS_TITLE: &str = "Suivi des commandes";
pub const NO_ORDERS: &str = "Aucune commande ne correspond à ces critères.";
pub const FILTER_STATUS: &str = "Statut d'une ligne";
pub const FILTER_ALL: &str = "Tous";
pub const FILTER_FROM: &str = "Déposée du";
pub const FILTER_TO: &str = "au";
pub const COL_ORDER: &str = "Commande";
pub const COL_DATE: &str = "Date";
pub const COL_SOURCE: &str = "Origine";
pub const COL_REFERENCE: &str = "Référence";
pub const COL_LINES: &str = "Lignes";
pub const COL_OPEN: &str = "En cours";
pub const COL_LATE: &str = "En retard";
pub const COL_KIND: &str = "Opération";
pub const COL_LINE_NO: &str = "N°";
pub const COL_HOLDER: &str = "Porteur";
pub const COL_STATUS: &str = "Statut";
pub const COL_AGE: &str = "Attente";
pub const COL_STEPS: &str = "Étapes";
pub const COL_ACTIONS: &str = "Actions";
pub const LATE: &str = "En retard";
pub const ORDER_TITLE: &str = "Commande";
pub const TARGET_DELAY: &str = "Délai cible de livraison";
pub const DOCUMENT_NEEDED: &str = "Justificatif de la profession (PDF, JPEG ou PNG, 5 Mo au plus)";
pub const FLEET_TITLE: &str = "Parc de cartes";
pub const NO_CARDS: &str = "Aucune carte émise par TOM pour cette structure.";
pub const COL_SERIAL: &str = "N° de série";
pub const COL_VALID_UNTIL: &str = "Valide jusqu'au";
pub const BACK_OFFICE: &str = "Back-office";
pub const BACK_OFFICE_TITLE: &str = "Back-office du service d'émission";
pub const BACK_OFFICE_INTRO: &str = "Les lignes de commande de toutes les structures, les plus anciennes d'abord. Acceptez ou rejetez chaque ligne avec un motif, fabriquez la carte, puis expédiez la carte et, séparément, le courrier des codes.";
pub const QUEUE_EMPTY: &str = "Aucune ligne à traiter.";
pub const QUEUE_NOTHING_FOUND: &str = "Aucune ligne ne correspond à cette recherche.";
pub const QUEUE_SEARCH: &str = "Rechercher un porteur, une structure ou une commande";
pub const QUEUE_SEARCH_HINT: &str = "Nom du porteur (majuscules et accents indifférents), nom ou identifiant de la structure, numéro de commande ou référence de la structure.";
pub const QUEUE_SEARCH_BUTTON: &str = "Rechercher";
pub const QUEUE_SEARCH_CLEAR: &str = "Effacer la recherche";
pub const QUEUE_NEXT: &str = "Page suivante";
pub const QUEUE_PREVIOUS: &str = "Page précédente";
pub const QUEUE_RESULT: &str = "Résultat de la dernière action";
pub const COL_CARD: &str = "Carte";
pub const COL_SUBMITTED: &str = "Soumise le";
pub const CONFIRM: &str = "Confirmer";
pub const CANCEL: &str = "Annuler";

/// « 120 ligne(s) — page 2 ».
pub fn queue_count(total: i64, page: usize) -> String {
    format!("{total} ligne(s) — page {page}")
}

/// « Ligne 3 de la commande C… ».
pub fn line_of_order(line_no: i64, order_id: &str) -> String {
    format!("Ligne {line_no} de la commande {order_id}")
}

/// The civility as it is written before a name.
pub fn civility(code: &str) -> &'static str {
    match code {
        "MME" => "Mme",
        "M" => "M.",
        _ => "",
    }
}
pub const REJECT_REASON: &str = "Motif du rejet";
pub const DOWNLOAD_CARD: &str = "Carte (PKCS#12)";
pub const DOWNLOAD_PIN_LETTER: &str = "Courrier des codes (PDF)";
pub const DOWNLOAD_DOCUMENT: &str = "Justificatif";
pub const OPEN_LINES: &str = "Lignes ouvertes";
pub const BACK_TO_STRUCTURE: &str = "Retour à la structure";

// Journal d'audit.
pub const AUDIT_TITLE: &str = "Journal d'audit";
pub const AUDIT_INTRO: &str = "Chaque action faite dans TOM est inscrite ici : qui (identifiant national et rôle), quand, sur quoi. Le journal est chaîné : une entrée modifiée ou supprimée se voit.";
pub const AUDIT_DOWNLOAD: &str = "Télécharger le journal filtré (CSV pour Excel)";
pub const AUDIT_EMPTY: &str = "Aucune entrée pour ces critères.";
pub const AUDIT_OLDER: &str = "Entrées plus anciennes";
pub const AUDIT_NEWEST: &str = "Revenir aux plus récentes";
pub const AUDIT_LINK: &str = "Journal d'audit de la structure";
pub const AUDIT_SERVICE_LINK: &str = "Journal d'audit du service";
pub const CRL_TITLE: &str = "Listes de révocation (CRL)";
pub const CRL_INTRO: &str = "Les listes de révocation que ce serveur applique aux cartes, leur fraîcheur, et les fichiers ou listes refusés à la dernière lecture (aussi dans le journal du serveur).";
pub const CRL_PROBLEMS: &str = "Listes refusées (les autres restent appliquées)";
pub const COL_AUDIT_SEQ: &str = "N°";
pub const COL_ACTION: &str = "Action";
pub const COL_OBJECT: &str = "Objet";
pub const COL_WHO: &str = "Par";
pub const AUDIT_FROM: &str = "Du";
pub const AUDIT_TO: &str = "Au";

/// The question asked before an operator's action on a line: « Confirmer l'acceptation de la
/// ligne 3 de la commande C… (LOUIN Julie) ? ».
pub fn confirm_action(
    action: shared::tracking::LineAction,
    line: &shared::api::OrderLine,
    reason: &str,
) -> String {
    use shared::tracking::LineAction as A;
    let what = match action {
        A::Accepter => "l'acceptation de",
        A::Rejeter => "le rejet de",
        A::Fabriquer => "la fabrication de la carte de",
        A::ExpedierCarte => "l'expédition de la carte de",
        A::ExpedierCodes => "l'expédition des codes de",
        A::Livrer => "la livraison de",
        A::DeposerJustificatif => "le dépôt du justificatif de",
    };
    let motif = if action == A::Rejeter {
        format!(", motif « {} »", reason.trim())
    } else {
        String::new()
    };
    format!(
        "Confirmer {what} la ligne {} de la commande {} ({}){motif} ?",
        line.line_no, line.order_id, line.holder
    )
}

/// What an action did, as the operator reads it afterwards: « Ligne 3 de la commande C…
/// acceptée. », « … refusée : motif « … ». », « … : carte fabriquée, n° de série …. ».
pub fn action_done(action: shared::tracking::LineAction, line: &shared::api::OrderLine) -> String {
    use shared::tracking::LineAction as A;
    let which = line_of_order(line.line_no, &line.order_id);
    match action {
        A::Accepter => format!("{which} acceptée."),
        A::Rejeter => format!(
            "{which} refusée : motif « {} ».",
            line.reason.as_deref().unwrap_or_default()
        ),
        A::Fabriquer => match &line.card {
            Some(card) => format!("{which} : carte fabriquée, n° de série {}.", card.serial),
            None => format!("{which} : carte fabriquée."),
        },
        A::ExpedierCarte => format!("{which} : carte expédiée."),
        A::ExpedierCodes => format!("{which} : codes expédiés."),
        A::Livrer => format!("{which} livrée."),
        A::DeposerJustificatif => format!("{which} : justificatif déposé."),
    }
}

// The fleet (pages/fleet).
pub const FLEET_LINK: &str = "Parc de cartes : suivre, télécharger, renouveler";
pub const FLEET_SEARCH: &str = "Rechercher (nom, identifiant, matricule ou n° de série)";
pub const FLEET_EXPIRING: &str = "Expire dans les";
pub const DAYS: &str = "jours";
pub const FLEET_MONTH_FILTER: &str = "Cartes actives arrivant à échéance en";
pub const CLEAR_FILTER: &str = "Retirer ce filtre";
pub const FLEET_DOWNLOAD: &str = "Télécharger le parc (avec les filtres choisis) :";
pub const FORMAT_CSV: &str = "CSV (Excel)";
pub const FORMAT_XLSX: &str = "Classeur Excel (.xlsx)";
pub const FORMAT_XML: &str = "XML";
pub const SEE_ORDER: &str = "Voir la commande";
pub const RENEW_SELECTED: &str = "Commander le renouvellement des cartes sélectionnées";
pub const UNSELECT_ALL: &str = "Tout désélectionner";
pub const SHOW_RENEWABLE: &str = "Afficher les cartes à renouveler (échéance dans 90 jours)";
pub const SELECT_PAGE: &str = "Sélectionner les cartes de cette page";
pub const SELECT: &str = "Sélection";
pub const SELECT_FOR_RENEWAL: &str = "Sélectionner pour le renouvellement :";
pub const COL_PROFESSION: &str = "Profession";
pub const COL_STATE: &str = "Statut";
pub const END_SCHEDULED_ON: &str = "Fin d'exercice prévue le";
pub const PAGES: &str = "Pages";
pub const PREVIOUS_PAGE: &str = "Page précédente";
pub const NEXT_PAGE: &str = "Page suivante";
pub const CHART_EXPIRIES: &str = "Cartes actives arrivant à échéance, par mois (36 mois) — choisissez un mois pour filtrer la liste";
pub const CHART_STATES: &str = "Cartes par statut — choisissez un statut pour filtrer la liste";
pub const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
pub const CARD_TITLE: &str = "Carte";
pub const REPLACEMENT_ORDERED: &str = "Remplacement ou renouvellement commandé :";

/// « Carte de DUPONT Marie », « Carte d'ANDRÉ Anne ».
pub fn card_of(family: &str, given: &str) -> String {
    let elided = family.chars().next().is_some_and(|c| {
        "AEIOUYÀÂÉÈÊËÎÏÔÙÛÜHaeiouyàâéèêëîïôùûüh".contains(c) && c != 'H' && c != 'h'
    });
    if elided {
        format!("Carte d'{family} {given}")
    } else {
        format!("Carte de {family} {given}")
    }
}
pub const MATRICULE: &str = "Matricule";
pub const ISSUED_ON: &str = "Émise le";
pub const REVOKED_ON: &str = "Révoquée le";
pub const HOLDER: &str = "Porteur";
pub const EMAIL: &str = "Courriel";
pub const PHONE: &str = "Téléphone";
pub const CIVILITY: &str = "Civilité";
pub const BIRTH_NAME: &str = "Nom de naissance";
pub const USUAL_NAME: &str = "Nom d'usage";
pub const FIRST_NAMES: &str = "Prénoms";
pub const CARD_ADDRESS: &str = "Adresse d'envoi de la carte";
pub const PIN_ADDRESS: &str = "Adresse d'envoi des codes (PIN)";
pub const ADDR_RECIPIENT: &str = "Destinataire";
pub const ADDR_COMPLEMENT: &str = "Complément (bâtiment, service)";
pub const ADDR_NUMBER: &str = "Numéro";
pub const ADDR_STREET: &str = "Voie";
pub const ADDR_LOCALITY: &str = "Lieu-dit";
pub const ADDR_POSTAL_CODE: &str = "Code postal";
pub const ADDR_CITY: &str = "Commune";
pub const CHANGE_HOLDER: &str = "Modifier le porteur et les adresses d'envoi";
pub const IDENTITY_FROM_RPPS: &str = "L'identité de ce professionnel (médecin, pharmacien, chirurgien-dentiste ou sage-femme) vient du RPPS : elle ne se modifie pas dans TOM. La personne la fait corriger auprès de son ordre professionnel. Le courriel, le téléphone et les adresses d'envoi se modifient ici.";
pub const SAVE_CHANGES: &str = "Enregistrer les modifications";
pub const END_OF_EXERCISE: &str = "Déclarer une fin d'exercice";
pub const END_OF_EXERCISE_HELP: &str = "La personne quitte la structure. À la date choisie, sa carte est révoquée (elle ne permet plus de se connecter) et ses mandats dans la structure prennent fin. Aujourd'hui : immédiatement.";
pub const END_DATE: &str = "Date de fin d'exercice";
pub const DECLARE_END: &str = "Déclarer la fin d'exercice";
pub const INCIDENT: &str = "Déclarer une perte, un vol ou un dysfonctionnement";
pub const INCIDENT_HELP: &str = "Remplace le formulaire 501 et l'appel téléphonique.";
pub const INCIDENT_NATURE: &str = "Nature de l'incident";
pub const LOSS: &str = "Perte";
pub const THEFT: &str = "Vol";
pub const MALFUNCTION: &str = "Dysfonctionnement (carte cassée, illisible)";
pub const INCIDENT_DATE: &str = "Date de l'incident";
pub const REPLACEMENT_WANTED: &str = "Commander une carte de remplacement (pré-remplie)";
pub const OPPOSITION_EFFECT: &str = "Perte ou vol : la carte est mise en opposition immédiatement et ne permet plus de se connecter.";
pub const MALFUNCTION_EFFECT: &str = "Dysfonctionnement : une carte de remplacement est commandée ; l'ancienne carte reste utilisable jusqu'à la fabrication de la nouvelle, puis est révoquée.";
pub const DECLARE_INCIDENT: &str = "Déclarer l'incident";
pub const HISTORY: &str = "Historique de la carte";
pub const COL_BY: &str = "Par";
pub const COL_DETAIL: &str = "Détail";
pub const CHANGED: &str = "Modifié :";
pub const REPLACEMENT_ORDER: &str = "remplacement commandé, commande";
pub const REPLACED_BY: &str = "Remplacée par la carte n°";
pub const BACK_TO_FLEET: &str = "Retour au parc de cartes";

/// « carte » or « cartes ».
pub fn cards_word(n: i64) -> &'static str {
    if n > 1 {
        "cartes"
    } else {
        "carte"
    }
}

/// « carte trouvée » or « cartes trouvées ».
pub fn cards_found(n: i64) -> &'static str {
    if n > 1 {
        "cartes trouvées"
    } else {
        "carte trouvée"
    }
}

// Structures: coordinates, legal entity, history.
pub const STRUCTURE_KIND: &str = "Nature";
pub const STRUCTURE_CATEGORY: &str = "Catégorie (registre FINESS)";
pub const LEGAL_ENTITY: &str = "Entité juridique";
pub const ESTABLISHMENTS: &str = "Établissements de l'entité juridique";
pub const COORDINATES: &str = "Coordonnées";
pub const CHANGE_COORDINATES: &str = "Modifier les coordonnées";
pub const REGISTER_WINS: &str = "Le registre FINESS l'emporte : à son prochain import, ce qu'il indique remplace vos modifications (l'historique le montre). L'adresse électronique n'y figure pas.";
pub const STRUCTURE_NAME: &str = "Raison sociale";
pub const ADDRESS_LINE: &str = "Adresse (numéro et voie)";
pub const ADDRESS_COMPLEMENT: &str = "Complément d'adresse";
pub const POSTAL_LINE: &str = "Code postal et commune";
pub const SAVE_COORDINATES: &str = "Enregistrer les coordonnées";
pub const COORDINATES_SAVED: &str = "Coordonnées enregistrées.";
pub const STRUCTURE_HISTORY: &str = "Historique de la structure";
pub const NO_HISTORY: &str = "Aucune modification pour l'instant.";
pub const COL_BEFORE: &str = "Avant";
pub const COL_AFTER: &str = "Après";
pub const VIA_LEGAL_ENTITY: &str = "par l'entité juridique";

// Back-office: the FINESS register.
pub const REGISTER_TITLE: &str = "Registre FINESS";
pub const REGISTER_INTRO: &str = "Déposez l'extrait public des établissements (fichier « finess;etalab;… », UTF-8 ou ISO-8859-1). Les établissements et entités juridiques sont créés ou mis à jour ; le registre l'emporte sur les modifications locales ; une ligne incorrecte est signalée avec son numéro et sautée.";
pub const REGISTER_FILE: &str = "Extrait FINESS";
pub const REGISTER_IMPORTING: &str = "Import en cours…";
pub const REGISTER_DONE: &str = "Import terminé";
pub const REGISTER_REFUSED_LINES: &str = "Lignes refusées";
pub const COL_REASON: &str = "Raison";

// Delegations (form 502 online) and contracts.
pub const DESIGNATE_TITLE: &str = "Désigner un mandataire";
pub const REPLACE_TITLE: &str = "Remplacer un mandataire";
pub const DESIGNATE_LINK: &str = "Désigner un mandataire";
pub const DESIGNATE_INTRO: &str = "Le formulaire 502 en ligne : désignez une personne comme mandataire de la structure, avec la copie de sa pièce d'identité. Le service d'émission vérifie la demande ; le mandat commence à sa validation, pas avant. Vous pouvez y mettre fin à tout moment depuis la page de la structure.";
pub const REPLACES: &str = "Mandataire remplacé (son mandat prend fin à la validation)";
pub const IDENTITY_DOCUMENT: &str = "Copie de la pièce d'identité de la personne désignée *";
pub const CARD_CHOICE: &str = "Carte de la personne désignée";
pub const HAS_CARD: &str = "Elle a déjà une carte CPx : je saisis son identifiant national";
pub const NEEDS_CARD: &str = "Elle n'a pas de carte : je la commande avec la désignation";
pub const HAS_CARD_NOTE: &str =
    "Une personne qui a déjà une carte n'en reçoit pas une nouvelle : désignez-la avec sa carte.";
pub const NATIONAL_ID_HINT: &str = "Tel qu'il figure sur sa carte, par exemple 3940000011/000101.";
pub const SEND_DESIGNATION: &str = "Envoyer la désignation";
pub const SEND_DESIGNATION_AND_ORDER: &str = "Envoyer la désignation et la commande de carte";
pub const DESIGNATION_SENT: &str =
    "Désignation envoyée : elle attend la validation du service d'émission.";
pub const DOCUMENT_REQUIRED: &str =
    "Joignez la copie de la pièce d'identité (PDF, JPEG ou PNG, 5 Mo au plus).";
pub const DOCUMENT_EMPTY: &str =
    "Le fichier choisi est vide : joignez de nouveau la copie de la pièce d'identité.";
pub const REASON_REQUIRED: &str =
    "Indiquez le motif du rejet (3 caractères au moins) : il est montré au représentant légal.";
pub const NOT_A_MANDATAIRE: &str = "Cette personne n'est pas mandataire en cours de la structure : revenez à la page de la structure et choisissez « Remplacer » sur la ligne d'un mandataire.";
pub const SHOW_STATUS: &str = "Afficher les délégations";
pub const MANDATES_ENDED_IN: &str = "Votre mandat a pris fin pour ces structures (identifiant national), le représentant légal y ayant mis fin :";
pub const MANDATE_SINCE_ENDED: &str = "mandat terminé le";
pub const DOCUMENT_NEW_TAB: &str = "nouvel onglet";
pub const DOCUMENT_TOO_LARGE: &str = "La pièce d'identité dépasse 5 Mo : réduisez-la (numérisation en 150 ou 200 points par pouce) puis joignez-la de nouveau.";
pub const DELEGATIONS_TITLE: &str = "Délégations (formulaire 502)";
pub const NO_DELEGATION: &str = "Aucune délégation pour le moment.";
pub const COL_PERSON: &str = "Personne désignée";
pub const COL_DOCUMENT: &str = "Pièce d'identité";
pub const SEE_DOCUMENT: &str = "Voir la pièce";
pub const DOCUMENT_GONE: &str = "Supprimée (fin de conservation)";
pub const WITHDRAW: &str = "Retirer la demande";
pub const END_MANDATE: &str = "Mettre fin au mandat";
pub const REPLACE: &str = "Remplacer";
pub const MANDATE_ENDED_DONE: &str =
    "Mandat terminé : les droits de cette personne se sont arrêtés.";
pub const DELEGATION_WITHDRAWN: &str = "Demande retirée.";
pub const WAITING_DELEGATIONS: &str = "Délégations à valider";
pub const WAITING_DELEGATIONS_INTRO: &str = "Les désignations de mandataires envoyées par les représentants légaux, les plus anciennes d'abord. Vérifiez la pièce d'identité, puis validez (le mandat commence aussitôt) ou rejetez en donnant le motif, que le représentant légal lira.";
pub const NO_WAITING_DELEGATION: &str = "Aucune délégation n'attend de validation.";
pub const VALIDATE: &str = "Valider";
pub const REJECT: &str = "Rejeter";
pub const REJECT_DELEGATION_REASON: &str = "Motif du rejet";
pub const DELEGATION_VALIDATED: &str = "Délégation validée : le mandat a commencé.";
pub const DELEGATION_REJECTED: &str = "Délégation rejetée.";
pub const CONTRACTS_TITLE: &str = "Contrats";
pub const CONTRACTS_INTRO: &str = "Enregistrez le contrat d'une structure (contrat et formulaire F101) et son représentant légal : il peut ensuite se connecter avec sa carte et désigner les mandataires en ligne. La structure doit être dans TOM (importez le registre FINESS au besoin).";
pub const STRUCTURE_ID_LABEL: &str = "Identifiant national de la structure *";
pub const STRUCTURE_ID_HINT: &str =
    "1 suivi du FINESS (par exemple 1940000011), ou 3 suivi du SIRET.";
pub const LEGAL_REP_ID: &str = "Identifiant national du représentant légal *";
pub const FAMILY_NAME_REQUIRED: &str = "Nom *";
pub const GIVEN_NAME_REQUIRED: &str = "Prénom *";
pub const REGISTER_CONTRACT: &str = "Enregistrer le contrat";
pub const CONTRACT_REGISTERED: &str =
    "Contrat enregistré : le représentant légal peut se connecter et désigner des mandataires.";
pub const NATIONAL_ID_REQUIRED: &str = "Identifiant national *";

/// « de » before a name, elided before a vowel or a mute h (« d'Éloïse », « d'Anne-Laure »).
pub fn de(name: &str) -> String {
    let elided = name
        .chars()
        .next()
        .is_some_and(|c| "AEIOUYHÀÂÄÉÈÊËÎÏÔÖÙÛÜŸaeiouyhàâäéèêëîïôöùûüÿ".contains(c));
    if elided {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

/// The question before ending a mandate.
pub fn confirm_end_mandate(name: &str) -> String {
    format!(
        "Mettre fin au mandat {} ? Ses droits s'arrêtent aussitôt, sans validation du service d'émission.",
        de(name)
    )
}

/// The question before withdrawing a designation.
pub fn confirm_withdraw(name: &str) -> String {
    format!(
        "Retirer la désignation {} ? Elle ne sera pas examinée ; une carte commandée avec elle et pas encore traitée est annulée.",
        de(name)
    )
}

/// The question before an operator's decision on a delegation: validation (`reason: None`) or
/// rejection with its reason.
pub fn confirm_delegation(reason: Option<&str>, person: &str, structure: &str) -> String {
    match reason {
        None => format!(
            "Valider la désignation {} pour {structure} ? Le mandat commence aussitôt.",
            de(person)
        ),
        Some(reason) => format!(
            "Rejeter la désignation {} pour {structure}, avec le motif « {reason} » ? Le motif est montré au représentant légal.",
            de(person)
        ),
    }
}

/// What the legal representative reads of the document's retention.
pub fn document_retention(days: i64) -> String {
    format!("PDF, JPEG ou PNG, 5 Mo au plus. Seuls le service d'émission et vous pouvez la lire ; elle est supprimée {days} jours après la décision.")
}

/// Whom a change of mandataire replaces: « Remplace Sophie MARTIN (3940000011/000101) ».
pub fn replaces(d: &shared::api::Delegation) -> Option<String> {
    let id = d.replaces.as_deref()?;
    Some(match &d.replaces_name {
        Some(name) => format!("Remplace {name} ({id})"),
        None => format!("Remplace {id}"),
    })
}
