//! `vinn serve`: the site built into memory and served over HTTP, rebuilt
//! incrementally when a file changes, with open pages reloading by
//! themselves and build errors shown over them.
//!
//! Threads: a pool of HTTP workers ([`http`]); one that nudges tiny_http's
//! own pool while requests come in ([`http::nudge_while_busy`]); one thread
//! per open event stream ([`reload`]); the watcher's own threads
//! ([`watch`]); and the calling thread, which rebuilds ([`incremental`])
//! and publishes each good result by swapping one `Arc`, so a request sees
//! the old site or the new one, never a mix; the bookkeeping a rebuild
//! leaves for the next one waits until after the reload event. Nothing is
//! written to disk.
//!
//! The search index is built after the pages are published and the reload
//! event is sent, on its own thread (`index_forever`); until it lands the
//! index of an earlier rebuild is served, and a newer rebuild's index
//! replaces a pending older one. [`STATUS`] tells whether it has landed.
//! That thread keeps each document's words from one index to the next
//! ([`crate::search::TokenCache`]), so only edited pages are tokenized again.

pub mod files;
pub mod http;
pub mod incremental;
pub mod mdcache;
pub mod memo;
pub mod pagecache;
pub mod reload;
pub mod share;
pub mod watch;

use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::build;
use crate::config::Config;
use crate::diagnostics::{Error, Result};
use incremental::{Files, Incremental, Outcome, Report};
use reload::Hub;

/// HTTP worker threads.
const WORKERS: usize = 8;
/// A batch with more paths than this (a checkout, a copy) waits until the
/// file system is quiet for [`SETTLE`] before the rebuild.
const BURST: usize = 20;
const SETTLE: Duration = Duration::from_millis(60);

/// What `vinn serve` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub drafts: bool,
    pub poll: bool,
    /// The address participants open (`--network-url`), when this
    /// machine's own address on the network is not the one they reach.
    pub network_url: Option<String>,
}

/// How far the search index is: `generation G`, `search-submitted N`,
/// `search-landed M` (one a line; the index is current when N = M).
pub const STATUS: &str = "/__vinn/status";

/// One good build, as served.
pub struct Snapshot {
    /// The rebuilt files, without the search index.
    pub pages: Arc<Files>,
    /// The search index last built (possibly for an earlier rebuild).
    pub search: Arc<Files>,
    pub generation: u64,
    /// Where the site is mounted: the path of `base_url` (`/`, `/kurs/`).
    pub base_path: String,
}

impl Snapshot {
    /// The file served at `path` (a page shadows an index file of the same
    /// name). The two maps are not merged: a swap after an edit stays cheap.
    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.pages.get(path).or_else(|| self.search.get(path))
    }

    /// Every served path, sorted.
    pub fn paths(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .pages
            .keys()
            .chain(self.search.keys().filter(|k| !self.pages.contains_key(k)))
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        keys
    }
}

#[derive(Default)]
struct SiteState {
    snapshot: Option<Arc<Snapshot>>,
    /// The first build has finished (well or not).
    started: bool,
    /// Search index jobs handed out / the latest one served.
    search_submitted: u64,
    search_landed: u64,
}

/// What the HTTP workers share with the rebuild loop.
pub struct Shared {
    site: Mutex<SiteState>,
    ready: Condvar,
    pub hub: Hub,
    /// Where participants open the site (an origin, [`share::origin`]).
    pub share: Option<String>,
}

impl Shared {
    fn new(hub: Hub, share: Option<String>) -> Self {
        Shared {
            site: Mutex::new(SiteState::default()),
            ready: Condvar::new(),
            hub,
            share,
        }
    }

    /// The served site; waits for the first build to finish. `None` when
    /// no build has succeeded yet.
    pub fn wait_for_site(&self) -> Option<Arc<Snapshot>> {
        let mut s = self.site.lock().unwrap_or_else(|e| e.into_inner());
        while !s.started {
            s = self.ready.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        s.snapshot.clone()
    }

    /// Swaps in new pages (`None`: the rebuild failed) with the search
    /// index served now, or with `search`, the index of job `seq`. Returns
    /// the snapshot it replaced, for the caller to free once the reload
    /// event is out (the last reference to 10 000 files takes a while).
    #[must_use]
    fn publish(
        &self,
        pages: Option<(Arc<Files>, u64, String)>,
        search: Option<(u64, Arc<Files>)>,
    ) -> Option<Arc<Snapshot>> {
        let mut s = self.site.lock().unwrap_or_else(|e| e.into_inner());
        let mut replaced = None;
        if let Some((pages, generation, base_path)) = pages {
            let search = match search {
                Some((seq, files)) => {
                    s.search_submitted = s.search_submitted.max(seq);
                    s.search_landed = seq;
                    files
                }
                None => s
                    .snapshot
                    .as_ref()
                    .map(|o| o.search.clone())
                    .unwrap_or_default(),
            };
            replaced = s.snapshot.replace(Arc::new(Snapshot {
                pages,
                search,
                generation,
                base_path,
            }));
        }
        s.started = true;
        drop(s);
        self.ready.notify_all();
        replaced
    }

    /// Notes that the index of job `seq` is being built.
    fn submitted(&self, seq: u64) {
        let mut s = self.site.lock().unwrap_or_else(|e| e.into_inner());
        s.search_submitted = s.search_submitted.max(seq);
    }

    /// Serves the index of job `seq` beside the current pages, unless a
    /// newer one is served already.
    fn land_index(&self, seq: u64, search: Arc<Files>) {
        let mut s = self.site.lock().unwrap_or_else(|e| e.into_inner());
        if seq <= s.search_landed {
            return;
        }
        s.search_landed = seq;
        if let Some(cur) = s.snapshot.take() {
            s.snapshot = Some(Arc::new(Snapshot {
                pages: cur.pages.clone(),
                search,
                generation: cur.generation,
                base_path: cur.base_path.clone(),
            }));
        }
    }

    /// The body of [`STATUS`].
    pub fn status(&self) -> String {
        let s = self.site.lock().unwrap_or_else(|e| e.into_inner());
        format!(
            "generation {}\nsearch-submitted {}\nsearch-landed {}\n",
            s.snapshot.as_ref().map_or(0, |o| o.generation),
            s.search_submitted,
            s.search_landed
        )
    }
}

/// Builds each search index handed over, newest first: jobs that a newer
/// one overtook while waiting are dropped.
/// The documents' words are kept from one index to the next, so only the
/// documents an edit made new are tokenized again.
fn index_forever(
    shared: Arc<Shared>,
    jobs: Receiver<(u64, build::SearchJob)>,
    mut cache: crate::search::TokenCache,
) {
    yield_to_rebuilds();
    while let Ok(mut job) = jobs.recv() {
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        let (seq, job) = job;
        let files = index_files(&job, &mut cache);
        shared.land_index(seq, Arc::new(files));
    }
}

fn index_files(job: &build::SearchJob, cache: &mut crate::search::TokenCache) -> Files {
    job.run_cached(cache)
        .into_iter()
        .map(|(k, v)| (k, Arc::from(v)))
        .collect()
}

/// A bound server, not yet serving.
pub struct Server {
    http: Arc<tiny_http::Server>,
    addr: SocketAddr,
    opts: Options,
    /// Where others on the network open the site, as an origin
    /// ([`share::origin`]): found once, at bind ([`network_origin`]).
    network: Option<String>,
}

/// This machine's origin as the network reaches it, listening on `addr`:
/// `addr` itself when it is a network address; when it is every address
/// (`--bind 0.0.0.0`, as in a workshop), the address its route out leaves
/// from (asked of the system by aiming a UDP socket at a documentation
/// address; no packet is sent). `None` on loopback, or with no route out.
fn network_origin(addr: SocketAddr) -> Option<String> {
    let ip = addr.ip();
    if ip.is_loopback() {
        return None;
    }
    if !ip.is_unspecified() {
        return Some(format!("http://{addr}"));
    }
    let (local, out) = match addr {
        SocketAddr::V4(_) => ("0.0.0.0:0", "192.0.2.1:9"),
        SocketAddr::V6(_) => ("[::]:0", "[2001:db8::1]:9"),
    };
    let probe = std::net::UdpSocket::bind(local).ok()?;
    probe.connect(out).ok()?;
    let ip = probe.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified())
        .then(|| format!("http://{}", SocketAddr::new(ip, addr.port())))
}

fn resolve_bind(bind: &str, port: u16) -> Result<SocketAddr> {
    if let Ok(ip) = bind.trim_matches(['[', ']']).parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    (bind, port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| {
            Error::env(format!(
                "cannot bind to `{bind}`: not an IP address or a known host name"
            ))
        })
}

/// Asks for `TCP_NODELAY` on every accepted connection (Linux copies it
/// from the listening socket). tiny_http writes the head and the body of a
/// response separately; with Nagle's algorithm the body of a keep-alive
/// response would wait for the client's delayed ACK, 40 ms a request.
#[cfg(unix)]
fn no_delay(listener: &TcpListener) {
    use std::os::fd::{AsRawFd, FromRawFd};
    // SAFETY: the descriptor belongs to `listener` and stays open; the
    // stream view is never dropped, so it never closes it.
    let view = std::mem::ManuallyDrop::new(unsafe {
        std::net::TcpStream::from_raw_fd(listener.as_raw_fd())
    });
    let _ = view.set_nodelay(true);
}

#[cfg(not(unix))]
fn no_delay(_: &TcpListener) {}

/// Gives the calling thread the lowest CPU priority (nice 19). The search
/// index is built whole after every edit (about 250 ms of one core at
/// 10 000 pages); at that priority it takes only what the rebuilds leave,
/// so a save right after another is not slowed by the index of the first.
#[cfg(target_os = "linux")]
pub(crate) fn yield_to_rebuilds() {
    // SAFETY: plain system calls on the calling thread, no memory passed.
    // On Linux each thread has its own nice value, set by its thread id.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 19);
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn yield_to_rebuilds() {}

impl Server {
    /// Checks the site folder and binds the port. A busy port or a missing
    /// `site.toml` is an environment error (exit 2).
    pub fn bind(mut opts: Options) -> Result<Server> {
        // The watcher reports absolute paths (notify makes a relative
        // watch absolute), and every path the rebuild compares with them
        // is made from the root: a relative `--root` would match none.
        opts.root = std::path::absolute(&opts.root).map_err(|e| {
            Error::env(format!(
                "cannot find the site folder {}: {e}",
                opts.root.display()
            ))
        })?;
        match Config::load(&opts.root) {
            Ok(_) | Err(Error::Site(_)) => {}
            Err(e) => return Err(e),
        }
        let named = match &opts.network_url {
            Some(url) => {
                Some(share::origin(url).map_err(|e| Error::env(format!("--network-url: {e}")))?)
            }
            None => None,
        };
        let addr = resolve_bind(&opts.bind, opts.port)?;
        let listener = TcpListener::bind(addr).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                Error::env(format!(
                    "cannot serve on {addr}: the port is already in use; pick another with --port N (--port 0 picks a free one)"
                ))
            } else {
                Error::env(format!("cannot serve on {addr}: {e}"))
            }
        })?;
        no_delay(&listener);
        let addr = listener
            .local_addr()
            .map_err(|e| Error::env(format!("cannot serve on {addr}: {e}")))?;
        if !addr.ip().is_loopback() {
            eprintln!(
                "warning: listening on {}, not on loopback: anyone on the network who can reach this machine can read the site",
                addr.ip()
            );
        }
        let http = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| Error::env(format!("cannot serve on {addr}: {e}")))?;
        Ok(Server {
            http: Arc::new(http),
            addr,
            opts,
            network: named.or_else(|| network_origin(addr)),
        })
    }

    /// `http://HOST:PORT/`: on this machine, loopback where it listens on
    /// every address (a browser may refuse `0.0.0.0`).
    pub fn url(&self) -> String {
        let mut addr = self.addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(match addr {
                SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        format!("http://{addr}/")
    }

    /// Where others on the network open the site (`http://HOST:PORT/`):
    /// the address `--network-url` names, else this machine's on the
    /// network (the one it listens on, or with `--bind 0.0.0.0` the one
    /// its route out leaves from); `None` on loopback or with no route out.
    pub fn network_url(&self) -> Option<String> {
        self.network.as_ref().map(|origin| format!("{origin}/"))
    }

    /// Serves until the process is stopped.
    pub fn run(self) -> Result<()> {
        let start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        let share = self.network.clone();
        let tag = reload::script_tag_sharing(share.as_deref());
        let shared = Arc::new(Shared::new(
            Hub::starting_at(start.saturating_mul(1000)),
            share,
        ));
        let activity = Arc::new(http::Activity::default());
        for i in 0..WORKERS {
            let http = self.http.clone();
            let shared = shared.clone();
            let activity = activity.clone();
            std::thread::Builder::new()
                .name(format!("vinn-http-{i}"))
                .spawn(move || {
                    while let Ok(req) = http.recv() {
                        activity.seen();
                        http::handle(req, &shared);
                    }
                })
                .map_err(|e| Error::env(format!("cannot start a thread: {e}")))?;
        }
        let addr = self.addr;
        std::thread::Builder::new()
            .name("vinn-nudge".into())
            .spawn(move || http::nudge_while_busy(addr, activity))
            .map_err(|e| Error::env(format!("cannot start a thread: {e}")))?;
        let root = self.opts.root.clone();
        let output_dir = Config::load(&root)
            .map(|c| c.output_dir)
            .unwrap_or_else(|_| "public".into());
        let (tx, rx) = std::sync::mpsc::channel();
        let mut watcher = watch::Watcher::start(&root, &output_dir, self.opts.poll, tx)?;
        let build_opts = build::Options {
            root: root.clone(),
            drafts: self.opts.drafts,
            ..Default::default()
        };
        let mut inc = Incremental::new(build_opts, tag);
        let mut term = Terminal::default();
        let mut report = inc.rebuild();
        // The first index is built before anything is served.
        let mut seq = 1;
        let mut cache = crate::search::TokenCache::default();
        let first = inc.search_job().map(|job| {
            let t = Instant::now();
            let files = index_files(&job, &mut cache);
            report.timings.search = t.elapsed().as_secs_f64() * 1000.0;
            (seq, Arc::new(files))
        });
        publish(&shared, &report, first);
        term.report("initial build", &report);
        let (jobs, queue) = std::sync::mpsc::channel();
        {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("vinn-search".into())
                .spawn(move || index_forever(shared, queue, cache))
                .map_err(|e| Error::env(format!("cannot start a thread: {e}")))?;
        }
        while let Some(batch) = next_batch(&rx) {
            for e in &batch.errors {
                eprintln!("warning: watching files: {e}");
            }
            let paths: BTreeSet<PathBuf> = batch
                .paths
                .iter()
                .filter(|p| watcher.relevant(p) && inc.reads(p))
                .cloned()
                .collect();
            if paths.is_empty() && !batch.rescan {
                continue;
            }
            watcher.rewatch(&batch.paths);
            let report = inc.rebuild_paths(&paths, batch.rescan);
            publish(&shared, &report, None);
            if let Some(job) = inc.search_job() {
                seq += 1;
                shared.submitted(seq);
                let _ = jobs.send((seq, job));
            }
            // After the reload event: bookkeeping for the next rebuild.
            inc.settle();
            // An editor's temporary file is not worth naming.
            let named: BTreeSet<PathBuf> = paths.difference(&batch.passing).cloned().collect();
            let named = if named.is_empty() { &paths } else { &named };
            term.report(&describe(&root, named, batch.rescan), &report);
        }
        shared.hub.close();
        Ok(())
    }
}

/// Waits for the next batch of changes and merges whatever follows it
/// closely; a burst is merged until the file system is quiet.
fn next_batch(rx: &Receiver<watch::Batch>) -> Option<watch::Batch> {
    let mut batch = rx.recv().ok()?;
    let merge = |into: &mut watch::Batch, b: watch::Batch| {
        into.paths.extend(b.paths);
        into.rescan |= b.rescan;
        into.errors.extend(b.errors);
    };
    while let Ok(b) = rx.try_recv() {
        merge(&mut batch, b);
    }
    let deadline = Instant::now() + Duration::from_secs(3);
    while batch.paths.len() > BURST && Instant::now() < deadline {
        match rx.recv_timeout(SETTLE) {
            Ok(b) => merge(&mut batch, b),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    Some(batch)
}

/// Swaps in a good build and tells the open pages; `search` is an index
/// to serve with it.
fn publish(shared: &Shared, report: &Report, search: Option<(u64, Arc<Files>)>) {
    match &report.outcome {
        Outcome::Updated {
            files,
            changed,
            removed,
        } => {
            if changed.is_empty() && removed.is_empty() && shared.has_site() {
                if let Some((seq, files)) = search {
                    shared.land_index(seq, files);
                }
                shared.hub.clean();
                return;
            }
            let css_only = removed.is_empty()
                && !changed.is_empty()
                && changed.iter().all(|p| p.ends_with(".css"));
            let generation = shared.hub.generation() + 1;
            let replaced = shared.publish(
                Some((files.clone(), generation, report.base_path.clone())),
                search,
            );
            shared.hub.published(css_only);
            drop(replaced);
        }
        Outcome::Failed(errors) => {
            shared.hub.failed(errors.clone());
            let _unchanged = shared.publish(None, search);
        }
    }
}

impl Shared {
    fn has_site(&self) -> bool {
        self.site
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .snapshot
            .is_some()
    }
}

/// "content/a.md changed", "3 files changed", …
fn describe(root: &Path, paths: &BTreeSet<PathBuf>, rescan: bool) -> String {
    if rescan {
        return "many files changed (events were lost)".into();
    }
    let rel: Vec<String> = paths
        .iter()
        .map(|p| crate::diagnostics::display_path(p.strip_prefix(root).unwrap_or(p)))
        .collect();
    match rel.len() {
        0 => "nothing changed".into(),
        1..=3 => format!("{} changed", rel.join(", ")),
        n => format!("{}, {} and {} more changed", rel[0], rel[1], n - 2),
    }
}

/// The terminal: one line per rebuild, diagnostics when a build breaks.
#[derive(Default)]
struct Terminal {
    warned: HashSet<String>,
}

impl Terminal {
    fn report(&mut self, what: &str, r: &Report) {
        let mut err = std::io::stderr().lock();
        for w in &r.warnings {
            let line = w.to_string();
            if self.warned.insert(line.clone()) {
                let _ = writeln!(err, "{line}");
            }
        }
        let (md_fresh, md_reused) = r.markdown;
        let (fresh, reused) = r.rendered;
        let line = match &r.outcome {
            Outcome::Updated {
                changed, removed, ..
            } => {
                let files = match (changed.len(), removed.len()) {
                    (0, 0) => "no output changed".to_string(),
                    (c, 0) => format!("{c} files changed"),
                    (c, d) => format!("{c} files changed, {d} removed"),
                };
                format!(
                    "{what}: re-rendered {fresh} of {} outputs and {md_fresh} of {} Markdown bodies, parsed {} of {} pages; {files}; {:.0} ms",
                    fresh + reused,
                    md_fresh + md_reused,
                    r.parsed.0,
                    r.parsed.0 + r.parsed.1,
                    r.millis
                )
            }
            Outcome::Failed(errors) => {
                for e in errors {
                    let _ = writeln!(err, "{e}");
                }
                let n = errors.len();
                // Before the first good build there is none to serve.
                let serving = if what == "initial build" {
                    "nothing to serve until they are fixed"
                } else {
                    "still serving the last good version"
                };
                format!(
                    "{what}: {n} error{} — {serving}; {:.0} ms",
                    if n == 1 { "" } else { "s" },
                    r.millis
                )
            }
        };
        drop(err);
        let line = if std::env::var_os("VINN_TIMINGS").is_some() {
            let t = &r.timings;
            format!(
                "{line} (load {:.0}, markdown {:.0}, checks {:.0}, render {:.0}, search {:.0})",
                t.load, t.markdown, t.checks, t.render, t.search
            )
        } else {
            line
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The nice value of the calling thread (field 19 of its stat line).
    fn nice() -> i64 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("read stat");
        // The command name (field 2) may hold spaces: fields 3… follow
        // its closing parenthesis.
        let rest = &stat[stat.rfind(')').expect("a command name") + 2..];
        let field = rest.split(' ').nth(19 - 3).expect("a nice field");
        field.parse().expect("a number")
    }

    #[test]
    fn the_index_thread_yields_to_rebuilds_and_no_other_thread_does() {
        let before = nice();
        let lowered = std::thread::spawn(|| {
            super::yield_to_rebuilds();
            nice()
        })
        .join()
        .expect("the thread ran");
        assert_eq!(lowered, 19);
        assert_eq!(nice(), before, "the other threads keep their priority");
    }
}
