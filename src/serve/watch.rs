//! Watching the site folder: file-system events (or polling with
//! `--poll`) through notify-debouncer-full, turned into batches of changed
//! paths for the rebuild loop.
//!
//! The root is watched flat (for `site.toml` and new folders) and each of
//! its folders recursively, except the output folder, `target/`,
//! `node_modules/` and hidden ones. Events are only a trigger: a rebuild
//! reads the files as they are on disk then, so a missed or merged event
//! cannot leave the served site behind.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::event::{MetadataKind, ModifyKind};
use notify_debouncer_full::notify::{
    self, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode,
};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt,
};

use crate::diagnostics::{Error, Result};

/// How long a path must be quiet before its event is passed on. Editors
/// save within a millisecond or two (a write, or a write and a rename), so
/// 5 ms merges a save's events while keeping the wait, which is most of an
/// edit's time to reload, short (the debouncer looks every 5/4 ms, so an
/// event waits 5–6 ms). A save split wider still ends right: each rebuild
/// reads the files as they are then, and the last one wins. Bursts of many
/// files (a `git checkout`) are merged further by the serve loop.
const DEBOUNCE: Duration = Duration::from_millis(5);
/// How often `--poll` looks at every file.
const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// Changed paths (absolute), as one debounced batch.
#[derive(Debug, Default)]
pub struct Batch {
    pub paths: BTreeSet<PathBuf>,
    /// Events were lost (queue overflow): everything may have changed.
    pub rescan: bool,
    /// Watcher errors, as text.
    pub errors: Vec<String>,
}

enum Inner {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

/// The running watcher; dropping it stops watching.
pub struct Watcher {
    inner: Inner,
    root: PathBuf,
    ignored: Vec<String>,
    watched: BTreeSet<PathBuf>,
}

/// Reading a file (as every rebuild does) is not a change.
fn matters(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

/// Top-level folder names never watched (besides hidden ones).
fn ignored_names(output_dir: &str) -> Vec<String> {
    let mut v = vec!["target".to_string(), "node_modules".to_string()];
    let out = output_dir.trim_matches('/');
    if !out.is_empty() && !out.contains('/') {
        v.push(out.to_string());
    }
    v
}

impl Watcher {
    /// Starts watching `root`; every batch goes to `tx`.
    pub fn start(root: &Path, output_dir: &str, poll: bool, tx: Sender<Batch>) -> Result<Watcher> {
        let handler = move |result: DebounceEventResult| {
            let mut batch = Batch::default();
            match result {
                Ok(events) => {
                    for e in events {
                        if !matters(&e.event.kind) {
                            continue;
                        }
                        batch.rescan |= e.need_rescan();
                        batch.paths.extend(e.event.paths.iter().cloned());
                    }
                }
                Err(errors) => batch.errors.extend(errors.iter().map(|e| e.to_string())),
            }
            if !batch.paths.is_empty() || batch.rescan || !batch.errors.is_empty() {
                let _ = tx.send(batch);
            }
        };
        let fail = |e: notify::Error| Error::env(format!("cannot watch {}: {e}", root.display()));
        let inner = if poll {
            // Polling compares modification times in whole seconds: compare
            // contents too, or a second edit within a second goes unseen.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Inner::Poll(new_debouncer_opt(DEBOUNCE, None, handler, NoCache, config).map_err(fail)?)
        } else {
            let config = notify::Config::default();
            Inner::Native(
                new_debouncer_opt(DEBOUNCE, None, handler, RecommendedCache::new(), config)
                    .map_err(fail)?,
            )
        };
        let mut w = Watcher {
            inner,
            root: root.to_path_buf(),
            ignored: ignored_names(output_dir),
            watched: BTreeSet::new(),
        };
        w.watch(root, RecursiveMode::NonRecursive).map_err(fail)?;
        w.refresh();
        Ok(w)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match &mut self.inner {
            Inner::Native(d) => d.watch(path, mode),
            Inner::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) {
        let _ = match &mut self.inner {
            Inner::Native(d) => d.unwatch(path),
            Inner::Poll(d) => d.unwatch(path),
        };
    }

    /// Watches folders that appeared in the root since the last call (and
    /// again those that were removed and made anew).
    pub fn refresh(&mut self) {
        let mut now = BTreeSet::new();
        if let Ok(entries) = std::fs::read_dir(&self.root) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if name.starts_with('.') || self.ignored.contains(&name) {
                    continue;
                }
                if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                    now.insert(e.path());
                }
            }
        }
        let gone: Vec<PathBuf> = self.watched.difference(&now).cloned().collect();
        for p in gone {
            self.unwatch(&p);
            self.watched.remove(&p);
        }
        for p in now {
            if !self.watched.contains(&p) && self.watch(&p, RecursiveMode::Recursive).is_ok() {
                self.watched.insert(p);
            }
        }
    }

    /// Whether a change at `path` can matter to the site.
    pub fn relevant(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return false;
        };
        let mut parts = rel.components();
        match parts.next() {
            None => false,
            Some(first) => {
                let name = first.as_os_str().to_string_lossy();
                !(name.starts_with('.') || self.ignored.iter().any(|i| *i == name))
            }
        }
    }

    /// After a folder in the root was made anew, its old watch is stale.
    pub fn rewatch(&mut self, paths: &BTreeSet<PathBuf>) {
        let stale: Vec<PathBuf> = paths
            .iter()
            .filter(|p| p.parent() == Some(self.root.as_path()) && self.watched.contains(*p))
            .cloned()
            .collect();
        for p in stale {
            self.unwatch(&p);
            self.watched.remove(&p);
        }
        self.refresh();
    }
}
