//! Pages kept between rebuilds: a page file whose length and modification
//! time are what they were when it was read, under the same configuration
//! and read the same way (key, bundle, section, default kind), is not read
//! and parsed again.
//!
//! A file modified within `RACY` of being read is not kept: on a file
//! system with coarse timestamps a second write in the same tick would keep
//! the time, so only files whose time has settled are trusted.

use std::collections::HashMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::memo::Fingerprint;
use crate::config::Config;
use crate::content::{Kind, Page, PageCache, PageRead};
use crate::diagnostics::Diagnostic;

/// Files modified this recently are read every time.
const RACY: Duration = Duration::from_secs(3);

struct Entry {
    len: u64,
    modified: SystemTime,
    key: String,
    bundle: bool,
    section: String,
    kind: Kind,
    /// Shared, so it is copied out after the lock is let go.
    read: Arc<(Page, Vec<Diagnostic>)>,
    /// The load that last used it.
    used: u64,
}

#[derive(Default)]
struct State {
    config: u64,
    load: u64,
    entries: HashMap<PathBuf, Entry>,
}

/// The [`PageCache`] of `serve`.
#[derive(Default)]
pub struct LoadCache {
    state: Mutex<State>,
    hits: std::sync::atomic::AtomicUsize,
    misses: std::sync::atomic::AtomicUsize,
}

impl LoadCache {
    /// Page files read afresh and page files kept in the last load (drafts
    /// included: they are read to learn that they are drafts).
    pub fn take_counts(&self) -> (usize, usize) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.misses.swap(0, Relaxed), self.hits.swap(0, Relaxed))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn stamp(abs: &Path) -> Option<(u64, SystemTime)> {
    let m = std::fs::metadata(abs).ok()?;
    Some((m.len(), m.modified().ok()?))
}

impl PageCache for LoadCache {
    fn start(&self, config: &Config) {
        let mut f = Fingerprint::default();
        f.str(&format!("{config:?}"));
        let config = f.finish();
        let mut s = self.lock();
        if s.config != config {
            s.entries.clear();
            s.config = config;
        }
        // Files not seen in the last load are gone.
        let last = s.load;
        s.entries.retain(|_, e| e.used >= last);
        s.load += 1;
        self.hits.store(0, std::sync::atomic::Ordering::Relaxed);
        self.misses.store(0, std::sync::atomic::Ordering::Relaxed);
    }

    fn page(
        &self,
        abs: &Path,
        key: &str,
        bundle: bool,
        section: &str,
        kind: Kind,
        read: &dyn Fn() -> PageRead,
    ) -> PageRead {
        let before = stamp(abs);
        if let Some((len, modified)) = before {
            let kept = {
                let mut s = self.lock();
                let load = s.load;
                s.entries
                    .get_mut(abs)
                    .filter(|e| {
                        e.len == len
                            && e.modified == modified
                            && e.key == key
                            && e.bundle == bundle
                            && e.section == section
                            && e.kind == kind
                    })
                    .map(|e| {
                        e.used = load;
                        e.read.clone()
                    })
            };
            if let Some(read) = kept {
                self.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return Ok((read.0.clone(), read.1.clone()));
            }
        }
        self.misses
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let got = read()?;
        let settled = |t: SystemTime| {
            SystemTime::now()
                .duration_since(t)
                .is_ok_and(|age| age >= RACY)
        };
        // Kept only if the file did not change while it was read.
        if let Some((len, modified)) = before
            && settled(modified)
            && stamp(abs) == before
        {
            let read = Arc::new(got.clone());
            let mut s = self.lock();
            let used = s.load;
            s.entries.insert(
                abs.to_path_buf(),
                Entry {
                    len,
                    modified,
                    key: key.to_string(),
                    bundle,
                    section: section.to_string(),
                    kind,
                    read,
                    used,
                },
            );
        } else {
            self.lock().entries.remove(abs);
        }
        Ok(got)
    }
}
