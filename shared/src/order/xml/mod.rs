//! XML side of the order file: the validating streaming reader and the writer.

mod fast;
pub mod read;
mod schema;
pub mod write;
