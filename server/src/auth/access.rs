//! Authorization as a capability: an `Access` exists only once a decision was made, and the
//! queries that read a structure's data take one.

use shared::errors::ErrorCode;

use super::identity::Identity;
use crate::error::ApiError;

/// Permission to read and act on one structure's data.
#[derive(Debug, Clone)]
pub struct Access {
    structure_id: String,
}

impl Access {
    pub fn structure_id(&self) -> &str {
        &self.structure_id
    }
}

impl Identity {
    /// The holder has a current mandate (or legal representation) for the structure, or is an
    /// operator of the issuing service.
    pub fn require_mandate(&self, structure_id: &str) -> Result<Access, ApiError> {
        if self.is_operator || self.structures.iter().any(|s| s.id == structure_id) {
            Ok(Access {
                structure_id: structure_id.to_string(),
            })
        } else {
            Err(ErrorCode::ForbiddenStructure.into())
        }
    }
}
