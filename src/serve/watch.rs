//! Watching the site folder: file-system events (or polling with
//! `--poll`) from notify, merged here into batches of changed paths for the
//! rebuild loop.
//!
//! The root is watched flat (for `site.toml` and new folders) and each of
//! its folders recursively, except the output folder, `target/`,
//! `node_modules/` and hidden ones. Events are only a trigger: a rebuild
//! reads the files as they are on disk then, so a missed or merged event
//! cannot leave the served site behind — as long as every change is
//! reported. That is why the events are merged here and not by
//! notify-debouncer-full: it drops a path's events altogether when the path
//! is made and removed within its window, and a rebuild started by other
//! events may have read the path in between, which then stayed served (a
//! removed template kept rendering until the next change). Here no event
//! is dropped: a batch is every path with an event since the last one,
//! passed on once the folder has been quiet for `DEBOUNCE` (5 ms), or for
//! `SETTLED` (1 ms) once every file written in it has been closed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, MetadataKind, ModifyKind, RenameMode};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::diagnostics::{Error, Result};

/// How long the folder must be quiet before a batch is passed on. Editors
/// save within a millisecond or two (a write, or a write and a rename), so
/// 5 ms merges a save's events while keeping the wait, which is most of an
/// edit's time to reload, short. A save split wider still ends right: each
/// rebuild reads the files as they are then, and the last one wins. Bursts
/// of many files (a `git checkout`) are merged further by the serve loop.
const DEBOUNCE: Duration = Duration::from_millis(5);
/// The wait instead, once every file written in the batch has been closed
/// or renamed into place: the save is complete, and what may still follow
/// at once (an editor's rename after closing its temporary file) comes
/// within microseconds.
const SETTLED: Duration = Duration::from_millis(1);
/// A folder that never goes quiet (a program writing a file under
/// `content/` all the time) still gets a batch this often.
const MAX_WAIT: Duration = Duration::from_millis(250);
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
    /// Paths made and renamed away within the batch: an editor's temporary
    /// file saved over another. They stay in `paths` (a rebuild may have
    /// read them meanwhile) but are not worth naming.
    pub passing: BTreeSet<PathBuf>,
}

enum Inner {
    Native(RecommendedWatcher),
    Poll(PollWatcher),
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
        let (events, raw) = std::sync::mpsc::channel();
        let fail = |e: notify::Error| Error::env(format!("cannot watch {}: {e}", root.display()));
        let inner = if poll {
            // Polling compares modification times in whole seconds: compare
            // contents too, or a second edit within a second goes unseen.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Inner::Poll(PollWatcher::new(events, config).map_err(fail)?)
        } else {
            Inner::Native(notify::recommended_watcher(events).map_err(fail)?)
        };
        // Ends when the watcher is dropped (its sender with it) or serve
        // stops taking batches.
        std::thread::Builder::new()
            .name("vinn-watch".into())
            .spawn(move || {
                while let Some(batch) = next_batch(&raw, DEBOUNCE, SETTLED, MAX_WAIT) {
                    if tx.send(batch).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| Error::env(format!("cannot start a thread: {e}")))?;
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
            Inner::Native(w) => w.watch(path, mode),
            Inner::Poll(w) => w.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) {
        let _ = match &mut self.inner {
            Inner::Native(w) => w.unwatch(path),
            Inner::Poll(w) => w.unwatch(path),
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

/// Waits for the next change and gathers every change after it until none
/// came for `quiet` (or `max` has passed since the first): one batch with
/// every path named, none dropped. Once every file written in the batch has
/// been closed after writing or renamed into place, `settled` is wait
/// enough. Reads (a rebuild reading the files) are not changes and do not
/// hold a batch back. `None` once the watcher is gone.
fn next_batch(
    raw: &Receiver<notify::Result<notify::Event>>,
    quiet: Duration,
    settled: Duration,
    max: Duration,
) -> Option<Batch> {
    let mut batch = Batch::default();
    let mut made = BTreeSet::new();
    // Files written to and not yet closed or renamed into place; `None`
    // once an event left that unclear (an error, lost events, a kind of
    // change this does not follow).
    let mut open: Option<BTreeSet<PathBuf>> = Some(BTreeSet::new());
    // Whether `result` was a change (or an error), now in `batch`.
    let mut add = |result: notify::Result<notify::Event>,
                   batch: &mut Batch,
                   open: &mut Option<BTreeSet<PathBuf>>| match result {
        Ok(e) if matters(&e.kind) => {
            batch.rescan |= e.need_rescan();
            match e.kind {
                EventKind::Create(_) => made.extend(e.paths.iter().cloned()),
                EventKind::Modify(ModifyKind::Name(RenameMode::From | RenameMode::Both)) => {
                    if let Some(from) = e.paths.first().filter(|p| made.contains(*p)) {
                        batch.passing.insert(from.clone());
                    }
                }
                _ => {}
            }
            track_writes(open, &e);
            batch.paths.extend(e.paths);
            true
        }
        Ok(e) => {
            track_writes(open, &e);
            false
        }
        Err(e) => {
            *open = None;
            batch.errors.push(e.to_string());
            true
        }
    };
    while !add(raw.recv().ok()?, &mut batch, &mut open) {}
    let first = Instant::now();
    let mut last = first;
    loop {
        let quiet = if open.as_ref().is_some_and(BTreeSet::is_empty) {
            settled
        } else {
            quiet
        };
        let until = (last + quiet).min(first + max);
        let wait = until.saturating_duration_since(Instant::now());
        if wait.is_zero() {
            break;
        }
        match raw.recv_timeout(wait) {
            Ok(result) => {
                if add(result, &mut batch, &mut open) {
                    last = Instant::now();
                }
            }
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
        }
    }
    Some(batch)
}

/// Follows which files are being written: from a file made or written to
/// until it is closed after writing, renamed or removed. An event this does
/// not follow (lost events, a change of an unknown kind) makes it unclear
/// for the rest of the batch.
fn track_writes(open: &mut Option<BTreeSet<PathBuf>>, e: &notify::Event) {
    let Some(set) = open else {
        return;
    };
    match e.kind {
        _ if e.need_rescan() => *open = None,
        EventKind::Create(CreateKind::File) | EventKind::Modify(ModifyKind::Data(_)) => {
            set.extend(e.paths.iter().cloned())
        }
        // Nothing left to write there: closed after writing, renamed into
        // place or away, removed.
        EventKind::Access(AccessKind::Close(AccessMode::Write))
        | EventKind::Modify(ModifyKind::Name(
            RenameMode::To | RenameMode::From | RenameMode::Both,
        ))
        | EventKind::Remove(_) => e.paths.iter().for_each(|p| {
            set.remove(p);
        }),
        // Reads, folders made, metadata: no file content on its way.
        EventKind::Access(_)
        | EventKind::Create(CreateKind::Folder)
        | EventKind::Modify(ModifyKind::Metadata(_)) => {}
        _ => *open = None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, RemoveKind};

    fn event(kind: EventKind, paths: &[&str]) -> notify::Result<notify::Event> {
        let e = notify::Event::new(kind);
        Ok(paths.iter().fold(e, |e, p| e.add_path(PathBuf::from(p))))
    }

    /// The batch `events` make, when the watcher closes after them.
    fn batch_of(events: Vec<notify::Result<notify::Event>>) -> Batch {
        let (tx, rx) = std::sync::mpsc::channel();
        events.into_iter().for_each(|e| tx.send(e).unwrap());
        drop(tx);
        let wait = (Duration::from_millis(20), Duration::from_millis(20));
        let batch = next_batch(&rx, wait.0, wait.1, Duration::from_secs(5)).expect("a batch");
        assert!(
            next_batch(&rx, wait.0, wait.1, Duration::from_secs(5)).is_none(),
            "a closed watcher ends the batches"
        );
        batch
    }

    /// What is still being written after `events`, or `None` when unclear.
    fn writing(events: Vec<notify::Result<notify::Event>>) -> Option<Vec<String>> {
        let mut open = Some(BTreeSet::new());
        for e in events {
            track_writes(&mut open, &e.unwrap());
        }
        open.map(|o| o.iter().map(|p| p.display().to_string()).collect())
    }

    fn closed(path: &str) -> notify::Result<notify::Event> {
        event(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            &[path],
        )
    }

    fn written(path: &str) -> notify::Result<notify::Event> {
        event(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            &[path],
        )
    }

    #[test]
    fn a_save_is_complete_once_its_files_are_closed_or_renamed_into_place() {
        // Written in place (truncated, written, closed).
        assert_eq!(
            writing(vec![written("/s/a.md"), written("/s/a.md")]),
            Some(vec!["/s/a.md".to_string()])
        );
        assert_eq!(
            writing(vec![
                written("/s/a.md"),
                written("/s/a.md"),
                closed("/s/a.md")
            ]),
            Some(vec![])
        );
        // Through a temporary file renamed over the page (sed -i).
        let rename = |mode| EventKind::Modify(ModifyKind::Name(mode));
        let temp_save = vec![
            event(EventKind::Create(CreateKind::File), &["/s/sedX1"]),
            written("/s/sedX1"),
            closed("/s/sedX1"),
            event(rename(RenameMode::From), &["/s/sedX1"]),
            event(rename(RenameMode::To), &["/s/a.md"]),
            event(rename(RenameMode::Both), &["/s/sedX1", "/s/a.md"]),
        ];
        assert_eq!(writing(temp_save), Some(vec![]));
        // One file done, another still being written.
        assert_eq!(
            writing(vec![
                written("/s/a.md"),
                written("/s/b.md"),
                closed("/s/a.md")
            ]),
            Some(vec!["/s/b.md".to_string()])
        );
        // A kind of change not followed: the full quiet wait applies.
        assert_eq!(
            writing(vec![event(EventKind::Any, &["/s/a.md"]), closed("/s/a.md")]),
            None
        );
    }

    #[test]
    fn a_batch_whose_files_are_closed_is_passed_on_without_the_quiet_wait() {
        let (tx, rx) = std::sync::mpsc::channel();
        for e in [written("/s/a.md"), closed("/s/a.md")] {
            tx.send(e).unwrap();
        }
        let (done_tx, done) = std::sync::mpsc::channel();
        // The watcher stays open (`tx` lives): only the settled wait of
        // zero can end the batch, long before the hour of quiet.
        let reader = std::thread::spawn(move || {
            let hour = Duration::from_secs(3600);
            let _ = done_tx.send(next_batch(&rx, hour, Duration::ZERO, hour));
        });
        let batch = done
            .recv_timeout(Duration::from_secs(60))
            .expect("the batch is passed on without waiting for quiet")
            .expect("a batch");
        assert_eq!(batch.paths, BTreeSet::from([PathBuf::from("/s/a.md")]));
        reader.join().unwrap();
        drop(tx);
    }

    #[test]
    fn a_path_made_and_removed_within_the_window_is_still_reported() {
        let batch = batch_of(vec![
            event(EventKind::Create(CreateKind::Folder), &["/s/templates"]),
            event(
                EventKind::Create(CreateKind::File),
                &["/s/templates/404.html"],
            ),
            event(EventKind::Remove(RemoveKind::Folder), &["/s/templates"]),
        ]);
        assert_eq!(
            batch.paths,
            BTreeSet::from(["/s/templates", "/s/templates/404.html"].map(PathBuf::from))
        );
    }

    #[test]
    fn a_temporary_file_saved_over_a_page_is_reported_but_marked_passing() {
        let rename = |mode| EventKind::Modify(ModifyKind::Name(mode));
        let batch = batch_of(vec![
            event(EventKind::Create(CreateKind::File), &["/s/content/sedX1"]),
            event(
                rename(RenameMode::Both),
                &["/s/content/sedX1", "/s/content/a.md"],
            ),
            // A page renamed that was not made in this batch is no temporary.
            event(rename(RenameMode::From), &["/s/content/b.md"]),
        ]);
        assert_eq!(batch.paths.len(), 3);
        assert_eq!(
            batch.passing,
            BTreeSet::from([PathBuf::from("/s/content/sedX1")])
        );
    }

    #[test]
    fn reads_alone_make_no_batch() {
        let batch = batch_of(vec![
            event(EventKind::Access(AccessKind::Any), &["/s/content/a.md"]),
            event(EventKind::Create(CreateKind::File), &["/s/content/b.md"]),
        ]);
        assert_eq!(batch.paths.len(), 1, "the read is not a change: {batch:?}");
    }

    #[test]
    fn a_folder_that_never_goes_quiet_still_gets_batches() {
        let (tx, rx) = std::sync::mpsc::channel();
        let writer = std::thread::spawn(move || {
            // Writes every millisecond until the reader has its batch.
            while tx
                .send(event(
                    EventKind::Create(CreateKind::File),
                    &["/s/content/log.md"],
                ))
                .is_ok()
            {
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        let quiet = Duration::from_millis(50);
        let batch = next_batch(&rx, quiet, quiet, Duration::from_millis(100))
            .expect("a batch before the writer stops");
        assert_eq!(batch.paths.len(), 1);
        drop(rx);
        writer.join().unwrap();
    }
}
