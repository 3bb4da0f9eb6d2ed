//! Output: writing a build into the output folder without ever losing the
//! previous one.
//!
//! Rendered files go into a staging folder beside the output, and only when
//! the whole build succeeded are they moved in. A file whose content did not
//! change (same hash and size as in the manifest, same size on disk) is not
//! written at all, so it keeps its inode and modification time and `rsync`
//! copies only what changed; a build with nothing changed writes nothing.
//! The first build renames the whole staging folder into place; later builds
//! rename each changed file in (each replacement is atomic) and delete the
//! files the new build no longer has. A manifest of content hashes marks the
//! folder as vinn's (vinn refuses to replace a non-empty folder without it);
//! while files are being moved it says so, and a build after an interrupted
//! move trusts no hash and rewrites everything.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostics::{Error, Result};
use crate::render::Sink;

/// The file that marks a folder as vinn's output, with a hash per file.
pub const MANIFEST: &str = ".vinn-manifest";
const MANIFEST_HEADER: &str = "vinn output manifest: xxh3 size path\n";
const MANIFEST_MOVING: &str = "vinn output manifest: moving files in, trust no hash\n";

/// 64-bit xxh3: fast, stable, good enough to tell changed files apart
/// (sizes are compared too).
pub fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

fn read_manifest(dir: &Path) -> (Option<String>, BTreeMap<String, (u64, u64)>) {
    let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST)) else {
        return (None, BTreeMap::new());
    };
    let mut map = BTreeMap::new();
    // Only a complete manifest is trusted (not one left by an interrupted move).
    if text.starts_with(MANIFEST_HEADER) {
        for line in text.lines().skip(1) {
            let mut parts = line.splitn(3, ' ');
            let (Some(h), Some(len), Some(path)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if let (Ok(h), Ok(len)) = (u64::from_str_radix(h, 16), len.parse()) {
                map.insert(path.to_string(), (h, len));
            }
        }
    }
    (Some(text), map)
}

/// Writes `dir/name` through a temporary file and a rename.
fn write_atomic(dir: &Path, name: &str, text: &str) -> Result<()> {
    let tmp = dir.join(format!("{name}.tmp"));
    std::fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, dir.join(name)).map_err(|e| Error::io(dir.join(name), e))
}

/// Creates the folder `rel` under `out`, removing a file that stands where
/// one of its folders must go.
fn ensure_dir(out: &Path, rel: &Path) -> std::io::Result<()> {
    let dir = out.join(rel);
    if dir.is_dir() {
        return Ok(());
    }
    let mut cur = out.to_path_buf();
    for c in rel.components() {
        cur.push(c);
        if std::fs::symlink_metadata(&cur).is_ok_and(|m| !m.is_dir()) {
            std::fs::remove_file(&cur)?;
        }
    }
    std::fs::create_dir_all(&dir)
}

/// Removes the now empty folders above `rel`, up to `out`.
fn prune(out: &Path, rel: &Path) {
    let mut cur = rel.parent();
    while let Some(p) = cur.filter(|p| !p.as_os_str().is_empty()) {
        if std::fs::remove_dir(out.join(p)).is_err() {
            break;
        }
        cur = p.parent();
    }
}

/// Checks that `out` may be replaced by a build: absent, empty, or a
/// previous vinn output; and not the site itself or a folder holding it.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<()> {
    let canon_root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let canon_out = absolute(out);
    if canon_root.starts_with(&canon_out) {
        return Err(Error::env(format!(
            "refusing to write the site into {}: it contains the site itself; pick another --output",
            out.display()
        )));
    }
    if canon_out.starts_with(canon_root.join("content")) {
        return Err(Error::env(format!(
            "refusing to write into {}: it is inside content/",
            out.display()
        )));
    }
    match std::fs::read_dir(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(out, e)),
        Ok(mut entries) => {
            if !out.is_dir() {
                return Err(Error::env(format!(
                    "{} exists and is not a folder",
                    out.display()
                )));
            }
            if entries.next().is_none() || out.join(MANIFEST).is_file() {
                Ok(())
            } else {
                Err(Error::env(format!(
                    "refusing to replace {}: it is not empty and was not made by vinn (no {MANIFEST}); empty it or pick another --output",
                    out.display()
                )))
            }
        }
    }
}

fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    // Not there yet: canonicalize the nearest existing ancestor.
    let mut missing = Vec::new();
    let mut cur = p.to_path_buf();
    loop {
        if let Ok(c) = cur.canonicalize() {
            return missing
                .iter()
                .rev()
                .fold(c, |acc: PathBuf, m: &std::ffi::OsString| acc.join(m));
        }
        match (cur.file_name().map(|f| f.to_os_string()), cur.parent()) {
            (Some(f), Some(parent)) => {
                missing.push(f);
                cur = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return p.to_path_buf(),
        }
    }
}

/// Writes files into a staging folder; [`Staging::commit`] swaps it in.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    previous: BTreeMap<String, (u64, u64)>,
    /// The previous manifest as read, to leave it alone when nothing changed.
    previous_text: Option<String>,
    written: Mutex<BTreeMap<String, (u64, u64)>>,
    /// Paths written into the staging folder (changed or new).
    staged: Mutex<BTreeSet<String>>,
    changed: AtomicUsize,
    unchanged: AtomicUsize,
}

/// What a committed build wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub files: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub removed: usize,
}

impl Staging {
    pub fn new(out: &Path) -> Result<Staging> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let dir = parent.join(format!(".{name}.vinn-staging"));
        if dir.exists() {
            // Left over from an interrupted build: it is ours by name.
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let (previous_text, previous) = read_manifest(out);
        Ok(Staging {
            out: out.to_path_buf(),
            previous,
            previous_text,
            dir,
            written: Mutex::new(BTreeMap::new()),
            staged: Mutex::new(BTreeSet::new()),
            changed: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
        })
    }

    /// Drops the staging folder; the previous output stays as it was.
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// Moves the build into place: the whole staging folder for a first
    /// build, else each changed file, then deletes the files this build no
    /// longer has. With nothing changed, nothing is written.
    pub fn commit(self) -> Result<WriteStats> {
        let written = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        let staged = self.staged.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut manifest = String::with_capacity(MANIFEST_HEADER.len() + written.len() * 80);
        manifest.push_str(MANIFEST_HEADER);
        for (p, (h, len)) in &written {
            use std::fmt::Write as _;
            let _ = writeln!(manifest, "{h:016x} {len} {p}");
        }
        let removed: Vec<&String> = self
            .previous
            .keys()
            .filter(|k| !written.contains_key(*k))
            .collect();
        let stats = WriteStats {
            files: written.len(),
            changed: self.changed.into_inner(),
            unchanged: self.unchanged.into_inner(),
            removed: removed.len(),
        };
        // Left over by vinn versions that swapped whole folders.
        let old = self.dir.with_file_name(format!(
            ".{}.vinn-old",
            self.out
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        ));
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        if !self.out.exists() {
            write_atomic(&self.dir, MANIFEST, &manifest)?;
            std::fs::rename(&self.dir, &self.out).map_err(|e| Error::io(&self.out, e))?;
            return Ok(stats);
        }
        let same_manifest = self.previous_text.as_deref() == Some(manifest.as_str());
        if !(staged.is_empty() && removed.is_empty() && same_manifest) {
            write_atomic(&self.out, MANIFEST, MANIFEST_MOVING)?;
            for p in &staged {
                let rel = Path::new(p);
                let to = self.out.join(rel);
                if let Some(parent) = rel.parent() {
                    ensure_dir(&self.out, parent)
                        .map_err(|e| Error::io(self.out.join(parent), e))?;
                }
                if std::fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
                    std::fs::remove_dir_all(&to).map_err(|e| Error::io(&to, e))?;
                }
                std::fs::rename(self.dir.join(rel), &to).map_err(|e| Error::io(&to, e))?;
            }
            for p in &removed {
                let rel = Path::new(p.as_str());
                match std::fs::remove_file(self.out.join(rel)) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(Error::io(self.out.join(rel), e));
                    }
                    _ => prune(&self.out, rel),
                }
            }
            write_atomic(&self.out, MANIFEST, &manifest)?;
        }
        std::fs::remove_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        Ok(stats)
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        if path.is_empty()
            || path
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == "..")
        {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("unsafe output path `{path}`"),
            ));
        }
        let h = hash(&bytes);
        let len = bytes.len() as u64;
        let same = self.previous.get(path) == Some(&(h, len))
            && std::fs::metadata(self.out.join(path)).is_ok_and(|m| m.is_file() && m.len() == len);
        let mut staged = self.staged.lock().unwrap_or_else(|e| e.into_inner());
        if same {
            // A second put of the same path that matches the output again.
            if staged.remove(path) {
                let _ = std::fs::remove_file(self.dir.join(path));
            }
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        } else {
            staged.insert(path.to_string());
            drop(staged);
            let target = self.dir.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let mut f = std::fs::File::create(&target)?;
            f.write_all(&bytes)?;
            self.changed.fetch_add(1, Ordering::Relaxed);
        }
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), (h, len));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_files_keep_their_inode() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::new(&out).unwrap();
        s.put("a/index.html", b"A".to_vec()).unwrap();
        s.put("b.txt", b"B".to_vec()).unwrap();
        assert_eq!(s.commit().unwrap().changed, 2);
        let ino = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
        let before = ino(&out.join("a/index.html"));
        let s = Staging::new(&out).unwrap();
        s.put("a/index.html", b"A".to_vec()).unwrap();
        s.put("b.txt", b"B2".to_vec()).unwrap();
        let stats = s.commit().unwrap();
        assert_eq!((stats.changed, stats.unchanged), (1, 1));
        assert_eq!(ino(&out.join("a/index.html")), before);
        assert_eq!(std::fs::read(out.join("b.txt")).unwrap(), b"B2");
    }

    #[test]
    fn removed_files_go_and_a_quiet_rebuild_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let ino = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
        let s = Staging::new(&out).unwrap();
        s.put("a/index.html", b"A".to_vec()).unwrap();
        s.put("b/c/index.html", b"B".to_vec()).unwrap();
        s.commit().unwrap();
        let s = Staging::new(&out).unwrap();
        s.put("a/index.html", b"A".to_vec()).unwrap();
        let stats = s.commit().unwrap();
        assert_eq!((stats.changed, stats.unchanged, stats.removed), (0, 1, 1));
        assert!(!out.join("b").exists(), "emptied folders are pruned");
        let manifest = ino(&out.join(MANIFEST));
        let s = Staging::new(&out).unwrap();
        s.put("a/index.html", b"A".to_vec()).unwrap();
        assert_eq!(s.commit().unwrap().changed, 0);
        assert_eq!(
            ino(&out.join(MANIFEST)),
            manifest,
            "nothing changed: the manifest is not rewritten"
        );
        assert!(!tmp.path().join(".public.vinn-staging").exists());
    }

    #[test]
    fn an_interrupted_move_trusts_no_hash() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::new(&out).unwrap();
        s.put("a/index.html", b"A".to_vec()).unwrap();
        s.commit().unwrap();
        std::fs::write(out.join(MANIFEST), MANIFEST_MOVING).unwrap();
        std::fs::write(out.join("a/index.html"), b"X").unwrap();
        let s = Staging::new(&out).unwrap();
        s.put("a/index.html", b"A".to_vec()).unwrap();
        assert_eq!(s.commit().unwrap().changed, 1);
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"A");
    }

    #[test]
    fn refuses_foreign_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let out = tmp.path().join("mine");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("thesis.docx"), "x").unwrap();
        assert!(check_output_dir(&root, &out).is_err());
        assert!(check_output_dir(&root, tmp.path()).is_err());
        assert!(check_output_dir(&root, &tmp.path().join("new")).is_ok());
    }
}
