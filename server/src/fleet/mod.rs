//! The card fleet of a structure: the cards with their holders, found and filtered, counted per
//! month of expiry and per state, and what a mandataire does with them — change a holder's data
//! and addresses, declare an end of exercise or an incident (revoking the card in TOM's CRL at
//! once), renew cards; and download it (CSV, XLSX, XML).

pub mod apply_order;
pub mod browse;
pub mod change_holder;
pub mod cli;
pub mod declare_incident;
pub mod end_exercise;
pub mod export;
pub mod renew;
pub mod reorder;
pub mod revoke;
pub mod routes;
pub mod seed;
pub mod store;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::get_fleet))
        .routes(routes!(routes::get_export))
        .routes(routes!(routes::get_summary))
        .routes(routes!(routes::get_card))
        .routes(routes!(routes::post_holder))
        .routes(routes!(routes::post_end))
        .routes(routes!(routes::post_incident))
        .routes(routes!(routes::post_renewals))
}
