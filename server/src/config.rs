//! TOM's configuration as one declarative table (`config_table!` below): each key's field, type,
//! environment variable, default, unit and help. From it come the `Config` struct, the TOML and
//! environment layers (defaults, then a TOML file, then `TOM_*` variables, which win), the text of
//! `tom serve --help` and the README's table (a test keeps the README in step). Loaded once,
//! validated at start-up with errors that name the key.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A configuration error, naming the key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("configuration : {key} : {problem}")]
pub struct ConfigError {
    pub key: String,
    pub problem: String,
}

fn err(key: &str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        key: key.to_string(),
        problem: problem.into(),
    }
}

/// One key of the table, as documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyDoc {
    /// The TOML key (and the struct's field).
    pub key: &'static str,
    /// The environment variable.
    pub env: &'static str,
    /// The default, in words.
    pub default: &'static str,
    /// The unit, empty when none.
    pub unit: &'static str,
    /// What it is for, in French.
    pub help: &'static str,
}

/// How a value is read from an environment variable.
trait FromEnv: Sized {
    fn from_env(env: &str, text: &str) -> Result<Self, ConfigError>;
}

impl FromEnv for String {
    fn from_env(_: &str, text: &str) -> Result<Self, ConfigError> {
        Ok(text.to_string())
    }
}

impl FromEnv for PathBuf {
    fn from_env(_: &str, text: &str) -> Result<Self, ConfigError> {
        Ok(PathBuf::from(text))
    }
}

/// A comma-separated list of files.
impl FromEnv for Vec<PathBuf> {
    fn from_env(_: &str, text: &str) -> Result<Self, ConfigError> {
        Ok(text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .collect())
    }
}

macro_rules! numbers_from_env {
    ($($t:ty),*) => {$(
        impl FromEnv for $t {
            fn from_env(env: &str, text: &str) -> Result<Self, ConfigError> {
                text.trim().parse().map_err(|_| {
                    err(env, format!("« {text} » n'est pas un nombre entier positif"))
                })
            }
        }
    )*};
}
numbers_from_env!(u64, i64);

impl FromEnv for SocketAddr {
    fn from_env(env: &str, text: &str) -> Result<Self, ConfigError> {
        text.parse()
            .map_err(|_| err(env, format!("« {text} » n'est pas une adresse IP:port")))
    }
}

/// How requests reach TOM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListenMode {
    /// TOM terminates TLS itself and reads the card in the handshake (the default).
    Tls,
    /// Plain HTTP behind a reverse proxy that terminates TLS and forwards the card in a header,
    /// trusted only from `trusted_proxies` (`tls::proxy`).
    Proxy,
}

impl FromEnv for ListenMode {
    fn from_env(env: &str, text: &str) -> Result<Self, ConfigError> {
        match text.trim() {
            "tls" => Ok(ListenMode::Tls),
            "proxy" => Ok(ListenMode::Proxy),
            _ => Err(err(env, format!("« {text} » : doit valoir tls ou proxy"))),
        }
    }
}

/// The addresses of the reverse proxies TOM trusts: IP addresses or CIDR networks, from a TOML
/// list (or one comma-separated string) or a comma-separated variable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "OneOrMany")]
pub struct ProxyNetworks(pub Vec<ipnet::IpNet>);

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl ProxyNetworks {
    fn parse(items: &[&str]) -> Result<Self, String> {
        items
            .iter()
            .map(|item| item.trim())
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<ipnet::IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(ipnet::IpNet::from))
                    .map(|net| net.trunc())
                    .map_err(|_| format!("« {item} » n'est ni une adresse IP ni un réseau CIDR"))
            })
            .collect::<Result<_, _>>()
            .map(ProxyNetworks)
    }

    /// Whether `address` is one of these (an IPv4 address seen as IPv6-mapped counts as IPv4).
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|net| net.contains(&address))
    }
}

impl TryFrom<OneOrMany> for ProxyNetworks {
    type Error = String;

    fn try_from(raw: OneOrMany) -> Result<Self, String> {
        match raw {
            OneOrMany::One(text) => Self::parse(&text.split(',').collect::<Vec<_>>()),
            OneOrMany::Many(items) => {
                Self::parse(&items.iter().map(String::as_str).collect::<Vec<_>>())
            }
        }
    }
}

impl FromEnv for ProxyNetworks {
    fn from_env(env: &str, text: &str) -> Result<Self, ConfigError> {
        Self::parse(&text.split(',').collect::<Vec<_>>()).map_err(|problem| err(env, problem))
    }
}

/// What defaults may depend on: the data folder, its PKI folder, the listening port.
pub struct Base<'a> {
    pub data_dir: &'a Path,
    pub pki: &'a Path,
    pub port: u16,
}

/// Declares the table: `field: Type, "ENV", "default in words", "unit", "help", |base| default`.
macro_rules! config_table {
    ($($field:ident: $ty:ty, $env:literal, $default_doc:literal, $unit:literal, $help:literal, |$b:ident| $default:expr;)*) => {
        /// TOM's configuration, every key resolved.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Config {
            $(#[doc = $help] pub $field: $ty,)*
        }

        /// Every key, in the table's order: for `tom serve --help` and the README.
        pub const KEYS: &[KeyDoc] = &[
            $(KeyDoc { key: stringify!($field), env: $env, default: $default_doc, unit: $unit, help: $help },)*
        ];

        /// One source of values (a TOML file, the environment): what it sets.
        #[derive(Debug, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Layer {
            $($field: Option<$ty>,)*
        }

        impl Layer {
            fn from_env(env: &HashMap<String, String>) -> Result<Self, ConfigError> {
                Ok(Layer {
                    $($field: env
                        .get($env)
                        .or_else(|| if $env == "DATABASE_URL" { env.get("TOM_DATABASE_URL") } else { None })
                        .map(|v| <$ty as FromEnv>::from_env($env, v))
                        .transpose()?,)*
                })
            }

            /// This layer's values, and `base`'s where this one sets none.
            fn over(self, base: Layer) -> Layer {
                Layer { $($field: self.$field.or(base.$field),)* }
            }

            fn resolve(self, base: &Base<'_>) -> Config {
                Config { $($field: self.$field.unwrap_or_else(|| { let $b = base; $default }),)* }
            }
        }
    };
}

config_table! {
    listen: SocketAddr, "TOM_LISTEN", "127.0.0.1:8443", "", "adresse d'écoute : HTTPS, ou HTTP simple en mode proxy (alors une adresse que seul le mandataire inverse atteint)",
        |_b| SocketAddr::from(([127, 0, 0, 1], 8443));
    listen_mode: ListenMode, "TOM_LISTEN_MODE", "tls", "", "tls : TOM fait lui-même TLS et lit la carte dans la poignée de main ; proxy : HTTP simple derrière un mandataire inverse (nginx) qui fait TLS et transmet la carte dans un en-tête (voir « Derrière un mandataire inverse »)",
        |_b| ListenMode::Tls;
    trusted_proxies: ProxyNetworks, "TOM_TRUSTED_PROXIES", "aucune", "", "en mode proxy, adresses (IP ou réseau CIDR) des mandataires inverses dont TOM croit les en-têtes de carte, de version TLS et X-Forwarded-For (liste séparée par des virgules) ; venus d'ailleurs, ces en-têtes sont ignorés",
        |_b| ProxyNetworks::default();
    proxy_cert_header: String, "TOM_PROXY_CERT_HEADER", "X-SSL-Client-Cert", "", "en mode proxy, en-tête où le mandataire transmet le certificat de la carte, PEM encodé pour URL (nginx : $ssl_client_escaped_cert)",
        |_b| "X-SSL-Client-Cert".to_string();
    data_dir: PathBuf, "TOM_DATA_DIR", "./data", "", "dossier des données : base SQLite, PKI de démonstration, ancre du journal",
        |_b| PathBuf::from("./data");
    database_url: String, "DATABASE_URL", "sqlite://<data_dir>/tom.db", "", "base de données : sqlite://FICHIER ou postgres://…",
        |b| format!("sqlite://{}", b.data_dir.join("tom.db").display());
    public_url: String, "TOM_PUBLIC_URL", "https://localhost:<port>", "", "adresse publique du service (contrôle d'origine, point de distribution de la CRL)",
        |b| format!("https://localhost:{}", b.port);
    tls_cert: PathBuf, "TOM_TLS_CERT", "<data_dir>/pki/server/server.pem", "", "certificat du serveur et sa chaîne, PEM",
        |b| b.pki.join("server/server.pem");
    tls_key: PathBuf, "TOM_TLS_KEY", "<data_dir>/pki/server/server.key", "", "clé privée du serveur, PEM",
        |b| b.pki.join("server/server.key");
    trust_anchors: Vec<PathBuf>, "TOM_TRUST_ANCHORS", "racine et AC PERSONNES de <data_dir>/pki/ca", "", "certificats des AC de confiance pour les cartes, PEM (liste séparée par des virgules)",
        |b| vec![b.pki.join("ca/racine.pem"), b.pki.join("ca/personnes.pem")];
    crls: Vec<PathBuf>, "TOM_CRLS", "<data_dir>/pki/crl/personnes.crl", "", "listes de révocation (DER ou PEM) surveillées et rechargées à chaud (liste séparée par des virgules)",
        |b| vec![b.pki.join("crl/personnes.crl")];
    crl_poll_seconds: u64, "TOM_CRL_POLL_SECONDS", "2", "secondes", "intervalle de vérification des CRL",
        |_b| 2;
    crl_grace_hours: u64, "TOM_CRL_GRACE_HOURS", "24", "heures", "délai de grâce après le nextUpdate d'une CRL ; un avertissement est journalisé dès le nextUpdate passé, puis, au-delà du délai, les cartes de cette autorité sont refusées (revocation_unknown) si crl_stale_policy vaut refuser",
        |_b| 24;
    crl_stale_policy: String, "TOM_CRL_STALE_POLICY", "refuser", "", "CRL périmée au-delà du délai de grâce : refuser (par défaut, les cartes de l'autorité reçoivent revocation_unknown) ou accepter (avertissement seulement)",
        |_b| "refuser".into();
    issuing_crl: PathBuf, "TOM_ISSUING_CRL", "<data_dir>/pki/crl/personnes.crl", "", "CRL de l'AC d'émission, que TOM signe de nouveau (clé issuing_ca_key) dès qu'il reste moins de la moitié de sa validité de 7 jours ; publiée à /crl/personnes.crl",
        |b| b.pki.join("crl/personnes.crl");
    session_idle_minutes: i64, "TOM_SESSION_IDLE_MINUTES", "30", "minutes", "inactivité avant déconnexion",
        |_b| 30;
    session_max_hours: i64, "TOM_SESSION_MAX_HOURS", "10", "heures", "durée maximale d'une session",
        |_b| 10;
    target_delivery_days: i64, "TOM_TARGET_DELIVERY_DAYS", "10", "jours", "délai cible de livraison d'une carte ; au-delà, une ligne ouverte est signalée en retard",
        |_b| 10;
    max_upload_mb: u64, "TOM_MAX_UPLOAD_MB", "100", "Mo", "taille maximale d'un fichier de commande déposé",
        |_b| 100;
    login_failures_per_card: u64, "TOM_LOGIN_FAILURES_PER_CARD", "10", "", "connexions refusées au plus par carte en 15 minutes (cinq fois plus par adresse) ; au-delà, réponse 429 jusqu'à la fin de la fenêtre",
        |_b| 10;
    uploads_per_card_hour: u64, "TOM_UPLOADS_PER_CARD_HOUR", "120", "", "dépôts (fichiers de commande, justificatifs) au plus par carte et par heure (cinq fois plus par adresse)",
        |_b| 120;
    identity_document_days: i64, "TOM_IDENTITY_DOCUMENT_DAYS", "30", "jours", "conservation de la copie de la pièce d'identité jointe à une désignation de mandataire, après la décision de l'opérateur ou le retrait de la demande ; elle est ensuite supprimée",
        |_b| 30;
    max_connections: u64, "TOM_MAX_CONNECTIONS", "2048", "", "connexions simultanées au plus ; au-delà, une nouvelle connexion est fermée aussitôt",
        |_b| 2048;
    header_read_seconds: u64, "TOM_HEADER_READ_SECONDS", "10", "secondes", "délai pour recevoir les en-têtes d'une requête (poignée de main TLS comprise) ; un client plus lent est déconnecté",
        |_b| 10;
    issuing_ca_cert: PathBuf, "TOM_ISSUING_CA_CERT", "<data_dir>/pki/ca/personnes.pem", "", "certificat PEM de l'AC qui émet les cartes fabriquées",
        |b| b.pki.join("ca/personnes.pem");
    issuing_ca_key: PathBuf, "TOM_ISSUING_CA_KEY", "<data_dir>/pki/ca/personnes.key", "", "clé privée PEM de l'AC qui émet les cartes",
        |b| b.pki.join("ca/personnes.key");
    audit_anchor: PathBuf, "TOM_AUDIT_ANCHOR", "<data_dir>/audit-ancre.json", "", "fichier hors base où l'ancre du journal d'audit est écrite (à garder sur un autre support que la base)",
        |b| b.data_dir.join("audit-ancre.json");
    audit_anchor_seconds: u64, "TOM_AUDIT_ANCHOR_SECONDS", "60", "secondes", "intervalle d'écriture de l'ancre du journal d'audit",
        |_b| 60;
    contact_name: String, "TOM_CONTACT_NAME", "Service d'émission des cartes CPx", "", "nom du service à contacter, affiché aux utilisateurs",
        |_b| "Service d'émission des cartes CPx".to_string();
    contact_email: String, "TOM_CONTACT_EMAIL", "support-cartes@tom.example", "", "adresse électronique du service",
        |_b| "support-cartes@tom.example".to_string();
    contact_phone: String, "TOM_CONTACT_PHONE", "01 00 00 00 00", "", "téléphone du service",
        |_b| "01 00 00 00 00".to_string();
    contact_hours: String, "TOM_CONTACT_HOURS", "du lundi au vendredi, de 9 h à 17 h", "", "horaires du service",
        |_b| "du lundi au vendredi, de 9 h à 17 h".to_string();
    log: String, "TOM_LOG", "info", "", "niveau de journalisation (error, warn, info, debug)",
        |_b| "info".to_string();
}

/// Variables that are not keys but are known: the configuration file's path, and the
/// database URL's `TOM_` spelling.
const OTHER_VARIABLES: &[&str] = &["TOM_CONFIG", "TOM_DATABASE_URL"];

/// `key / VARIABLE  help (unit; défaut …)`, a line a key: the text of `tom serve --help`.
pub fn keys_help() -> String {
    let mut out = String::from(
        "Configuration : valeurs par défaut, puis fichier TOML (--config FICHIER, ou variable TOM_CONFIG),\n\
         puis variables d'environnement, qui l'emportent (DATABASE_URL s'écrit aussi TOM_DATABASE_URL) :\n",
    );
    for k in KEYS {
        let name = format!("{} / {}", k.key, k.env);
        let unit = if k.unit.is_empty() {
            String::new()
        } else {
            format!(", en {}", k.unit)
        };
        out.push_str(&format!(
            "  {name:<46} {}{unit} (défaut {})\n",
            k.help, k.default
        ));
    }
    out
}

/// The README's table, in Markdown.
pub fn readme_table() -> String {
    let mut out =
        String::from("| clé TOML | variable | défaut | unité | rôle |\n|---|---|---|---|---|\n");
    for k in KEYS {
        out.push_str(&format!(
            "| `{}` | `{}` | `{}` | {} | {} |\n",
            k.key, k.env, k.default, k.unit, k.help
        ));
    }
    out
}

impl Config {
    /// Loads from an optional TOML file and the given environment. Returns the unknown `TOM_*`
    /// variables too, for a warning.
    pub fn load(
        file: Option<&Path>,
        env: &HashMap<String, String>,
    ) -> Result<(Self, Vec<String>), ConfigError> {
        let file = file
            .map(PathBuf::from)
            .or_else(|| env.get("TOM_CONFIG").map(PathBuf::from));
        let from_file = match &file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| err("--config", format!("{} : {e}", path.display())))?;
                toml::from_str::<Layer>(&text)
                    .map_err(|e| err(&path.display().to_string(), e.message().to_string()))?
            }
            None => Layer::default(),
        };
        let unknown = env
            .keys()
            .filter(|k| {
                k.starts_with("TOM_")
                    && !KEYS.iter().any(|d| d.env == k.as_str())
                    && !OTHER_VARIABLES.contains(&k.as_str())
            })
            .cloned()
            .collect();
        let layer = Layer::from_env(env)?.over(from_file);
        let listen = layer
            .listen
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8443)));
        let data_dir = layer
            .data_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("./data"));
        let pki = data_dir.join("pki");
        let config = Layer {
            listen: Some(listen),
            ..layer
        }
        .resolve(&Base {
            data_dir: &data_dir,
            pki: &pki,
            port: listen.port(),
        });
        Ok((config.validated()?, unknown))
    }

    /// Checks what a type cannot say, naming the key.
    fn validated(mut self) -> Result<Self, ConfigError> {
        if !(self.database_url.starts_with("sqlite:")
            || self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://"))
        {
            return Err(err(
                "database_url (DATABASE_URL)",
                "doit commencer par sqlite: ou postgres://",
            ));
        }
        if !matches!(self.crl_stale_policy.as_str(), "refuser" | "accepter") {
            return Err(err(
                "crl_stale_policy (TOM_CRL_STALE_POLICY)",
                "doit valoir refuser ou accepter",
            ));
        }
        if !self.public_url.starts_with("https://") {
            return Err(err(
                "public_url (TOM_PUBLIC_URL)",
                "doit commencer par https://",
            ));
        }
        self.public_url = self.public_url.trim_end_matches('/').to_string();
        if self.listen_mode == ListenMode::Proxy
            && self.public_url == format!("https://localhost:{}", self.listen.port())
        {
            // The default names TOM's own plain-HTTP listener, which no browser ever sees: every
            // login would be refused as coming from another origin.
            return Err(err(
                "public_url (TOM_PUBLIC_URL)",
                "en mode proxy, indiquer l'adresse publique du service, celle que sert le mandataire inverse (par exemple https://tom.hopital.fr)",
            ));
        }
        if self.listen_mode == ListenMode::Proxy && self.trusted_proxies.0.is_empty() {
            return Err(err(
                "trusted_proxies (TOM_TRUSTED_PROXIES)",
                "en mode proxy, nommer au moins l'adresse du mandataire inverse",
            ));
        }
        if axum::http::HeaderName::from_bytes(self.proxy_cert_header.as_bytes()).is_err() {
            return Err(err(
                "proxy_cert_header (TOM_PROXY_CERT_HEADER)",
                format!(
                    "« {} » n'est pas un nom d'en-tête HTTP",
                    self.proxy_cert_header
                ),
            ));
        }
        if self.trust_anchors.is_empty() {
            return Err(err(
                "trust_anchors (TOM_TRUST_ANCHORS)",
                "au moins une autorité de confiance est nécessaire",
            ));
        }
        let positive = [
            (
                "crl_poll_seconds (TOM_CRL_POLL_SECONDS)",
                self.crl_poll_seconds as i64,
            ),
            (
                "session_idle_minutes (TOM_SESSION_IDLE_MINUTES)",
                self.session_idle_minutes,
            ),
            (
                "session_max_hours (TOM_SESSION_MAX_HOURS)",
                self.session_max_hours,
            ),
            (
                "target_delivery_days (TOM_TARGET_DELIVERY_DAYS)",
                self.target_delivery_days,
            ),
            (
                "identity_document_days (TOM_IDENTITY_DOCUMENT_DAYS)",
                self.identity_document_days,
            ),
            (
                "login_failures_per_card (TOM_LOGIN_FAILURES_PER_CARD)",
                self.login_failures_per_card as i64,
            ),
            (
                "uploads_per_card_hour (TOM_UPLOADS_PER_CARD_HOUR)",
                self.uploads_per_card_hour as i64,
            ),
            (
                "max_connections (TOM_MAX_CONNECTIONS)",
                self.max_connections as i64,
            ),
            (
                "header_read_seconds (TOM_HEADER_READ_SECONDS)",
                self.header_read_seconds as i64,
            ),
            (
                "max_upload_mb (TOM_MAX_UPLOAD_MB)",
                self.max_upload_mb as i64,
            ),
            (
                "audit_anchor_seconds (TOM_AUDIT_ANCHOR_SECONDS)",
                self.audit_anchor_seconds as i64,
            ),
        ];
        for (key, value) in positive {
            if value <= 0 {
                return Err(err(key, "doit être supérieur à zéro"));
            }
        }
        Ok(self)
    }

    /// The PKI folder `--demo` generates.
    pub fn pki_dir(&self) -> PathBuf {
        self.data_dir.join("pki")
    }

    /// The issuing service's contact, as the pages show it.
    pub fn contact(&self) -> shared::api::Contact {
        shared::api::Contact {
            name: self.contact_name.clone(),
            email: self.contact_email.clone(),
            phone: self.contact_phone.clone(),
            hours: self.contact_hours.clone(),
        }
    }

    /// Checks that the files the server needs exist, naming the key of any that does not.
    pub fn check_files(&self) -> Result<(), ConfigError> {
        let must_exist = |key: &str, p: &Path| {
            if p.exists() {
                Ok(())
            } else {
                Err(err(key, format!("le fichier {} n'existe pas", p.display())))
            }
        };
        // Behind a proxy, the proxy holds the server's certificate.
        if self.listen_mode == ListenMode::Tls {
            must_exist("tls_cert (TOM_TLS_CERT)", &self.tls_cert)?;
            must_exist("tls_key (TOM_TLS_KEY)", &self.tls_key)?;
        }
        for p in &self.trust_anchors {
            must_exist("trust_anchors (TOM_TRUST_ANCHORS)", p)?;
        }
        for p in &self.crls {
            must_exist("crls (TOM_CRLS)", p)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_listen_on_localhost_8443_with_sqlite_in_data() {
        let (c, unknown) = Config::load(None, &env(&[])).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8443");
        assert_eq!(c.database_url, "sqlite://./data/tom.db");
        assert_eq!(c.public_url, "https://localhost:8443");
        assert!(unknown.is_empty());
    }

    #[test]
    fn environment_wins_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("tom.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\nsession_idle_minutes = 5\n",
        )
        .unwrap();
        let (c, _) = Config::load(Some(&file), &env(&[("TOM_LISTEN", "127.0.0.1:9443")])).unwrap();
        assert_eq!(c.listen.port(), 9443);
        assert_eq!(c.session_idle_minutes, 5);
    }

    #[test]
    fn a_bad_value_names_its_key() {
        let e = Config::load(None, &env(&[("TOM_LISTEN", "partout")])).unwrap_err();
        assert!(e.key.contains("TOM_LISTEN"), "{e}");
        let e = Config::load(None, &env(&[("TOM_SESSION_IDLE_MINUTES", "abc")])).unwrap_err();
        assert_eq!(e.key, "TOM_SESSION_IDLE_MINUTES");
        let e = Config::load(None, &env(&[("DATABASE_URL", "mysql://x")])).unwrap_err();
        assert!(e.key.contains("DATABASE_URL"));
    }

    #[test]
    fn an_unknown_key_in_the_file_is_refused_and_unknown_variables_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("tom.toml");
        std::fs::write(&file, "lisen = \"x\"\n").unwrap();
        let e = Config::load(Some(&file), &env(&[])).unwrap_err();
        assert!(e.problem.contains("lisen"), "{e}");
        let (_, unknown) = Config::load(None, &env(&[("TOM_LISTN", "x")])).unwrap();
        assert_eq!(unknown, vec!["TOM_LISTN".to_string()]);
    }

    #[test]
    fn the_readme_lists_every_key_as_the_table_says() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
        assert!(
            readme.contains(&readme_table()),
            "le tableau de configuration du README n'est plus celui de config.rs ; le voici :\n{}",
            readme_table()
        );
        let help = keys_help();
        for k in KEYS {
            assert!(help.contains(k.env), "{}", k.env);
        }
    }

    #[test]
    fn proxy_mode_needs_the_proxies_it_trusts_as_addresses_or_networks() {
        // Its public address first: the default is TOM's own listener, which no browser sees.
        let e = Config::load(None, &env(&[("TOM_LISTEN_MODE", "proxy")])).unwrap_err();
        assert!(e.key.contains("TOM_PUBLIC_URL"), "{e}");
        let e = Config::load(
            None,
            &env(&[
                ("TOM_LISTEN_MODE", "proxy"),
                ("TOM_PUBLIC_URL", "https://tom.example.fr"),
            ]),
        )
        .unwrap_err();
        assert!(e.key.contains("TOM_TRUSTED_PROXIES"), "{e}");
        let e = Config::load(None, &env(&[("TOM_LISTEN_MODE", "mandataire")])).unwrap_err();
        assert_eq!(e.key, "TOM_LISTEN_MODE");
        let e = Config::load(None, &env(&[("TOM_TRUSTED_PROXIES", "10.0.0.1,nginx")])).unwrap_err();
        assert!(e.problem.contains("nginx"), "{e}");
        let (c, _) = Config::load(
            None,
            &env(&[
                ("TOM_LISTEN_MODE", "proxy"),
                ("TOM_PUBLIC_URL", "https://tom.example.fr"),
                ("TOM_TRUSTED_PROXIES", "127.0.0.1, 10.1.2.3/16, ::1"),
            ]),
        )
        .unwrap();
        assert_eq!(c.listen_mode, ListenMode::Proxy);
        let trusted = |a: &str| c.trusted_proxies.contains(a.parse().unwrap());
        assert!(trusted("127.0.0.1") && trusted("10.1.200.7") && trusted("::1"));
        assert!(trusted("::ffff:127.0.0.1"), "IPv4 vue en IPv6");
        assert!(!trusted("127.0.0.2") && !trusted("10.2.0.1") && !trusted("192.0.2.1"));
        // In a TOML file: a list, or one string.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("tom.toml");
        std::fs::write(
            &file,
            "listen_mode = \"proxy\"\npublic_url = \"https://tom.example.fr\"\ntrusted_proxies = [\"192.0.2.0/24\"]\nproxy_cert_header = \"X-Carte\"\n",
        )
        .unwrap();
        let (c, _) = Config::load(Some(&file), &env(&[])).unwrap();
        assert!(c.trusted_proxies.contains("192.0.2.9".parse().unwrap()));
        assert_eq!(c.proxy_cert_header, "X-Carte");
        let e =
            Config::load(Some(&file), &env(&[("TOM_PROXY_CERT_HEADER", "X Carte")])).unwrap_err();
        assert!(e.key.contains("TOM_PROXY_CERT_HEADER"), "{e}");
    }

    #[test]
    fn missing_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let (c, _) = Config::load(
            None,
            &env(&[("TOM_DATA_DIR", dir.path().to_str().unwrap())]),
        )
        .unwrap();
        let e = c.check_files().unwrap_err();
        assert!(e.key.contains("TOM_TLS_CERT"));
    }
}
