//! The `tom` command line: its definition and what each command runs. `main.rs` only calls
//! `run`.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::config::{keys_help, Config};
use crate::orders::cli as order_cli;
use crate::startup::Application;
use crate::state::Clock;
use crate::{audit, db, demo, pki};
use anyhow::Context;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "tom",
    version,
    about = "TOM — gestion des cartes CPx des établissements de santé"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lance le service HTTPS.
    #[command(after_help = keys_help())]
    Serve {
        /// Fichier de configuration TOML.
        #[arg(long, value_name = "FICHIER")]
        config: Option<PathBuf>,
        /// Sur un dossier de données vide : génère la PKI de test dans <data_dir>/pki et charge
        /// les données de démonstration (structures A et B, leurs mandataires, un opérateur).
        #[arg(long)]
        demo: bool,
    },
    /// PKI de test.
    Pki {
        #[command(subcommand)]
        command: PkiCommand,
    },
    /// Fichiers de commande XML (schemas/tom-commande-v1.xsd).
    Order {
        #[command(subcommand)]
        command: OrderCommand,
    },
    /// Parc de cartes : génération pour les mesures, téléchargement.
    Fleet {
        #[command(subcommand)]
        command: FleetCommand,
    },
    /// Registre FINESS des établissements.
    Register {
        #[command(subcommand)]
        command: RegisterCommand,
    },
    /// Journal d'audit.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Vérifie toute la chaîne du journal (empreintes, ordre, fin attestée par l'ancre) et nomme la
    /// première entrée modifiée, supprimée, insérée ou déplacée. Code de sortie : 0 si la chaîne
    /// est intacte, 1 sinon, 2 si la base ou l'ancre est illisible.
    #[command(after_help = keys_help())]
    Verify {
        /// Fichier de configuration TOML (pour database_url et audit_anchor).
        #[arg(long, value_name = "FICHIER")]
        config: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum FleetCommand {
    /// Ajoute à la base (database_url) K structures (FINESS 95xxxxxxK) et N cartes réparties
    /// entre elles, inventées comme le parc de démonstration (sans certificat), 5 000 cartes par
    /// transaction. Pour les mesures : jamais sur une base en service.
    #[command(after_help = keys_help())]
    Generate {
        /// Nombre de cartes.
        #[arg(long, value_name = "N")]
        cards: usize,
        /// Nombre de structures.
        #[arg(long, value_name = "K", default_value_t = 1)]
        structures: usize,
        /// Graine du générateur (même graine, mêmes cartes).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Fichier de configuration TOML (pour database_url).
        #[arg(long, value_name = "FICHIER")]
        config: Option<PathBuf>,
    },
    /// Télécharge le parc d'une structure comme la page « Parc de cartes » (même code que
    /// GET /api/structures/{id}/fleet/export), avec les mêmes filtres ; inscrit au journal.
    #[command(after_help = keys_help())]
    Export {
        /// Identifiant national de la structure (par exemple 1940000011).
        #[arg(long, value_name = "IDENTIFIANT")]
        structure: String,
        /// Format du fichier.
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// Début du nom ou du prénom, identifiant national, matricule ou numéro de série.
        #[arg(long, default_value = "")]
        recherche: String,
        /// Type de carte (CPE, CPA, CPS, CDE…).
        #[arg(long = "type", default_value = "")]
        card_type: String,
        /// Statut (active, expiree, opposee, fin_exercice, remplacee).
        #[arg(long, default_value = "")]
        statut: String,
        /// Code de profession (TRE_G15).
        #[arg(long, default_value = "")]
        profession: String,
        /// Mois de fin de validité, AAAA-MM.
        #[arg(long, default_value = "")]
        mois: String,
        /// Cartes actives dont la fin de validité tombe dans ce nombre de jours.
        #[arg(long, value_name = "JOURS")]
        expire_sous_jours: Option<u32>,
        /// Fichier à écrire (sortie standard sinon).
        #[arg(long, short, value_name = "FICHIER")]
        output: Option<PathBuf>,
        /// Pour les mesures : refait le téléchargement N fois (écrits à la suite) et écrit
        /// la durée de chacun, en millisecondes, sur la sortie d'erreur.
        #[arg(long, value_name = "N", default_value_t = 1)]
        repeat: usize,
        /// Fichier de configuration TOML (pour database_url).
        #[arg(long, value_name = "FICHIER")]
        config: Option<PathBuf>,
    },
    /// Pour les mesures : lit N fois une page de la liste « Parc de cartes » (même code que
    /// GET /api/structures/{id}/fleet, sans HTTP) et écrit la durée de chaque lecture en
    /// millisecondes, une par ligne ; la page du milieu et la dernière sont trouvées en
    /// parcourant la liste d'abord. N'écrit rien dans la base.
    #[command(after_help = keys_help())]
    Page {
        /// Identifiant national de la structure (par exemple 1940000011).
        #[arg(long, value_name = "IDENTIFIANT")]
        structure: String,
        /// Début du nom ou du prénom, identifiant national, matricule ou numéro de série.
        #[arg(long, default_value = "")]
        recherche: String,
        /// Type de carte (CPE, CPA, CPS, CDE…).
        #[arg(long = "type", default_value = "")]
        card_type: String,
        /// Cartes par page.
        #[arg(long, default_value_t = 50)]
        limite: i64,
        /// La page lue.
        #[arg(long, value_enum, default_value = "premiere")]
        page: PagePosition,
        /// Nombre de lectures.
        #[arg(long, value_name = "N", default_value_t = 1)]
        repeat: usize,
        /// Écrit aussi les plans des deux requêtes de la page (PostgreSQL : EXPLAIN (ANALYZE,
        /// BUFFERS) ; SQLite : EXPLAIN QUERY PLAN) sur la sortie d'erreur.
        #[arg(long)]
        explain: bool,
        /// Fichier de configuration TOML (pour database_url).
        #[arg(long, value_name = "FICHIER")]
        config: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum PagePosition {
    Premiere,
    Milieu,
    Derniere,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    Csv,
    Xlsx,
    Xml,
}

#[derive(Subcommand)]
enum RegisterCommand {
    /// Importe un extrait FINESS des établissements (« finess;etalab;<n>;<date> », UTF-8 ou
    /// ISO-8859-1) : crée ou met à jour établissements et entités juridiques, le registre
    /// l'emportant sur les modifications locales. Chaque ligne refusée est signalée au format
    /// FICHIER:LIGNE: RAISON. Code de sortie : 0 si toutes les lignes sont prises, 1 si certaines
    /// sont refusées, 2 si le fichier ou la base est illisible.
    #[command(after_help = keys_help())]
    Import {
        #[arg(value_name = "FICHIER")]
        file: PathBuf,
        /// Fichier de configuration TOML (pour database_url).
        #[arg(long, value_name = "FICHIER")]
        config: Option<PathBuf>,
    },
    /// Écrit un extrait FINESS synthétique de N lignes (établissements, une entité juridique pour
    /// vingt, une ligne sur dix de géolocalisation), pour les mesures.
    Generate {
        #[arg(long, value_name = "N")]
        lines: usize,
        /// Graine du générateur (même graine, même fichier).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Fichier à écrire (sortie standard sinon).
        #[arg(long, short, value_name = "FICHIER")]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum OrderCommand {
    /// Vérifie des fichiers de commande : erreurs au format FICHIER:LIGNE:COLONNE: CODE: MESSAGE.
    /// Code de sortie : 0 si tous sont valides, 1 si l'un est invalide, 2 si l'un est illisible.
    Validate {
        #[arg(required = true, value_name = "FICHIER")]
        files: Vec<PathBuf>,
        /// Format de sortie.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Convertit un modèle rempli (XLSX ou CSV, comme la page « Déposer une commande ») en
    /// commande XML, la vérifie et signale chaque erreur à sa ligne et à sa colonne du tableur,
    /// sur la sortie d'erreur. Code de sortie : 0 si valide, 1 si des erreurs sont à corriger,
    /// 2 si le fichier est illisible.
    #[command(group(clap::ArgGroup::new("structure").required(true).args(["finess", "siret"])))]
    Convert {
        /// Modèle rempli : .xlsx, ou .csv (UTF-8, Windows-1252 ou Mac Roman ; « ; », « , » ou tabulation).
        #[arg(value_name = "FICHIER")]
        file: PathBuf,
        /// Commande XML à écrire (sortie standard sinon).
        #[arg(long, short, value_name = "FICHIER")]
        output: Option<PathBuf>,
        /// FINESS de la structure qui commande.
        #[arg(long)]
        finess: Option<String>,
        /// SIRET de la structure qui commande (sans FINESS).
        #[arg(long)]
        siret: Option<String>,
        /// Nom de l'émetteur de la commande.
        #[arg(long)]
        nom: String,
        /// Prénom de l'émetteur.
        #[arg(long)]
        prenom: String,
        /// Adresse électronique de l'émetteur.
        #[arg(long)]
        email: String,
        /// Identifiant national de l'émetteur (porteur de carte).
        #[arg(long, value_name = "IDENTIFIANT")]
        identifiant_national: Option<String>,
        /// Référence de la commande (par défaut TABLEUR- suivi d'une empreinte du fichier : le même
        /// fichier donne la même commande).
        #[arg(long)]
        reference: Option<String>,
    },
    /// Écrit une commande synthétique de N opérations, valide ou avec K erreurs de natures variées,
    /// ou un modèle de tableur rempli de N lignes (--format xlsx ou csv), chaque ligne un porteur
    /// différent, à convertir par `tom order convert`.
    Generate {
        /// Nombre d'opérations (de lignes du tableur).
        #[arg(long, value_name = "N")]
        lines: usize,
        /// Format : commande XML, ou modèle de tableur rempli (XLSX, ou CSV UTF-8 séparé par « ; »).
        #[arg(long, value_enum, default_value = "xml")]
        format: GenerateFormat,
        /// Graine du générateur (même graine, même fichier).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Nombre d'erreurs à introduire (format xml seulement).
        #[arg(long, default_value_t = 0, value_name = "K")]
        errors: usize,
        /// Fichier à écrire (sortie standard sinon).
        #[arg(long, short, value_name = "FICHIER")]
        output: Option<PathBuf>,
        /// Affiche sur la sortie d'erreur la liste des erreurs introduites.
        #[arg(long)]
        expected: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum GenerateFormat {
    Xml,
    Xlsx,
    Csv,
}

#[derive(Subcommand)]
enum PkiCommand {
    /// Génère une PKI de test de la forme IGC-Santé et les cartes de test dans DOSSIER.
    Init {
        /// Dossier à créer.
        dir: PathBuf,
        /// Adresse publique du service (point de distribution de la CRL).
        #[arg(long, default_value = "https://localhost:8443")]
        public_url: String,
    },
}

fn init_logs(level: &str) {
    let filter =
        tracing_subscriber::EnvFilter::try_new(format!("{level},sqlx=warn,hyper=warn,rustls=warn"))
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();
}

fn load_config(file: Option<&std::path::Path>) -> Config {
    let env: HashMap<String, String> = std::env::vars().collect();
    match Config::load(file, &env) {
        Ok((config, _)) => config,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}

/// `tom audit verify`: 0 intact, 1 broken, 2 unreadable.
async fn audit_verify(config: &Config) -> i32 {
    let anchor = match audit::anchor::read(&config.audit_anchor) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e:#}");
            return 2;
        }
    };
    let database = match db::Db::open_existing(&config.database_url).await {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e:#}");
            return 2;
        }
    };
    match audit::verify::verify(&database, anchor.as_ref()).await {
        Ok(Ok(v)) => {
            println!(
                "journal intact : {} entrées, dernière empreinte {}{}",
                v.entries,
                v.last_hash,
                match &anchor {
                    Some(a) => format!(" ; ancre à l'entrée n° {}", a.seq),
                    None => " ; pas encore d'ancre".to_string(),
                }
            );
            0
        }
        Ok(Err(b)) => {
            println!("journal ALTÉRÉ : {}", b.describe());
            1
        }
        Err(e) => {
            eprintln!("{e:#}");
            2
        }
    }
}

/// A structure named on the command line.
fn structure_arg(text: &str) -> anyhow::Result<crate::auth::access::StructureId> {
    crate::auth::access::StructureId::parse(text)
        .with_context(|| format!("identifiant de structure illisible : {text}"))
}

/// Parses the command line and runs the command.
pub async fn run() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Audit {
            command: AuditCommand::Verify { config },
        } => {
            let config = load_config(config.as_deref());
            std::process::exit(audit_verify(&config).await);
        }
        Command::Fleet {
            command:
                FleetCommand::Generate {
                    cards,
                    structures,
                    seed,
                    config,
                },
        } => {
            let config = load_config(config.as_deref());
            let database = db::Db::connect(&config.database_url).await?;
            let now = crate::state::SystemClock.now();
            let started = std::time::Instant::now();
            let ids = crate::fleet::cli::generate(&database, cards, structures, seed, now).await?;
            println!(
                "{cards} cartes ajoutées sur {} structures ({} … {}) en {:.1} s",
                ids.len(),
                ids.first().map_or("", String::as_str),
                ids.last().map_or("", String::as_str),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Fleet {
            command:
                FleetCommand::Export {
                    structure,
                    format,
                    recherche,
                    card_type,
                    statut,
                    profession,
                    mois,
                    expire_sous_jours,
                    output,
                    repeat,
                    config,
                },
        } => {
            let config = load_config(config.as_deref());
            let structure = structure_arg(&structure)?;
            let filter = shared::api::FleetFilter {
                recherche,
                card_type,
                statut,
                profession,
                mois,
                expire_sous_jours,
            };
            let format = match format {
                ExportFormat::Csv => crate::fleet::export::Format::Csv,
                ExportFormat::Xlsx => crate::fleet::export::Format::Xlsx,
                ExportFormat::Xml => crate::fleet::export::Format::Xml,
            };
            let database = db::Db::open_existing(&config.database_url).await?;
            let now = crate::state::SystemClock.now();
            let mut out: Box<dyn std::io::Write> = match output {
                Some(path) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(&path)
                        .with_context(|| format!("impossible d'écrire {}", path.display()))?,
                )),
                None => Box::new(std::io::stdout()),
            };
            for _ in 0..repeat.max(1) {
                let started = std::time::Instant::now();
                crate::fleet::cli::export(
                    &database,
                    structure.clone(),
                    &filter,
                    format,
                    now,
                    &mut out,
                )
                .await?;
                if repeat > 1 {
                    eprintln!("{:.3}", started.elapsed().as_secs_f64() * 1000.0);
                }
            }
            Ok(())
        }
        Command::Fleet {
            command:
                FleetCommand::Page {
                    structure,
                    recherche,
                    card_type,
                    limite,
                    page,
                    repeat,
                    explain,
                    config,
                },
        } => {
            let config = load_config(config.as_deref());
            let structure = structure_arg(&structure)?;
            anyhow::ensure!(
                (1..=crate::fleet::browse::MAX_PAGE).contains(&limite),
                "--limite : de 1 à {}",
                crate::fleet::browse::MAX_PAGE
            );
            let filter = shared::api::FleetFilter {
                recherche,
                card_type,
                ..Default::default()
            };
            let position = match page {
                PagePosition::Premiere => crate::fleet::cli::Position::First,
                PagePosition::Milieu => crate::fleet::cli::Position::Middle,
                PagePosition::Derniere => crate::fleet::cli::Position::Last,
            };
            let database = db::Db::open_existing(&config.database_url).await?;
            let now = crate::state::SystemClock.now();
            let times = crate::fleet::cli::time_page(
                &database, structure, &filter, limite, position, repeat, explain, now,
            )
            .await?;
            eprintln!(
                "page {} sur {} : {} cartes, {} en tout",
                times.page, times.pages, times.rows, times.total
            );
            for (sql, plan) in &times.plans {
                eprintln!("\n{sql}\n{}", plan.join("\n"));
            }
            for d in &times.durations {
                println!("{:.3}", d.as_secs_f64() * 1000.0);
            }
            Ok(())
        }
        Command::Register {
            command: RegisterCommand::Import { file, config },
        } => {
            let config = load_config(config.as_deref());
            let now = crate::state::SystemClock.now();
            std::process::exit(
                crate::register::cli::import_file(&config.database_url, &file, now).await,
            );
        }
        Command::Register {
            command:
                RegisterCommand::Generate {
                    lines,
                    seed,
                    output,
                },
        } => {
            match output {
                Some(path) => {
                    let mut file = std::fs::File::create(&path)
                        .with_context(|| format!("{} : écriture impossible", path.display()))?;
                    crate::register::cli::generate(lines, seed, &mut file)?;
                }
                None => crate::register::cli::generate(lines, seed, &mut std::io::stdout())?,
            }
            Ok(())
        }
        Command::Pki {
            command: PkiCommand::Init { dir, public_url },
        } => {
            let manifest = pki::init(&dir, &public_url, time::OffsetDateTime::now_utc())?;
            println!("PKI de test écrite dans {}", dir.display());
            println!("Cartes : {}", dir.join("cards").display());
            println!("Mot de passe des fichiers .p12 : {}", manifest.passphrase);
            Ok(())
        }
        Command::Order {
            command: OrderCommand::Validate { files, format },
        } => {
            let today = crate::http::params::date_of(crate::state::SystemClock.now());
            std::process::exit(order_cli::validate(
                &files,
                matches!(format, OutputFormat::Json),
                today,
            ));
        }
        Command::Order {
            command:
                OrderCommand::Convert {
                    file,
                    output,
                    finess,
                    siret,
                    nom,
                    prenom,
                    email,
                    identifiant_national,
                    reference,
                },
        } => {
            let header = order_cli::ConvertHeader {
                finess,
                siret,
                national_id: identifiant_national,
                last_name: nom,
                first_name: prenom,
                email,
                reference,
            };
            std::process::exit(order_cli::convert(
                &file,
                output.as_ref(),
                header,
                crate::state::SystemClock.now(),
                crate::http::params::date_of(crate::state::SystemClock.now()),
            ));
        }
        Command::Order {
            command:
                OrderCommand::Generate {
                    lines,
                    format,
                    seed,
                    errors,
                    output,
                    expected,
                },
        } => match format {
            GenerateFormat::Xml => {
                order_cli::generate_file(lines, seed, errors, output.as_ref(), expected)
            }
            GenerateFormat::Xlsx | GenerateFormat::Csv => {
                if errors > 0 || expected {
                    anyhow::bail!(
                        "--errors et --expected ne valent que pour --format xml : le tableur généré est valide"
                    );
                }
                order_cli::generate_sheet(
                    lines,
                    seed,
                    matches!(format, GenerateFormat::Xlsx),
                    output.as_ref(),
                )
            }
        },
        Command::Serve { config, demo } => {
            let env: HashMap<String, String> = std::env::vars().collect();
            let (config, unknown) = match Config::load(config.as_deref(), &env) {
                Ok(loaded) => loaded,
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(2);
                }
            };
            init_logs(&config.log);
            for name in unknown {
                tracing::warn!(variable = %name, "variable d'environnement TOM_* inconnue, ignorée");
            }
            if demo {
                prepare_demo(&config).await?;
            }
            if let Err(e) = config.check_files() {
                eprintln!("{e}");
                std::process::exit(2);
            }
            let (listen_mode, public_url) = (config.listen_mode, config.public_url.clone());
            let app = Application::build(config).await?;
            match listen_mode {
                crate::config::ListenMode::Tls => {
                    println!("TOM est prêt : https://localhost:{}", app.addr().port())
                }
                crate::config::ListenMode::Proxy => println!(
                    "TOM est prêt derrière le mandataire inverse : http://{} (public : {public_url})",
                    app.addr()
                ),
            }
            app.run_until_stopped().await
        }
    }
}

/// Generates the test PKI and loads the demo data on an empty data directory.
async fn prepare_demo(config: &Config) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir).with_context(|| {
        format!(
            "data_dir (TOM_DATA_DIR) : impossible de créer {}",
            config.data_dir.display()
        )
    })?;
    let layout = pki::PkiLayout::new(config.pki_dir());
    if !layout.exists() {
        let manifest = pki::init(
            &config.pki_dir(),
            &config.public_url,
            time::OffsetDateTime::now_utc(),
        )?;
        println!("PKI de test générée dans {}", config.pki_dir().display());
        println!(
            "Cartes de test : {} (mot de passe des .p12 : {})",
            layout.cards_dir().display(),
            manifest.passphrase
        );
    }
    let database = db::Db::connect(&config.database_url).await?;
    if crate::structures::store::is_empty(&database).await? {
        demo::load(
            &database,
            &layout.read_manifest()?,
            time::OffsetDateTime::now_utc().unix_timestamp(),
        )
        .await?;
        println!("Données de démonstration chargées (structures A et B).");
    }
    Ok(())
}
