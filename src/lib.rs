//! vinn: a static-site generator for sales training content.
//!
//! The modules follow the pipeline: [`config`] → [`content`] (files, front
//! matter, kinds) → [`markdown`] → [`site`] (the model, links, taxonomies,
//! [`related`]) → [`checks`] → [`render`] (Tera, [`theme`], [`i18n`]; a
//! course on one page with [`course`]) → [`output`]; [`search`] and
//! [`insight`] add their files; [`build`] runs it all; [`serve`] keeps the
//! model in memory, with the fingerprints of unchanged pages carried in
//! [`fingerprinted`]; [`scaffold`] makes new sites and pages; [`qr`] draws
//! the QR codes of `serve`'s workshop and of a course's handout.

pub mod build;
pub mod checks;
pub mod config;
pub mod content;
pub mod course;
pub mod diagnostics;
pub mod fingerprinted;
pub mod i18n;
pub mod insight;
pub mod markdown;
pub mod output;
pub mod qr;
pub mod related;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;

pub use diagnostics::{Diagnostic, Diagnostics, Error};
