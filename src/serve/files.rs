//! The files `serve` holds in memory: output path → bytes, kept as a
//! shared base with the later rebuilds' changes over it.
//!
//! A rebuild after an edit changes a few dozen of some 13 000 files. Copying
//! the whole map to make the next site touched every entry (a path and a
//! reference count each, scattered in memory): ~1.5 ms per edit at 10 000
//! pages. A new site now shares the base and copies only the changes made
//! since; when those grow to an eighth of the base, they are folded into a
//! new base, so a lookup never looks in more than two maps.

use std::collections::HashMap;
use std::sync::Arc;

/// Output path (`artikler/a/index.html`) → bytes, as one rebuild made them
/// (shared with the render memo that made them).
pub type Map = HashMap<String, Arc<[u8]>, PathHash>;

/// The maps' hasher: the memo's, several times as fast as the standard
/// SipHash on paths, hashed a few times each per rebuild. The paths are
/// the site's own; a request's path is only looked up.
type PathHash = std::hash::BuildHasherDefault<super::memo::Fingerprint>;

/// The files of one site, as served.
#[derive(Clone, Default, Debug)]
pub struct Files {
    base: Arc<Map>,
    /// Paths changed (`Some`) or removed (`None`) since `base`.
    over: HashMap<String, Option<Arc<[u8]>>, PathHash>,
    len: usize,
}

impl From<Map> for Files {
    fn from(map: Map) -> Self {
        Files {
            len: map.len(),
            base: Arc::new(map),
            over: HashMap::default(),
        }
    }
}

impl FromIterator<(String, Arc<[u8]>)> for Files {
    fn from_iter<I: IntoIterator<Item = (String, Arc<[u8]>)>>(iter: I) -> Self {
        Files::from(iter.into_iter().collect::<Map>())
    }
}

impl Files {
    /// The bytes at `path`.
    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        match self.over.get(path) {
            Some(entry) => entry.as_ref(),
            None => self.base.get(path),
        }
    }

    pub fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// How many files there are.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every path with its bytes, in no order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Arc<[u8]>)> {
        let changed = self.over.iter().filter_map(|(k, e)| Some((k, e.as_ref()?)));
        let kept = self
            .base
            .iter()
            .filter(|(k, _)| !self.over.contains_key(*k));
        changed.chain(kept)
    }

    /// Every path, in no order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.iter().map(|(k, _)| k)
    }

    /// Puts `bytes` at `path`.
    pub fn insert(&mut self, path: String, bytes: Arc<[u8]>) {
        if !self.contains_key(&path) {
            self.len += 1;
        }
        self.over.insert(path, Some(bytes));
    }

    /// Takes the file at `path` away.
    pub fn remove(&mut self, path: &str) {
        if !self.contains_key(path) {
            return;
        }
        self.len -= 1;
        if self.base.contains_key(path) {
            self.over.insert(path.to_string(), None);
        } else {
            self.over.remove(path);
        }
    }

    /// Folds the changes into a new base once they are an eighth of it
    /// (the copy that the shared base saves the other rebuilds).
    pub fn settle(&mut self) {
        if self.over.len() * 8 < self.base.len().max(64) {
            return;
        }
        let mut map: Map = Map::with_capacity_and_hasher(self.len, PathHash::default());
        for (k, v) in self.base.iter() {
            if !self.over.contains_key(k) {
                map.insert(k.clone(), v.clone());
            }
        }
        for (k, v) in self.over.drain() {
            if let Some(v) = v {
                map.insert(k, v);
            }
        }
        self.base = Arc::new(map);
    }
}

impl std::ops::Index<&str> for Files {
    type Output = Arc<[u8]>;
    fn index(&self, path: &str) -> &Self::Output {
        self.get(path).expect("no file at that path")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(s: &str) -> Arc<[u8]> {
        Arc::from(s.as_bytes())
    }

    fn sorted(f: &Files) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = f
            .keys()
            .map(|k| (k.clone(), String::from_utf8_lossy(&f[k]).into_owned()))
            .collect();
        all.sort();
        all
    }

    #[test]
    fn changes_over_a_shared_base_read_like_one_map() {
        let base: Files = [("a", "A"), ("b", "B")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), bytes(v)))
            .collect();
        let mut next = base.clone();
        next.insert("b".into(), bytes("B2"));
        next.insert("c".into(), bytes("C"));
        next.remove("a");
        next.remove("nothing");
        assert_eq!(
            sorted(&next),
            [("b".into(), "B2".into()), ("c".into(), "C".into())]
        );
        assert_eq!(next.len(), 2);
        assert!(!next.contains_key("a") && next.get("a").is_none());
        // The earlier site is as it was.
        assert_eq!(
            sorted(&base),
            [("a".into(), "A".into()), ("b".into(), "B".into())]
        );
        // A path removed and put back, and one added and removed again.
        next.insert("a".into(), bytes("A2"));
        next.remove("c");
        assert_eq!(
            sorted(&next),
            [("a".into(), "A2".into()), ("b".into(), "B2".into())]
        );
        assert_eq!(next.len(), 2);
    }

    #[test]
    fn settling_folds_the_changes_in_and_keeps_every_file() {
        let mut f: Files = (0..100)
            .map(|i| (format!("p{i}"), bytes(&i.to_string())))
            .collect();
        for i in 0..20 {
            f.insert(format!("p{i}"), bytes("new"));
        }
        f.remove("p99");
        f.insert("q".into(), bytes("q"));
        let before = sorted(&f);
        f.settle();
        assert!(f.over.is_empty(), "21 changes over 100 files are folded in");
        assert_eq!(sorted(&f), before);
        assert_eq!(f.len(), 100);
        f.insert("p1".into(), bytes("again"));
        f.settle();
        assert_eq!(f.over.len(), 1, "one change is not worth a copy");
        assert_eq!(&f["p1"][..], b"again");
    }
}
