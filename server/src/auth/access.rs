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

    /// The holder acts for the structure (orders, uploads): a current mandate or legal
    /// representation is needed; operators read every structure but do not act for one.
    pub fn require_own_mandate(&self, structure_id: &str) -> Result<Access, ApiError> {
        if self.structures.iter().any(|s| s.id == structure_id) {
            Ok(Access {
                structure_id: structure_id.to_string(),
            })
        } else {
            Err(ErrorCode::ForbiddenStructure.into())
        }
    }

    /// An operator of the issuing service.
    pub fn require_operator(&self) -> Result<(), ApiError> {
        if self.is_operator {
            Ok(())
        } else {
            Err(ErrorCode::OperatorOnly.into())
        }
    }
}
