//! XML side of the order file: the validating streaming reader and the writer.

pub mod fast;
mod keys;
pub mod read;
mod schema;
pub mod write;
