//! TOM's configuration: defaults, then a TOML file, then `TOM_*` environment variables (and
//! `DATABASE_URL`). Loaded once, validated at start-up with errors that name the key.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The documentation of every key, shown by `tom serve --help`.
pub const KEYS_HELP: &str = "\
Configuration (fichier TOML passé par --config, puis variables d'environnement, qui l'emportent) :
  listen / TOM_LISTEN                       adresse d'écoute HTTPS (défaut 127.0.0.1:8443)
  data_dir / TOM_DATA_DIR                   dossier des données : base SQLite, PKI de démo (défaut ./data)
  database_url / DATABASE_URL               base de données : sqlite://FICHIER ou postgres://… (défaut : SQLite dans data_dir)
  public_url / TOM_PUBLIC_URL               adresse publique du service, pour le contrôle d'origine (défaut https://localhost:PORT)
  tls_cert / TOM_TLS_CERT                   certificat du serveur et sa chaîne, PEM (défaut data_dir/pki/server/server.pem)
  tls_key / TOM_TLS_KEY                     clé privée du serveur, PEM (défaut data_dir/pki/server/server.key)
  trust_anchors / TOM_TRUST_ANCHORS         certificats des AC de confiance pour les cartes, PEM, séparés par des virgules
                                            (défaut : racine et AC PERSONNES de data_dir/pki/ca)
  crls / TOM_CRLS                           listes de révocation (DER ou PEM) surveillées et rechargées à chaud, séparées par des virgules
                                            (défaut data_dir/pki/crl/personnes.crl)
  crl_poll_seconds / TOM_CRL_POLL_SECONDS   intervalle de vérification des CRL (défaut 2)
  session_idle_minutes / TOM_SESSION_IDLE_MINUTES   inactivité avant déconnexion (défaut 30)
  session_max_hours / TOM_SESSION_MAX_HOURS         durée maximale d'une session (défaut 10)
  target_delivery_days / TOM_TARGET_DELIVERY_DAYS   délai cible de livraison d'une carte, en jours ; au-delà, la ligne est signalée en retard (défaut 10)
  max_upload_mb / TOM_MAX_UPLOAD_MB         taille maximale d'un fichier de commande déposé, en Mo (défaut 100)
  log / TOM_LOG                             niveau de journalisation (défaut info)
  issuing_ca_cert / TOM_ISSUING_CA_CERT     certificat PEM de l'AC qui émet les cartes fabriquées (défaut data_dir/pki/ca/personnes.pem)
  issuing_ca_key / TOM_ISSUING_CA_KEY       clé privée PEM de cette AC (défaut data_dir/pki/ca/personnes.key)
  audit_anchor / TOM_AUDIT_ANCHOR           fichier hors base où l'ancre du journal d'audit est écrite (défaut data_dir/audit-ancre.json)
  audit_anchor_seconds / TOM_AUDIT_ANCHOR_SECONDS   intervalle d'écriture de l'ancre, en secondes (défaut 60)
  contact_name / TOM_CONTACT_NAME           nom du service à contacter, affiché aux utilisateurs (défaut « Service d'émission des cartes CPx »)
  contact_email / TOM_CONTACT_EMAIL         adresse électronique du service (défaut support-cartes@tom.example)
  contact_phone / TOM_CONTACT_PHONE         téléphone du service (défaut 01 00 00 00 00)
  contact_hours / TOM_CONTACT_HOURS         horaires du service (défaut « du lundi au vendredi, de 9 h à 17 h »)";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub public_url: String,
    pub tls_cert: PathBuf,
    pub tls_key: PathBuf,
    pub trust_anchors: Vec<PathBuf>,
    pub crls: Vec<PathBuf>,
    pub crl_poll_seconds: u64,
    pub session_idle_minutes: i64,
    pub session_max_hours: i64,
    pub target_delivery_days: i64,
    pub max_upload_mb: u64,
    pub log: String,
    pub issuing_ca_cert: PathBuf,
    pub issuing_ca_key: PathBuf,
    pub audit_anchor: PathBuf,
    pub audit_anchor_seconds: u64,
    pub contact: shared::api::Contact,
}

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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Layer {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    public_url: Option<String>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    trust_anchors: Option<Vec<PathBuf>>,
    crls: Option<Vec<PathBuf>>,
    crl_poll_seconds: Option<u64>,
    session_idle_minutes: Option<i64>,
    session_max_hours: Option<i64>,
    target_delivery_days: Option<i64>,
    max_upload_mb: Option<u64>,
    log: Option<String>,
    issuing_ca_cert: Option<PathBuf>,
    issuing_ca_key: Option<PathBuf>,
    audit_anchor: Option<PathBuf>,
    audit_anchor_seconds: Option<u64>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    contact_hours: Option<String>,
}

const ENV_KEYS: &[&str] = &[
    "TOM_LISTEN",
    "TOM_DATA_DIR",
    "TOM_PUBLIC_URL",
    "TOM_TLS_CERT",
    "TOM_TLS_KEY",
    "TOM_TRUST_ANCHORS",
    "TOM_CRLS",
    "TOM_CRL_POLL_SECONDS",
    "TOM_SESSION_IDLE_MINUTES",
    "TOM_SESSION_MAX_HOURS",
    "TOM_TARGET_DELIVERY_DAYS",
    "TOM_MAX_UPLOAD_MB",
    "TOM_LOG",
    "TOM_DATABASE_URL",
    "TOM_CONFIG",
    "TOM_ISSUING_CA_CERT",
    "TOM_ISSUING_CA_KEY",
    "TOM_AUDIT_ANCHOR",
    "TOM_AUDIT_ANCHOR_SECONDS",
    "TOM_CONTACT_NAME",
    "TOM_CONTACT_EMAIL",
    "TOM_CONTACT_PHONE",
    "TOM_CONTACT_HOURS",
];

fn list(value: &str) -> Vec<PathBuf> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .collect()
}

fn number<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, ConfigError> {
    value.trim().parse().map_err(|_| {
        err(
            key,
            format!("« {value} » n'est pas un nombre entier positif"),
        )
    })
}

impl Layer {
    fn from_env(env: &HashMap<String, String>) -> Result<(Self, Vec<String>), ConfigError> {
        let get = |k: &str| env.get(k).cloned();
        let unknown = env
            .keys()
            .filter(|k| k.starts_with("TOM_") && !ENV_KEYS.contains(&k.as_str()))
            .cloned()
            .collect();
        let layer = Layer {
            listen: get("TOM_LISTEN"),
            data_dir: get("TOM_DATA_DIR").map(PathBuf::from),
            database_url: get("DATABASE_URL").or_else(|| get("TOM_DATABASE_URL")),
            public_url: get("TOM_PUBLIC_URL"),
            tls_cert: get("TOM_TLS_CERT").map(PathBuf::from),
            tls_key: get("TOM_TLS_KEY").map(PathBuf::from),
            trust_anchors: get("TOM_TRUST_ANCHORS").map(|v| list(&v)),
            crls: get("TOM_CRLS").map(|v| list(&v)),
            crl_poll_seconds: get("TOM_CRL_POLL_SECONDS")
                .map(|v| number("TOM_CRL_POLL_SECONDS", &v))
                .transpose()?,
            session_idle_minutes: get("TOM_SESSION_IDLE_MINUTES")
                .map(|v| number("TOM_SESSION_IDLE_MINUTES", &v))
                .transpose()?,
            session_max_hours: get("TOM_SESSION_MAX_HOURS")
                .map(|v| number("TOM_SESSION_MAX_HOURS", &v))
                .transpose()?,
            target_delivery_days: get("TOM_TARGET_DELIVERY_DAYS")
                .map(|v| number("TOM_TARGET_DELIVERY_DAYS", &v))
                .transpose()?,
            max_upload_mb: get("TOM_MAX_UPLOAD_MB")
                .map(|v| number("TOM_MAX_UPLOAD_MB", &v))
                .transpose()?,
            log: get("TOM_LOG"),
            issuing_ca_cert: get("TOM_ISSUING_CA_CERT").map(PathBuf::from),
            issuing_ca_key: get("TOM_ISSUING_CA_KEY").map(PathBuf::from),
            audit_anchor: get("TOM_AUDIT_ANCHOR").map(PathBuf::from),
            audit_anchor_seconds: get("TOM_AUDIT_ANCHOR_SECONDS")
                .map(|v| number("TOM_AUDIT_ANCHOR_SECONDS", &v))
                .transpose()?,
            contact_name: get("TOM_CONTACT_NAME"),
            contact_email: get("TOM_CONTACT_EMAIL"),
            contact_phone: get("TOM_CONTACT_PHONE"),
            contact_hours: get("TOM_CONTACT_HOURS"),
        };
        Ok((layer, unknown))
    }

    fn over(self, base: Layer) -> Layer {
        Layer {
            listen: self.listen.or(base.listen),
            data_dir: self.data_dir.or(base.data_dir),
            database_url: self.database_url.or(base.database_url),
            public_url: self.public_url.or(base.public_url),
            tls_cert: self.tls_cert.or(base.tls_cert),
            tls_key: self.tls_key.or(base.tls_key),
            trust_anchors: self.trust_anchors.or(base.trust_anchors),
            crls: self.crls.or(base.crls),
            crl_poll_seconds: self.crl_poll_seconds.or(base.crl_poll_seconds),
            session_idle_minutes: self.session_idle_minutes.or(base.session_idle_minutes),
            session_max_hours: self.session_max_hours.or(base.session_max_hours),
            target_delivery_days: self.target_delivery_days.or(base.target_delivery_days),
            max_upload_mb: self.max_upload_mb.or(base.max_upload_mb),
            log: self.log.or(base.log),
            issuing_ca_cert: self.issuing_ca_cert.or(base.issuing_ca_cert),
            issuing_ca_key: self.issuing_ca_key.or(base.issuing_ca_key),
            audit_anchor: self.audit_anchor.or(base.audit_anchor),
            audit_anchor_seconds: self.audit_anchor_seconds.or(base.audit_anchor_seconds),
            contact_name: self.contact_name.or(base.contact_name),
            contact_email: self.contact_email.or(base.contact_email),
            contact_phone: self.contact_phone.or(base.contact_phone),
            contact_hours: self.contact_hours.or(base.contact_hours),
        }
    }
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
        let (from_env, unknown) = Layer::from_env(env)?;
        Ok((Self::finish(from_env.over(from_file))?, unknown))
    }

    fn finish(l: Layer) -> Result<Self, ConfigError> {
        let listen_text = l.listen.unwrap_or_else(|| "127.0.0.1:8443".to_string());
        let listen: SocketAddr = listen_text.parse().map_err(|_| {
            err(
                "listen (TOM_LISTEN)",
                format!("« {listen_text} » n'est pas une adresse IP:port"),
            )
        })?;
        let data_dir = l.data_dir.unwrap_or_else(|| PathBuf::from("./data"));
        let pki = data_dir.join("pki");
        let database_url = l
            .database_url
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("tom.db").display()));
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(err(
                "database_url (DATABASE_URL)",
                "doit commencer par sqlite: ou postgres://",
            ));
        }
        let public_url = l
            .public_url
            .unwrap_or_else(|| format!("https://localhost:{}", listen.port()));
        if !public_url.starts_with("https://") {
            return Err(err(
                "public_url (TOM_PUBLIC_URL)",
                "doit commencer par https://",
            ));
        }
        let positive = |key: &str, v: i64| {
            if v > 0 {
                Ok(v)
            } else {
                Err(err(key, "doit être supérieur à zéro"))
            }
        };
        let trust_anchors = l
            .trust_anchors
            .unwrap_or_else(|| vec![pki.join("ca/racine.pem"), pki.join("ca/personnes.pem")]);
        if trust_anchors.is_empty() {
            return Err(err(
                "trust_anchors (TOM_TRUST_ANCHORS)",
                "au moins une autorité de confiance est nécessaire",
            ));
        }
        Ok(Self {
            listen,
            database_url,
            public_url: public_url.trim_end_matches('/').to_string(),
            tls_cert: l.tls_cert.unwrap_or_else(|| pki.join("server/server.pem")),
            tls_key: l.tls_key.unwrap_or_else(|| pki.join("server/server.key")),
            trust_anchors,
            crls: l
                .crls
                .unwrap_or_else(|| vec![pki.join("crl/personnes.crl")]),
            crl_poll_seconds: positive(
                "crl_poll_seconds (TOM_CRL_POLL_SECONDS)",
                l.crl_poll_seconds.unwrap_or(2) as i64,
            )? as u64,
            session_idle_minutes: positive(
                "session_idle_minutes (TOM_SESSION_IDLE_MINUTES)",
                l.session_idle_minutes.unwrap_or(30),
            )?,
            session_max_hours: positive(
                "session_max_hours (TOM_SESSION_MAX_HOURS)",
                l.session_max_hours.unwrap_or(10),
            )?,
            target_delivery_days: positive(
                "target_delivery_days (TOM_TARGET_DELIVERY_DAYS)",
                l.target_delivery_days.unwrap_or(10),
            )?,
            max_upload_mb: positive(
                "max_upload_mb (TOM_MAX_UPLOAD_MB)",
                l.max_upload_mb.unwrap_or(100) as i64,
            )? as u64,
            log: l.log.unwrap_or_else(|| "info".to_string()),
            issuing_ca_cert: l
                .issuing_ca_cert
                .unwrap_or_else(|| pki.join("ca/personnes.pem")),
            issuing_ca_key: l
                .issuing_ca_key
                .unwrap_or_else(|| pki.join("ca/personnes.key")),
            audit_anchor: l
                .audit_anchor
                .unwrap_or_else(|| data_dir.join("audit-ancre.json")),
            audit_anchor_seconds: positive(
                "audit_anchor_seconds (TOM_AUDIT_ANCHOR_SECONDS)",
                l.audit_anchor_seconds.unwrap_or(60) as i64,
            )? as u64,
            contact: shared::api::Contact {
                name: l
                    .contact_name
                    .unwrap_or_else(|| "Service d'émission des cartes CPx".to_string()),
                email: l
                    .contact_email
                    .unwrap_or_else(|| "support-cartes@tom.example".to_string()),
                phone: l
                    .contact_phone
                    .unwrap_or_else(|| "01 00 00 00 00".to_string()),
                hours: l
                    .contact_hours
                    .unwrap_or_else(|| "du lundi au vendredi, de 9 h à 17 h".to_string()),
            },
            data_dir,
        })
    }

    /// The PKI folder `--demo` generates.
    pub fn pki_dir(&self) -> PathBuf {
        self.data_dir.join("pki")
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
        must_exist("tls_cert (TOM_TLS_CERT)", &self.tls_cert)?;
        must_exist("tls_key (TOM_TLS_KEY)", &self.tls_key)?;
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
