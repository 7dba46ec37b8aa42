//! « File d'attente »: one page of the order lines waiting for the operators, searched by holder,
//! structure or order number, oldest first, with where the next page starts and how many in all.

use shared::api::Queue;
use shared::errors::ErrorCode;
use shared::message::Message;

use crate::auth::access::{OperatorAccess, OrderId};
use crate::error::{ApiError, ApiResult};
use crate::orders::store::{self, QueueCursor, QueueFilter};
use crate::orders::target_seconds;
use crate::state::AppState;

/// The `apres` parameter: the last line of the page before, as `submitted_at.line_no.order_id`.
/// Opaque to clients, which only send back the `suivant` they were given.
pub fn parse_cursor(text: &str) -> Result<QueueCursor, ApiError> {
    let unreadable = || {
        ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("unreadable_cursor").arg("apres", text),
        )
    };
    let mut parts = text.splitn(3, '.');
    let submitted_at = parts.next().and_then(|p| p.parse().ok());
    let line_no = parts.next().and_then(|p| p.parse().ok());
    let order_id = parts.next().and_then(OrderId::parse);
    match (submitted_at, line_no, order_id) {
        (Some(submitted_at), Some(line_no), Some(order_id)) => Ok(QueueCursor {
            submitted_at,
            order_id: order_id.as_str().to_string(),
            line_no,
        }),
        _ => Err(unreadable()),
    }
}

fn cursor_text(c: &QueueCursor) -> String {
    format!("{}.{}.{}", c.submitted_at, c.line_no, c.order_id)
}

/// The page of the queue after `after` (the first page when none), at most `limit` lines.
pub async fn page(
    state: &AppState,
    operator: &OperatorAccess,
    filter: &QueueFilter,
    after: Option<&QueueCursor>,
    limit: u32,
) -> ApiResult<Queue> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut rows = store::queue(&state.db, operator, filter, after, limit as i64 + 1).await?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let suivant = more.then(|| rows.last()).flatten().map(|last| {
        cursor_text(&QueueCursor {
            submitted_at: last.submitted_at,
            order_id: last.order_id.clone(),
            line_no: last.line_no,
        })
    });
    let total = store::count_queue(&state.db, operator, filter).await?;
    let now = state.clock.now();
    let target = target_seconds(state);
    Ok(Queue {
        lines: rows.iter().map(|l| l.to_api(now, target)).collect(),
        suivant,
        total,
        target_delivery_seconds: target,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_what_it_wrote() {
        let c = QueueCursor {
            submitted_at: 1_764_000_000,
            order_id: "CABCDEFGHJK".into(),
            line_no: 12,
        };
        assert_eq!(parse_cursor(&cursor_text(&c)).unwrap(), c);
        for bad in ["", "12", "x.1.CABCDEFGHJK", "1.2.C0000000000", "1.2"] {
            assert!(parse_cursor(bad).is_err(), "{bad}");
        }
    }
}
