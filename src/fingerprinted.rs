//! A value kept with a fingerprint of it, worked out once.
//!
//! `serve`'s memo fingerprints every page's front matter and rendered body
//! ([`crate::render::page_fingerprints`]). A rebuild that runs the whole
//! pipeline (a page added or removed) takes unchanged pages from its
//! caches: the same parsed front matter (shared) and the same rendered
//! body (moved from the model before). Kept in a [`Fingerprinted`], their
//! fingerprints come along instead of being worked out again.
//!
//! The value can be read through `Deref` only; [`Fingerprinted::edit`]
//! gives it mutably and forgets the fingerprint, so a fingerprint is never
//! that of an older value.

use std::ops::Deref;
use std::sync::OnceLock;

/// `T` with its fingerprint, once asked for.
#[derive(Debug, Default, Clone)]
pub struct Fingerprinted<T> {
    value: T,
    fingerprint: OnceLock<u64>,
}

impl<T> Fingerprinted<T> {
    pub fn new(value: T) -> Self {
        Fingerprinted {
            value,
            fingerprint: OnceLock::new(),
        }
    }

    /// The fingerprint, made by `make` the first time. For one `T`, every
    /// caller must pass the same function: each `T` kept this way has one,
    /// in [`crate::render::page_fingerprints`].
    pub fn fingerprint(&self, make: impl FnOnce(&T) -> u64) -> u64 {
        *self.fingerprint.get_or_init(|| make(&self.value))
    }

    /// The value, to change: the fingerprint is forgotten.
    pub fn edit(&mut self) -> &mut T {
        self.fingerprint = OnceLock::new();
        &mut self.value
    }

    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> Deref for Fingerprinted<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> From<T> for Fingerprinted<T> {
    fn from(value: T) -> Self {
        Fingerprinted::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_is_made_once_and_forgotten_on_edit() {
        let mut v = Fingerprinted::new(String::from("a"));
        let len = |s: &String| s.len() as u64;
        assert_eq!(v.fingerprint(len), 1);
        // Kept: a different function is not asked.
        assert_eq!(v.fingerprint(|_| 99), 1);
        assert_eq!(v.clone().fingerprint(|_| 99), 1, "a copy keeps it");
        v.edit().push('b');
        assert_eq!(v.fingerprint(len), 2);
        assert_eq!(v.into_inner(), "ab");
    }
}
