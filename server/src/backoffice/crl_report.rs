//! « Listes de révocation »: the CRLs this server applies, how fresh each is under the
//! configured policy, and the files or CRLs it refused (also in the log).

use shared::api::{CrlReport, CrlState};

use crate::state::AppState;

/// Less than this before `nextUpdate`: « bientôt périmée ».
const SOON: i64 = 24 * 3600;

pub fn crl_report(state: &AppState) -> CrlReport {
    let now = state.clock.now();
    let snapshot = state.crls.snapshot();
    let grace = snapshot.grace();
    let crls = snapshot
        .applied()
        .into_iter()
        .map(|(issuer, number, next_update, revoked)| {
            let state = match next_update {
                Some(next) if grace.is_some_and(|g| now > next + g) => "cartes_refusees",
                Some(next) if now > next => "perimee",
                Some(next) if next - now < SOON => "bientot_perimee",
                _ => "a_jour",
            };
            CrlState {
                issuer,
                number,
                next_update,
                revoked,
                state: state.into(),
            }
        })
        .collect();
    CrlReport {
        crls,
        problems: state.crls.problems(),
        grace_hours: grace.map(|g| g / 3600),
    }
}
