//! Output: writing a build into the output folder without ever losing the
//! previous one.
//!
//! Files go into a staging folder beside the output; only when the whole
//! build succeeded is it swapped into place. A file whose content did not
//! change is hard-linked from the previous output, so it keeps its inode and
//! modification time and `rsync` copies only what changed. A manifest of
//! content hashes marks the folder as vinn's: vinn refuses to replace a
//! non-empty folder without it.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostics::{Error, Result};
use crate::render::Sink;

/// The file that marks a folder as vinn's output, with a hash per file.
pub const MANIFEST: &str = ".vinn-manifest";

/// 64-bit FNV-1a: fast, stable, good enough to tell changed files apart
/// (sizes are compared too).
pub fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn read_manifest(dir: &Path) -> Option<BTreeMap<String, (u64, u64)>> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let mut map = BTreeMap::new();
    for line in text.lines().skip(1) {
        let mut parts = line.splitn(3, ' ');
        let (Some(h), Some(len), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if let (Ok(h), Ok(len)) = (u64::from_str_radix(h, 16), len.parse()) {
            map.insert(path.to_string(), (h, len));
        }
    }
    Some(map)
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
                return Err(Error::env(format!("{} exists and is not a folder", out.display())));
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
            return missing.iter().rev().fold(c, |acc: PathBuf, m: &std::ffi::OsString| acc.join(m));
        }
        match (cur.file_name().map(|f| f.to_os_string()), cur.parent()) {
            (Some(f), Some(parent)) => {
                missing.push(f);
                cur = if parent.as_os_str().is_empty() { PathBuf::from(".") } else { parent.to_path_buf() };
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
    written: Mutex<BTreeMap<String, (u64, u64)>>,
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
        let name = out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
        let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let dir = parent.join(format!(".{name}.vinn-staging"));
        if dir.exists() {
            // Left over from an interrupted build: it is ours by name.
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            previous: read_manifest(out).unwrap_or_default(),
            dir,
            written: Mutex::new(BTreeMap::new()),
            changed: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
        })
    }

    /// Drops the staging folder; the previous output stays as it was.
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// Swaps the staging folder into place and removes the old output.
    pub fn commit(self) -> Result<WriteStats> {
        let written = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut manifest = String::from("vinn output manifest: hash size path\n");
        for (p, (h, len)) in &written {
            manifest.push_str(&format!("{h:016x} {len} {p}\n"));
        }
        std::fs::write(self.dir.join(MANIFEST), manifest).map_err(|e| Error::io(self.dir.join(MANIFEST), e))?;
        let removed = self.previous.keys().filter(|k| !written.contains_key(*k)).count();
        let old = self.dir.with_file_name(format!(
            ".{}.vinn-old",
            self.out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default()
        ));
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        let had_previous = self.out.exists();
        if had_previous {
            std::fs::rename(&self.out, &old).map_err(|e| Error::io(&self.out, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            if had_previous {
                let _ = std::fs::rename(&old, &self.out);
            }
            return Err(Error::io(&self.out, e));
        }
        if had_previous {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(WriteStats {
            files: written.len(),
            changed: self.changed.into_inner(),
            unchanged: self.unchanged.into_inner(),
            removed,
        })
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        if path.is_empty() || path.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("unsafe output path `{path}`")));
        }
        let h = hash(&bytes);
        let len = bytes.len() as u64;
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let old = self.out.join(path);
        let same = self.previous.get(path) == Some(&(h, len))
            && std::fs::metadata(&old).is_ok_and(|m| m.len() == len)
            && std::fs::hard_link(&old, &target).is_ok();
        if same {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        } else {
            let mut f = std::fs::File::create(&target)?;
            f.write_all(&bytes)?;
            self.changed.fetch_add(1, Ordering::Relaxed);
        }
        self.written.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_string(), (h, len));
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
