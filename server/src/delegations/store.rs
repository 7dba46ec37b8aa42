//! Delegations' SQL: the rows that list delegations, the identity documents kept apart, the
//! mandates they start and end, and the cards a designation is checked against.

use shared::api::{Delegation, DocumentInfo};
use shared::delegation::DelegationStatus;

use crate::auth::access::Access;
use crate::db::{on_pool, on_tx, Db, Tx};

/// A delegation row, with its structure's name.
#[derive(sqlx::FromRow)]
pub struct DelegationRow {
    pub id: String,
    pub structure_id: String,
    pub structure_name: String,
    pub person_id: String,
    pub family_name: String,
    pub given_name: String,
    pub replaces_id: Option<String>,
    /// The replaced mandataire's name, as TOM knows it.
    pub replaces_name: Option<String>,
    pub order_id: Option<String>,
    pub status: String,
    pub requested_at: i64,
    pub requested_by: String,
    pub decided_at: Option<i64>,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    pub document_type: String,
    pub document_bytes: i64,
    pub document_delete_after: Option<i64>,
    /// Whether the document is still kept.
    pub document_kept: bool,
    /// When the person's mandataire mandate in the structure ends or ended.
    pub mandate_end_at: Option<i64>,
}

impl DelegationRow {
    pub fn status(&self) -> DelegationStatus {
        DelegationStatus::parse(&self.status).unwrap_or(DelegationStatus::EnAttente)
    }

    /// The delegation as the API shows it at `now`.
    pub fn to_api(&self, now: i64) -> Delegation {
        Delegation {
            id: self.id.clone(),
            structure_id: self.structure_id.clone(),
            structure_name: self.structure_name.clone(),
            national_id: self.person_id.clone(),
            family_name: self.family_name.clone(),
            given_name: self.given_name.clone(),
            replaces: self.replaces_id.clone(),
            replaces_name: self.replaces_name.clone(),
            order_id: self.order_id.clone(),
            status: self.status(),
            requested_at: self.requested_at,
            requested_by: self.requested_by.clone(),
            decided_at: self.decided_at,
            decided_by: self.decided_by.clone(),
            reason: self.reason.clone(),
            document: self.document_kept.then(|| DocumentInfo {
                media_type: self.document_type.clone(),
                bytes: self.document_bytes,
            }),
            document_deleted_after: self.document_delete_after,
            mandate_ended_at: self
                .mandate_end_at
                .filter(|at| self.status() == DelegationStatus::Validee && *at <= now),
        }
    }
}

const SELECT: &str = "SELECT d.id, d.structure_id, s.name AS structure_name, d.person_id, \
    d.family_name, d.given_name, d.replaces_id, \
    (SELECT p.given_name || ' ' || p.family_name FROM persons p \
        WHERE p.national_id = d.replaces_id) AS replaces_name, d.order_id, d.status, d.requested_at, \
    d.requested_by, d.decided_at, d.decided_by, d.reason, d.document_type, d.document_bytes, \
    d.document_delete_after, \
    EXISTS (SELECT 1 FROM delegation_documents k WHERE k.delegation_id = d.id) AS document_kept, \
    (SELECT m.end_at FROM mandates m WHERE m.person_id = d.person_id \
        AND m.structure_id = d.structure_id AND m.role = 'mandataire') AS mandate_end_at \
    FROM delegations d JOIN structures s ON s.id = d.structure_id";

/// A structure's delegations, the latest first.
pub async fn list_for_structure(db: &Db, access: &Access) -> anyhow::Result<Vec<DelegationRow>> {
    let sql = format!("{SELECT} WHERE d.structure_id = $1 ORDER BY d.requested_at DESC, d.id");
    Ok(on_pool!(db, p => sqlx::query_as(&sql).bind(access.structure_id()).fetch_all(p).await?))
}

/// Every structure's delegations in `status`, the oldest first (the operator's queue), at most
/// 500.
pub async fn list_by_status(
    db: &Db,
    status: DelegationStatus,
) -> anyhow::Result<Vec<DelegationRow>> {
    let sql = format!("{SELECT} WHERE d.status = $1 ORDER BY d.requested_at, d.id LIMIT 500");
    Ok(on_pool!(db, p => sqlx::query_as(&sql).bind(status.code()).fetch_all(p).await?))
}

/// One delegation, in the transaction that decides it.
pub async fn find_tx(tx: &mut Tx, id: &str) -> anyhow::Result<Option<DelegationRow>> {
    let sql = format!("{SELECT} WHERE d.id = $1");
    Ok(on_tx!(tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await?))
}

/// One delegation of the structure of `access`.
pub async fn find(db: &Db, access: &Access, id: &str) -> anyhow::Result<Option<DelegationRow>> {
    let sql = format!("{SELECT} WHERE d.id = $1 AND d.structure_id = $2");
    Ok(on_pool!(db, p => sqlx::query_as(&sql)
        .bind(id)
        .bind(access.structure_id())
        .fetch_optional(p)
        .await?))
}

/// A new delegation waiting for the operator, with its identity document.
pub struct NewDelegation<'a> {
    pub id: &'a str,
    pub person_id: &'a str,
    pub family_name: &'a str,
    pub given_name: &'a str,
    pub replaces_id: Option<&'a str>,
    pub order_id: Option<&'a str>,
    pub requested_at: i64,
    pub requested_by: &'a str,
    pub document_type: &'static str,
    pub document: &'a [u8],
}

/// Records the delegation and, in its own table, the document.
pub async fn insert(
    tx: &mut Tx,
    access: &Access,
    d: &NewDelegation<'_>,
) -> Result<(), sqlx::Error> {
    const ROW: &str = "INSERT INTO delegations (id, structure_id, person_id, family_name, \
        given_name, replaces_id, order_id, status, requested_at, requested_by, document_type, \
        document_bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, 'en_attente', $8, $9, $10, $11)";
    const DOCUMENT: &str = "INSERT INTO delegation_documents (delegation_id, media_type, content, \
        sha256) VALUES ($1, $2, $3, $4)";
    let sha = hex::encode(ring::digest::digest(&ring::digest::SHA256, d.document));
    on_tx!(tx, c => {
        sqlx::query(ROW)
            .bind(d.id)
            .bind(access.structure_id())
            .bind(d.person_id)
            .bind(d.family_name)
            .bind(d.given_name)
            .bind(d.replaces_id)
            .bind(d.order_id)
            .bind(d.requested_at)
            .bind(d.requested_by)
            .bind(d.document_type)
            .bind(d.document.len() as i64)
            .execute(&mut *c)
            .await?;
        sqlx::query(DOCUMENT)
            .bind(d.id)
            .bind(d.document_type)
            .bind(d.document)
            .bind(sha)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// Moves a waiting delegation to `status`; `false` when it was no longer waiting (decided
/// meanwhile by someone else).
pub async fn decide(
    tx: &mut Tx,
    id: &str,
    status: DelegationStatus,
    at: i64,
    by: &str,
    reason: Option<&str>,
    delete_document_after: i64,
) -> Result<bool, sqlx::Error> {
    const SQL: &str = "UPDATE delegations SET status = $1, decided_at = $2, decided_by = $3, \
        reason = $4, document_delete_after = $5 WHERE id = $6 AND status = 'en_attente'";
    on_tx!(tx, c => Ok(sqlx::query(SQL)
        .bind(status.code())
        .bind(at)
        .bind(by)
        .bind(reason)
        .bind(delete_document_after)
        .bind(id)
        .execute(c)
        .await?
        .rows_affected() == 1))
}

/// The identity document of a delegation of the structure of `access`, if still kept.
pub async fn find_document(
    db: &Db,
    access: &Access,
    id: &str,
) -> anyhow::Result<Option<(String, Vec<u8>)>> {
    const SQL: &str = "SELECT k.media_type, k.content FROM delegation_documents k \
        JOIN delegations d ON d.id = k.delegation_id WHERE k.delegation_id = $1 AND d.structure_id = $2";
    Ok(on_pool!(db, p => sqlx::query_as(SQL)
        .bind(id)
        .bind(access.structure_id())
        .fetch_optional(p)
        .await?))
}

/// Delegations whose document's retention is over: `(delegation, structure)`, at most 100 a call.
pub async fn documents_due(db: &Db, now: i64) -> anyhow::Result<Vec<(String, String)>> {
    const SQL: &str = "SELECT d.id, d.structure_id FROM delegations d \
        JOIN delegation_documents k ON k.delegation_id = d.id \
        WHERE d.document_delete_after IS NOT NULL AND d.document_delete_after <= $1 LIMIT 100";
    Ok(on_pool!(db, p => sqlx::query_as(SQL).bind(now).fetch_all(p).await?))
}

/// Deletes a delegation's document; `false` when another instance did it first.
pub async fn delete_document(tx: &mut Tx, id: &str) -> Result<bool, sqlx::Error> {
    const SQL: &str = "DELETE FROM delegation_documents WHERE delegation_id = $1";
    on_tx!(tx, c => Ok(sqlx::query(SQL).bind(id).execute(c).await?.rows_affected() == 1))
}

/// Whether the person holds a running mandate of `role` in the structure at `at`.
pub async fn holds_mandate(
    tx: &mut Tx,
    access: &Access,
    person_id: &str,
    role: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    const SQL: &str = "SELECT COUNT(*) FROM mandates WHERE person_id = $1 AND structure_id = $2 \
        AND role = $3 AND start_at <= $4 AND (end_at IS NULL OR end_at > $4)";
    let n: i64 = on_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(person_id)
        .bind(access.structure_id())
        .bind(role)
        .bind(at)
        .fetch_one(c)
        .await?);
    Ok(n > 0)
}

/// Starts a mandate of `role` (`mandataire`, `representant_legal`) at `at` — again, if an
/// earlier one ended; a running one is kept as it is.
pub async fn start_mandate(
    tx: &mut Tx,
    structure_id: &str,
    person_id: &str,
    role: shared::api::Role,
    at: i64,
) -> Result<(), sqlx::Error> {
    const SQL: &str = "INSERT INTO mandates (person_id, structure_id, role, start_at) \
        VALUES ($1, $2, $3, $4) ON CONFLICT (person_id, structure_id, role) \
        DO UPDATE SET start_at = $4, end_at = NULL WHERE mandates.end_at IS NOT NULL";
    on_tx!(tx, c => sqlx::query(SQL)
        .bind(person_id)
        .bind(structure_id)
        .bind(role.code())
        .bind(at)
        .execute(c)
        .await
        .map(|_| ()))
}

/// A card TOM knows, in force at `at`: its identifiant national and the holder's names.
#[derive(sqlx::FromRow)]
pub struct LiveCard {
    pub national_id: String,
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub holder: Option<String>,
}

const LIVE: &str = "SELECT national_id, family_name, given_name, holder FROM cards \
    WHERE state = 'active' AND revoked_at IS NULL AND not_after > $1";

/// The live cards carrying `national_id`.
pub async fn live_cards_of(
    tx: &mut Tx,
    national_id: &str,
    at: i64,
) -> Result<Vec<LiveCard>, sqlx::Error> {
    let sql = format!("{LIVE} AND national_id = $2");
    on_tx!(tx, c => sqlx::query_as(&sql).bind(at).bind(national_id).fetch_all(c).await)
}

/// The pattern that finds a birth date in the JSON of a holder (`"birth_date":"AAAA-MM-JJ"`).
fn born_on(birth_date: &str) -> String {
    format!("%\"birth_date\":\"{birth_date}\"%")
}

/// The structure's live cards whose holder was born on `birth_date` (`AAAA-MM-JJ`).
pub async fn live_cards_born_on(
    tx: &mut Tx,
    access: &Access,
    birth_date: &str,
    at: i64,
) -> Result<Vec<LiveCard>, sqlx::Error> {
    let sql = format!("{LIVE} AND structure_id = $2 AND holder LIKE $3");
    on_tx!(tx, c => sqlx::query_as(&sql)
        .bind(at)
        .bind(access.structure_id())
        .bind(born_on(birth_date))
        .fetch_all(c)
        .await)
}

/// The structure's card requests not fabricated yet (nor rejected) for a holder born on
/// `birth_date`: `(order, payload)`.
pub async fn open_card_requests_born_on(
    tx: &mut Tx,
    access: &Access,
    birth_date: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    const SQL: &str = "SELECT l.order_id, l.payload FROM order_lines l \
        JOIN orders o ON o.id = l.order_id WHERE o.structure_id = $1 \
        AND l.kind = 'demande_carte' \
        AND l.status IN ('soumise', 'en_attente_justificatif', 'acceptee') AND l.payload LIKE $2";
    on_tx!(tx, c => sqlx::query_as(SQL)
        .bind(access.structure_id())
        .bind(born_on(birth_date))
        .fetch_all(c)
        .await)
}

/// A live card carrying `national_id` whose holder has these names (accents, case and
/// punctuation aside).
pub async fn live_card_named(
    tx: &mut Tx,
    national_id: &str,
    family_name: &str,
    given_name: &str,
    at: i64,
) -> Result<Option<LiveCard>, sqlx::Error> {
    let typed = shared::fleet::holder_key(family_name, given_name);
    Ok(live_cards_of(tx, national_id, at)
        .await?
        .into_iter()
        .find(|c| {
            shared::fleet::holder_key(
                c.family_name.as_deref().unwrap_or_default(),
                c.given_name.as_deref().unwrap_or_default(),
            ) == typed
        }))
}

/// Records the person unless TOM knows them already.
pub use crate::contracts::store::insert_person_if_missing;

/// Ends the running mandataire mandate of a person in the structure; `false` when there was none.
pub async fn end_mandataire_mandate(
    tx: &mut Tx,
    structure_id: &str,
    person_id: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    const SQL: &str = "UPDATE mandates SET end_at = $1 WHERE person_id = $2 AND structure_id = $3 \
        AND role = 'mandataire' AND start_at <= $1 AND (end_at IS NULL OR end_at > $1)";
    on_tx!(tx, c => Ok(sqlx::query(SQL)
        .bind(at)
        .bind(person_id)
        .bind(structure_id)
        .execute(c)
        .await?
        .rows_affected() == 1))
}

/// The names `(family, given)` of the structure's legal representatives at `at`.
pub async fn legal_representatives(
    tx: &mut Tx,
    access: &Access,
    at: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    const SQL: &str = "SELECT p.family_name, p.given_name FROM persons p \
        JOIN mandates m ON m.person_id = p.national_id WHERE m.structure_id = $1 \
        AND m.role = 'representant_legal' AND m.start_at <= $2 AND (m.end_at IS NULL OR m.end_at > $2)";
    on_tx!(tx, c => sqlx::query_as(SQL).bind(access.structure_id()).bind(at).fetch_all(c).await)
}
