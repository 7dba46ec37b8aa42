//! Help for users: the frequently asked questions.

pub mod faq;
