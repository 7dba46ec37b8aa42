//! XML side of the order file: the validator (a fast path and a full reader under one
//! conductor, sharing the schema tables and the rules' bindings) and the writer.

mod bind;
mod chain;
mod encoding;
mod fast;
mod keys;
mod read;
mod schema;
pub mod validator;
pub mod write;

use crate::date::Date;

/// What both readers take from the [`Validator`](validator::Validator): the day the date rules
/// are anchored to, the bounds, and whether to build the model.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    pub today: Date,
    /// Findings before the report stops (full reader).
    pub errors: usize,
    pub depth: usize,
    pub elements: usize,
    pub text_bytes: usize,
    /// Holder keys kept in memory before runs go to temporary files (fast path, command line).
    pub keys_in_memory: usize,
    /// Build the [`Order`](crate::order::Order) (full reader; the fast path only validates).
    pub build_model: bool,
    /// The encoding the file was found in, its text transcoded to UTF-8 for the readers: the
    /// fast path accepts a declaration naming it, as the full reader does.
    pub encoding: encoding::Encoding,
}

/// Length of a UTF-8 byte order mark at the start of `bytes` (0 or 3).
pub(crate) fn bom_len(bytes: &[u8]) -> usize {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    }
}
