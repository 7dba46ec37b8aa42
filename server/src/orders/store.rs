//! Orders' SQL: orders, their lines and supporting documents. Writes take the use case's `Tx`;
//! reads take the capability that was decided for them.

use shared::api::{IssuedCardInfo, OrderLine, OrderSource, OrderSummary};
use shared::tracking::{LineKind, LineProgress, LineStatus, LineTimes};

use crate::auth::access::{Access, OperatorAccess, OrderId, Scope, StructureId};
use crate::db::{on_pool, on_tx, Db, Tx};

/// Rows per INSERT statement: 11 parameters each, well under SQLite's and PostgreSQL's limits.
const LINES_PER_STATEMENT: usize = 1000;

/// The statuses of closed lines, for SQL (kept in step with `LineStatus::is_open`).
const CLOSED: &str = "('rejetee', 'livree', 'traitee')";

/// An order about to be stored.
pub struct NewOrder<'a> {
    pub id: &'a str,
    pub structure_id: &'a str,
    pub source: OrderSource,
    pub issuer_reference: &'a str,
    pub submitted_by: &'a str,
    pub submitted_at: i64,
    pub idempotency_key: &'a str,
    pub content_sha256: &'a str,
}

/// One line about to be stored.
pub struct NewLine {
    pub line_no: i64,
    pub kind: LineKind,
    pub card_type: Option<&'static str>,
    pub civility: Option<&'static str>,
    pub holder: String,
    /// `holder` in its search form (`shared::text::search_key`).
    pub holder_key: String,
    pub matricule: String,
    /// The operation as JSON.
    pub payload: String,
    pub status: LineStatus,
    pub needs_document: bool,
    /// The card this line's card replaces and why (`renouvellement`, `dysfonctionnement`,
    /// `perte`, `vol`): a malfunctioning card is revoked when its replacement is fabricated.
    pub replaces: Option<(String, &'static str)>,
}

/// The order received earlier with this idempotency key or this content, if any: read after the
/// database refused a second one (`orders_structure_id_*_key`).
pub async fn find_existing(
    db: &Db,
    access: &Access,
    idempotency_key: &str,
    content_sha256: &str,
) -> anyhow::Result<Option<String>> {
    const SQL: &str = "SELECT id FROM orders WHERE structure_id = $1 \
        AND (idempotency_key = $2 OR content_sha256 = $3) ORDER BY submitted_at LIMIT 1";
    Ok(
        on_pool!(db, p => sqlx::query_scalar(SQL).bind(access.structure_id()).bind(idempotency_key).bind(content_sha256).fetch_optional(p).await?),
    )
}

/// Stores the order and all its lines in the use case's transaction. A second order with the
/// same idempotency key or content is refused by the database's unique constraints
/// (`db::constraint_of` names which).
pub async fn insert_order(
    tx: &mut Tx,
    order: &NewOrder<'_>,
    lines: &[NewLine],
) -> Result<(), sqlx::Error> {
    const ORDER: &str = "INSERT INTO orders (id, structure_id, source, issuer_reference, \
        submitted_by, submitted_at, idempotency_key, content_sha256, line_count) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    const LINES: &str = "INSERT INTO order_lines (order_id, line_no, kind, card_type, holder, \
        matricule, payload, status, needs_document, replaces_serial, replaces_reason, civility, \
        holder_key) ";
    on_tx!(tx, c => {
        sqlx::query(ORDER)
            .bind(order.id)
            .bind(order.structure_id)
            .bind(order.source.code())
            .bind(order.issuer_reference)
            .bind(order.submitted_by)
            .bind(order.submitted_at)
            .bind(order.idempotency_key)
            .bind(order.content_sha256)
            .bind(lines.len() as i64)
            .execute(&mut *c)
            .await?;
        for chunk in lines.chunks(LINES_PER_STATEMENT) {
            let mut q = sqlx::QueryBuilder::new(LINES);
            q.push_values(chunk, |mut row, l| {
                row.push_bind(order.id)
                    .push_bind(l.line_no)
                    .push_bind(l.kind.code())
                    .push_bind(l.card_type)
                    .push_bind(l.holder.as_str())
                    .push_bind(l.matricule.as_str())
                    .push_bind(l.payload.as_str())
                    .push_bind(l.status.code())
                    .push_bind(l.needs_document)
                    .push_bind(l.replaces.as_ref().map(|(serial, _)| serial.as_str()))
                    .push_bind(l.replaces.as_ref().map(|(_, why)| *why))
                    .push_bind(l.civility)
                    .push_bind(l.holder_key.as_str());
            });
            q.build().execute(&mut *c).await?;
        }
    });
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    structure_id: String,
    structure_name: String,
    source: String,
    issuer_reference: String,
    submitted_by: String,
    submitted_at: i64,
    line_count: i64,
    open_lines: i64,
    late_lines: i64,
}

impl SummaryRow {
    fn into_summary(self) -> OrderSummary {
        OrderSummary {
            id: self.id,
            structure_id: self.structure_id,
            structure_name: self.structure_name,
            source: OrderSource::parse(&self.source).unwrap_or(OrderSource::Fichier),
            issuer_reference: self.issuer_reference,
            submitted_by: self.submitted_by,
            submitted_at: self.submitted_at,
            line_count: self.line_count,
            open_lines: self.open_lines,
            late_lines: self.late_lines,
        }
    }
}

/// Filters of the order list.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// Orders with at least one line in this status.
    pub status: Option<LineStatus>,
    /// Submitted at or after (Unix seconds).
    pub from: Option<i64>,
    /// Submitted before (Unix seconds).
    pub until: Option<i64>,
}

fn summary_select() -> String {
    format!(
        "SELECT o.id, o.structure_id, s.name AS structure_name, o.source, o.issuer_reference, \
        o.submitted_by, o.submitted_at, o.line_count, \
        (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id AND l.status NOT IN {CLOSED}) AS open_lines, \
        (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id AND l.status NOT IN {CLOSED} \
            AND o.submitted_at < $1) AS late_lines \
        FROM orders o JOIN structures s ON s.id = o.structure_id"
    )
}

/// The orders of a structure, newest first.
pub async fn list_orders(
    db: &Db,
    access: &Access,
    filter: &OrderFilter,
    late_before: i64,
) -> anyhow::Result<Vec<OrderSummary>> {
    let sql = format!(
        "{} WHERE o.structure_id = $2 AND o.submitted_at >= $3 AND o.submitted_at < $4 \
        AND ($5 = '' OR EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.status = $5)) \
        ORDER BY o.submitted_at DESC, o.id LIMIT 500",
        summary_select()
    );
    let status = filter.status.map(LineStatus::code).unwrap_or("");
    let rows: Vec<SummaryRow> = on_pool!(db, p => sqlx::query_as(&sql)
        .bind(late_before)
        .bind(access.structure_id())
        .bind(filter.from.unwrap_or(i64::MIN))
        .bind(filter.until.unwrap_or(i64::MAX))
        .bind(status)
        .fetch_all(p)
        .await?);
    Ok(rows.into_iter().map(SummaryRow::into_summary).collect())
}

/// The structure an order belongs to: what the authorization decision is made on, and nothing
/// more.
pub async fn structure_of_order(
    db: &Db,
    order_id: &OrderId,
) -> anyhow::Result<Option<StructureId>> {
    const SQL: &str = "SELECT structure_id FROM orders WHERE id = $1";
    let id: Option<String> =
        on_pool!(db, p => sqlx::query_scalar(SQL).bind(order_id.as_str()).fetch_optional(p).await?);
    Ok(id.as_deref().and_then(StructureId::parse))
}

/// One order's summary, within the structure the access was decided for.
pub async fn find_order(
    db: &Db,
    access: &Access,
    order_id: &str,
    late_before: i64,
) -> anyhow::Result<Option<OrderSummary>> {
    let sql = format!(
        "{} WHERE o.id = $2 AND o.structure_id = $3",
        summary_select()
    );
    let row: Option<SummaryRow> = on_pool!(db, p => sqlx::query_as(&sql)
        .bind(late_before)
        .bind(order_id)
        .bind(access.structure_id())
        .fetch_optional(p)
        .await?);
    Ok(row.map(SummaryRow::into_summary))
}

#[derive(sqlx::FromRow)]
pub struct LineRow {
    pub order_id: String,
    pub line_no: i64,
    pub structure_id: String,
    pub structure_name: String,
    pub submitted_at: i64,
    pub kind: String,
    pub card_type: Option<String>,
    pub issuer_reference: String,
    pub civility: Option<String>,
    pub holder: String,
    pub matricule: String,
    pub status: String,
    pub reason: Option<String>,
    pub needs_document: bool,
    pub document_at: Option<i64>,
    pub accepted_at: Option<i64>,
    pub rejected_at: Option<i64>,
    pub fabricated_at: Option<i64>,
    pub card_shipped_at: Option<i64>,
    pub codes_shipped_at: Option<i64>,
    pub delivered_at: Option<i64>,
    pub card_serial: Option<String>,
    pub card_national_id: Option<String>,
}

impl LineRow {
    pub fn progress(&self) -> LineProgress {
        LineProgress {
            kind: LineKind::parse(&self.kind).unwrap_or(LineKind::DemandeCarte),
            needs_document: self.needs_document,
            times: LineTimes {
                submitted_at: self.submitted_at,
                document_at: self.document_at,
                accepted_at: self.accepted_at,
                rejected_at: self.rejected_at,
                fabricated_at: self.fabricated_at,
                card_shipped_at: self.card_shipped_at,
                codes_shipped_at: self.codes_shipped_at,
                delivered_at: self.delivered_at,
            },
        }
    }

    pub fn to_api(&self, now: i64, target_seconds: i64) -> OrderLine {
        let progress = self.progress();
        OrderLine {
            order_id: self.order_id.clone(),
            line_no: self.line_no,
            structure_id: self.structure_id.clone(),
            structure_name: self.structure_name.clone(),
            kind: progress.kind,
            card_type: self.card_type.clone(),
            issuer_reference: self.issuer_reference.clone(),
            civility: self.civility.clone(),
            holder: self.holder.clone(),
            matricule: self.matricule.clone(),
            status: progress.status(),
            reason: self.reason.clone(),
            needs_document: self.needs_document,
            age_seconds: progress.age(now),
            late: progress.is_late(now, target_seconds),
            times: progress.times,
            card: match (&self.card_serial, &self.card_national_id) {
                (Some(serial), Some(national_id)) => Some(IssuedCardInfo {
                    national_id: national_id.clone(),
                    serial: serial.clone(),
                }),
                _ => None,
            },
        }
    }
}

const LINE_SELECT: &str = "SELECT l.order_id, l.line_no, o.structure_id, s.name AS structure_name, \
    o.submitted_at, l.kind, l.card_type, o.issuer_reference, l.civility, l.holder, l.matricule, l.status, l.reason, l.needs_document, \
    l.document_at, l.accepted_at, l.rejected_at, l.fabricated_at, l.card_shipped_at, \
    l.codes_shipped_at, l.delivered_at, l.card_serial, l.card_national_id \
    FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN structures s ON s.id = o.structure_id";

/// The lines of an order, in file order.
pub async fn list_lines(db: &Db, access: &Access, order_id: &str) -> anyhow::Result<Vec<LineRow>> {
    let sql =
        format!("{LINE_SELECT} WHERE l.order_id = $1 AND o.structure_id = $2 ORDER BY l.line_no");
    Ok(
        on_pool!(db, p => sqlx::query_as(&sql).bind(order_id).bind(access.structure_id()).fetch_all(p).await?),
    )
}

/// One line, within what the scope may see.
pub async fn find_line(
    db: &Db,
    scope: Scope<'_>,
    order_id: &str,
    line_no: i64,
) -> anyhow::Result<Option<LineRow>> {
    let sql = format!(
        "{LINE_SELECT} WHERE l.order_id = $1 AND l.line_no = $2 AND ($3 = '' OR o.structure_id = $3)"
    );
    Ok(on_pool!(db, p => sqlx::query_as(&sql)
        .bind(order_id)
        .bind(line_no)
        .bind(scope.structure_filter())
        .fetch_optional(p)
        .await?))
}

/// Where a page of the queue starts: just after this line, the last of the page before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueCursor {
    pub submitted_at: i64,
    pub order_id: String,
    pub line_no: i64,
}

/// What the operators' queue shows.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// Lines in this status; the open lines when none.
    pub status: Option<LineStatus>,
    /// What the operator typed: part of the holder's or the structure's name, the beginning of a
    /// structure identifier or an order number, or the structure's own order reference.
    pub search: String,
}

/// The queue's conditions, shared by the page and its count. `$1` the status (or ''), `$2` the
/// search text in its search form as a LIKE pattern (`%…%`), `$3` the search text in capitals as
/// a prefix pattern (`…%`), `$4` the search text in capitals (or '').
fn queue_where() -> String {
    format!(
        "WHERE (($1 = '' AND l.status NOT IN {CLOSED}) OR l.status = $1) \
    AND ($4 = '' OR l.holder_key LIKE $2 ESCAPE '\\' OR s.name_key LIKE $2 ESCAPE '\\' \
        OR o.structure_id LIKE $3 ESCAPE '\\' OR l.order_id LIKE $3 ESCAPE '\\' \
        OR UPPER(o.issuer_reference) = $4)"
    )
}

/// `text` with LIKE's wildcards taken literally.
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The queue's parameters `$1` to `$4`.
fn queue_params(filter: &QueueFilter) -> (&'static str, String, String, String) {
    let text = filter.search.trim();
    let key = shared::text::search_key(text);
    let upper = text.to_uppercase();
    (
        filter.status.map(LineStatus::code).unwrap_or(""),
        format!("%{}%", like_escaped(&key)),
        format!("{}%", like_escaped(&upper)),
        if key.is_empty() { String::new() } else { upper },
    )
}

/// One page of the operators' queue, oldest first: at most `limit` lines after `after`.
pub async fn queue(
    db: &Db,
    _operator: &OperatorAccess,
    filter: &QueueFilter,
    after: Option<&QueueCursor>,
    limit: i64,
) -> anyhow::Result<Vec<LineRow>> {
    let sql = format!(
        "{LINE_SELECT} {} AND (o.submitted_at, l.order_id, l.line_no) > ($5, $6, $7) \
        ORDER BY o.submitted_at, l.order_id, l.line_no LIMIT $8",
        queue_where()
    );
    let (status, contains, prefix, upper) = queue_params(filter);
    let (at, order, line) = match after {
        Some(c) => (c.submitted_at, c.order_id.as_str(), c.line_no),
        None => (i64::MIN, "", 0),
    };
    Ok(on_pool!(db, p => sqlx::query_as(&sql)
        .bind(status)
        .bind(&contains)
        .bind(&prefix)
        .bind(&upper)
        .bind(at)
        .bind(order)
        .bind(line)
        .bind(limit)
        .fetch_all(p)
        .await?))
}

/// How many lines the queue shows with this filter, on all pages.
pub async fn count_queue(
    db: &Db,
    _operator: &OperatorAccess,
    filter: &QueueFilter,
) -> anyhow::Result<i64> {
    let sql = format!(
        "SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.id = l.order_id \
        JOIN structures s ON s.id = o.structure_id {}",
        queue_where()
    );
    let (status, contains, prefix, upper) = queue_params(filter);
    Ok(on_pool!(db, p => sqlx::query_scalar(&sql)
        .bind(status)
        .bind(&contains)
        .bind(&prefix)
        .bind(&upper)
        .fetch_one(p)
        .await?))
}

/// Lines stored before TOM kept their holder's search form (migration 0005): order, line,
/// holder and operation (JSON).
pub async fn lines_without_search_key(
    db: &Db,
) -> anyhow::Result<Vec<(String, i64, String, String)>> {
    const SQL: &str =
        "SELECT order_id, line_no, holder, payload FROM order_lines WHERE holder_key = ''";
    Ok(on_pool!(db, p => sqlx::query_as(SQL).fetch_all(p).await?))
}

/// Writes a line's holder search form and civility.
pub async fn set_line_search_key(
    tx: &mut Tx,
    order_id: &str,
    line_no: i64,
    holder_key: &str,
    civility: Option<&str>,
) -> Result<(), sqlx::Error> {
    const SQL: &str = "UPDATE order_lines SET holder_key = $1, civility = $2 \
        WHERE order_id = $3 AND line_no = $4";
    on_tx!(tx, c => sqlx::query(SQL).bind(holder_key).bind(civility).bind(order_id).bind(line_no).execute(c).await.map(|_| ())?);
    Ok(())
}

/// The operation a line carries, as JSON.
pub async fn line_payload(db: &Db, scope: Scope<'_>, row: &LineRow) -> anyhow::Result<String> {
    const SQL: &str = "SELECT l.payload FROM order_lines l JOIN orders o ON o.id = l.order_id \
        WHERE l.order_id = $1 AND l.line_no = $2 AND ($3 = '' OR o.structure_id = $3)";
    Ok(on_pool!(db, p => sqlx::query_scalar(SQL)
        .bind(&row.order_id)
        .bind(row.line_no)
        .bind(scope.structure_filter())
        .fetch_one(p)
        .await?))
}

/// Writes a line's new timestamps and status, if it is still in the status it was read in.
/// Returns false when someone else changed it first.
pub async fn update_line(
    tx: &mut Tx,
    row: &LineRow,
    progress: &LineProgress,
    reason: Option<&str>,
) -> Result<bool, sqlx::Error> {
    const SQL: &str = "UPDATE order_lines SET status = $1, reason = $2, document_at = $3, \
        accepted_at = $4, rejected_at = $5, fabricated_at = $6, card_shipped_at = $7, \
        codes_shipped_at = $8, delivered_at = $9 \
        WHERE order_id = $10 AND line_no = $11 AND status = $12";
    let t = &progress.times;
    let done = on_tx!(tx, c => sqlx::query(SQL)
        .bind(progress.status().code())
        .bind(reason)
        .bind(t.document_at)
        .bind(t.accepted_at)
        .bind(t.rejected_at)
        .bind(t.fabricated_at)
        .bind(t.card_shipped_at)
        .bind(t.codes_shipped_at)
        .bind(t.delivered_at)
        .bind(&row.order_id)
        .bind(row.line_no)
        .bind(&row.status)
        .execute(c)
        .await?
        .rows_affected());
    Ok(done == 1)
}

/// Marks the line as no longer waiting for its document, if it still is. Returns false when
/// someone else changed it first.
pub async fn mark_document_received(
    tx: &mut Tx,
    row: &LineRow,
    progress: &LineProgress,
) -> Result<bool, sqlx::Error> {
    const SQL: &str = "UPDATE order_lines SET status = $1, document_at = $2 \
        WHERE order_id = $3 AND line_no = $4 AND status = $5";
    let n = on_tx!(tx, c => sqlx::query(SQL)
        .bind(progress.status().code())
        .bind(progress.times.document_at)
        .bind(&row.order_id)
        .bind(row.line_no)
        .bind(&row.status)
        .execute(c)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// Stores a line's supporting document.
pub async fn insert_document(
    tx: &mut Tx,
    row: &LineRow,
    media_type: &str,
    content: &[u8],
    uploaded_by: &str,
) -> Result<(), sqlx::Error> {
    const SQL: &str =
        "INSERT INTO line_documents (order_id, line_no, media_type, content, uploaded_by) \
        VALUES ($1, $2, $3, $4, $5)";
    on_tx!(tx, c => sqlx::query(SQL)
        .bind(&row.order_id)
        .bind(row.line_no)
        .bind(media_type)
        .bind(content)
        .bind(uploaded_by)
        .execute(c)
        .await
        .map(|_| ())?);
    Ok(())
}

/// A line's supporting document: its media type and bytes.
pub async fn find_document(
    db: &Db,
    access: &Access,
    order_id: &str,
    line_no: i64,
) -> anyhow::Result<Option<(String, Vec<u8>)>> {
    const SQL: &str = "SELECT d.media_type, d.content FROM line_documents d \
        JOIN orders o ON o.id = d.order_id \
        WHERE d.order_id = $1 AND d.line_no = $2 AND o.structure_id = $3";
    Ok(on_pool!(db, p => sqlx::query_as(SQL)
        .bind(order_id)
        .bind(line_no)
        .bind(access.structure_id())
        .fetch_optional(p)
        .await?))
}

/// Closes a line whose operation was applied at submission (holder change, end of exercise,
/// incident): `traitee`, or `rejetee` with the reason.
pub async fn close_applied_line(
    tx: &mut Tx,
    order_id: &str,
    line_no: i64,
    refused: Option<&str>,
    at: i64,
) -> Result<(), sqlx::Error> {
    const SQL: &str = "UPDATE order_lines SET status = $1, reason = $2, accepted_at = $3, \
        rejected_at = $4 WHERE order_id = $5 AND line_no = $6";
    let (status, accepted, rejected) = match refused {
        None => (LineStatus::Traitee, Some(at), None),
        Some(_) => (LineStatus::Rejetee, None, Some(at)),
    };
    on_tx!(tx, c => sqlx::query(SQL)
        .bind(status.code())
        .bind(refused)
        .bind(accepted)
        .bind(rejected)
        .bind(order_id)
        .bind(line_no)
        .execute(c)
        .await
        .map(|_| ())?);
    Ok(())
}
