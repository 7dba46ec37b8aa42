//! Fleets made up for the demo and the benchmarks: realistic cards of every type and state
//! (holders from the order generator, valid by the order rules), without certificates.

use shared::fleet::{CardState, HolderRecord};
use shared::order::generate::{generate_order, SplitMix64};
use shared::order::model::{CardType, Operation, Role};

use super::store::SeedCard;

const DAY: i64 = 86_400;
/// Every card is valid three years (domain.md §2, project choice).
const VALIDITY: i64 = 3 * 365 * DAY;

/// `n` cards of structure `structure_id` (FINESS `finess`), issued by `issuer`, the same for the
/// same seed: CPE, CPA, CPS (a few doctors' CPS, whose identity comes from the RPPS) and CDE;
/// issued over the last four years (so some have expired and some expire soon), a few opposed,
/// ended or replaced.
pub fn fleet(
    structure_id: &str,
    finess: &str,
    issuer: &str,
    n: usize,
    seed: u64,
    now: i64,
) -> Vec<SeedCard> {
    let mut rng = SplitMix64::new(seed ^ 0x7011_F1EE7);
    let mut out = Vec::with_capacity(n);
    let mut round = 0u64;
    while out.len() < n {
        let order = generate_order(n.max(16), seed.wrapping_add(round));
        round += 1;
        for op in order.operations {
            if out.len() == n {
                break;
            }
            let Operation::CardRequest(mut request) = op else {
                continue;
            };
            // Matricules unique in the structure: the card's rank.
            request.holder.matricule = format!("M{:06}", out.len() + 1);
            let mut card_type = request.card_type.code().to_string();
            let draw = rng.below(100);
            if draw < 3 && request.card_type == CardType::Cpe {
                card_type = "CDE".into();
            } else if draw < 5 {
                request.card_type = CardType::Cps;
                request.activity.role = Role::Profession("10".into());
                request.activity.rpps = None;
                card_type = "CPS".into();
            }
            let record = HolderRecord::from_request(&request);
            let national_id = format!("3{finess}/{}", record.holder.matricule);
            let issued_at = now - (rng.below(4 * 365) as i64 + 1) * DAY - rng.below(86_400) as i64;
            let not_after = issued_at + VALIDITY;
            let (state, reason) = match rng.below(100) {
                0..=4 => (CardState::Opposee, Some("keyCompromise")),
                5..=9 => (CardState::FinExercice, Some("cessationOfOperation")),
                10..=12 => (CardState::Remplacee, Some("superseded")),
                _ => (CardState::Active, None),
            };
            let revoked_at = reason.map(|_| issued_at + (now - issued_at) / 2);
            let mut serial = [0u8; 16];
            for chunk in serial.chunks_mut(8) {
                chunk.copy_from_slice(&rng.next_u64().to_be_bytes()[..chunk.len()]);
            }
            serial[0] = (serial[0] & 0x7f) | 0x10;
            out.push(SeedCard {
                issuer: issuer.to_string(),
                serial: hex::encode(serial),
                structure_id: structure_id.to_string(),
                national_id,
                card_type,
                record,
                state,
                issued_at,
                not_after,
                revoked_at,
                revocation_reason: reason,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demo_fleet_has_every_type_and_state() {
        let now = 1_800_000_000;
        let cards = fleet("1940000011", "940000011", "CN=X", 320, 1, now);
        assert_eq!(cards.len(), 320);
        for t in ["CPE", "CPA", "CPS", "CDE"] {
            assert!(cards.iter().any(|c| c.card_type == t), "{t}");
        }
        let state_at = |c: &SeedCard| CardState::at(c.state.code(), Some(c.not_after), now);
        for s in CardState::ALL {
            assert!(cards.iter().any(|c| state_at(c) == s), "{s:?}");
        }
        let soon = cards
            .iter()
            .filter(|c| state_at(c) == CardState::Active && c.not_after < now + 90 * DAY)
            .count();
        assert!(soon >= 5, "{soon} cartes expirent dans les 90 jours");
        assert!(cards.iter().any(|c| c.record.identity_locked()));
        let mut serials: Vec<_> = cards.iter().map(|c| &c.serial).collect();
        serials.sort();
        serials.dedup();
        assert_eq!(serials.len(), 320);
        assert_eq!(
            fleet("1940000011", "940000011", "CN=X", 10, 7, now)[3].serial,
            fleet("1940000011", "940000011", "CN=X", 10, 7, now)[3].serial
        );
    }
}
