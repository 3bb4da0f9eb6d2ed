//! The `vinn` command line: parses arguments, calls the library, and turns
//! its results into text on stdout/stderr and exit codes
//! (0 success, 1 the site has errors, 2 usage or environment errors).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use vinn::build::{self, Options, Report};
use vinn::content::Kind;
use vinn::diagnostics::{Diagnostics, Error, Severity};

/// A faster allocator for the many small allocations of a build.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tells the allocator to keep the memory it frees rather than return it
/// to the OS 10 ms later: `serve` rebuilds again and again, and memory
/// returned is memory the next rebuild touches for the first time, which
/// costs more than the work on it on a VM (README, item 123).
fn keep_freed_memory() {
    // SAFETY: sets one of mimalloc's options, which it reads each time it
    // would purge; any value is valid.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// `path` (under `root`) as seen from `here` (a folder under `root`, given
/// relative to it): up out of what they do not share, then down.
fn relative_to(path: &Path, root: &Path, here: &Path) -> PathBuf {
    let path = path.strip_prefix(root).unwrap_or(path);
    let shared = here
        .components()
        .zip(path.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = PathBuf::new();
    for _ in here.components().skip(shared) {
        out.push("..");
    }
    out.extend(path.components().skip(shared));
    out
}

/// `mi_option_purge_delay` of mimalloc v2's `mimalloc.h` (its enum, between
/// `eager_commit_delay`, 14, and `use_numa_nodes`, 16, which the sys crate
/// names); milliseconds, -1 for never.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

#[derive(Parser)]
#[command(
    name = "vinn",
    version,
    about = "Static sites for sales training: articles, checklists and anonymized case studies",
    long_about = "vinn turns a folder of Markdown (site.toml + content/) into a fast, searchable training site.\n\nStart with `vinn init mysite`, write with `vinn new article \"Title\"`, preview with `vinn serve`, publish with `vinn build`."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Article,
    Checklist,
    Case,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new site with a sample article, checklist and case study
    Init {
        /// Folder to create the site in (default: the current folder)
        dir: Option<PathBuf>,
    },
    /// Create a new page from an archetype and print its path
    New {
        /// What to create
        kind: KindArg,
        /// The page title (also gives the file name)
        title: String,
        /// Folder below content/, from there; "" or . for content/ itself (default: the folder for the kind, e.g. artikler or checklists)
        #[arg(long)]
        section: Option<String>,
        /// The site folder holding site.toml (default: the nearest one from the current folder up)
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Build the site into the output folder (public/ by default)
    Build {
        /// The site folder holding site.toml (default: the nearest one from the current folder up)
        #[arg(long)]
        root: Option<PathBuf>,
        /// Where to write the site (default: output_dir from site.toml)
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Override base_url, e.g. https://intra.example/opplaering/
        #[arg(long)]
        base_url: Option<String>,
        /// Fail on warnings too, as on errors (for CI); the output stays as it was
        #[arg(long)]
        strict: bool,
    },
    /// Run every check of build (templates included) and write nothing
    Check {
        /// The site folder holding site.toml (default: the nearest one from the current folder up)
        #[arg(long)]
        root: Option<PathBuf>,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Fail on warnings too, as on errors (for CI)
        #[arg(long)]
        strict: bool,
        /// Also list the findings that were allowed (reviewed in site.toml)
        #[arg(long, short)]
        verbose: bool,
    },
    /// Serve the site from memory with live reload while you edit
    Serve {
        /// The site folder holding site.toml (default: the nearest one from the current folder up)
        #[arg(long)]
        root: Option<PathBuf>,
        /// Address to bind (default 127.0.0.1; another address exposes the site on the network)
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port (0 picks a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Poll for changes instead of file-system events
        #[arg(long)]
        poll: bool,
        /// The address participants open, e.g. http://10.0.0.5:1111/ (default: this machine's address on the network, with --bind 0.0.0.0); its pages offer QR codes of it
        #[arg(long, value_name = "URL")]
        network_url: Option<String>,
        /// Open the site in the default browser ($BROWSER, else the system's)
        #[arg(long)]
        open: bool,
    },
    /// Print win/loss figures over the case studies
    Insight {
        /// The site folder holding site.toml (default: the nearest one from the current folder up)
        #[arg(long)]
        root: Option<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

/// Opens `url` in the reader's browser: `$BROWSER` (its first command,
/// as the convention lists several with `:`), else the system's opener.
/// The browser is not waited for.
fn open_in_browser(url: &str) -> std::io::Result<()> {
    use std::process::{Command, Stdio};
    let from_env = std::env::var("BROWSER").ok().and_then(|b| {
        b.split(':')
            .map(str::trim)
            .find(|c| !c.is_empty())
            .map(str::to_string)
    });
    let mut cmd = match from_env {
        Some(browser) => Command::new(browser),
        None if cfg!(target_os = "macos") => Command::new("open"),
        None if cfg!(windows) => {
            let mut c = Command::new("cmd");
            c.args(["/C", "start", ""]);
            c
        }
        None => Command::new("xdg-open"),
    };
    let mut child = cmd
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Reaped when it ends, so it leaves no zombie behind.
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// Prints diagnostics; notes (reviewed findings) only when `verbose`.
fn print_diagnostics(d: &Diagnostics, verbose: bool) {
    for x in d.iter().filter(|x| verbose || x.severity != Severity::Note) {
        eprintln!("{x}");
    }
}

/// In a GitHub Actions job (`GITHUB_ACTIONS=true`), each diagnostic also
/// as a workflow command on stdout (`::error file=…,line=…,col=…::…`),
/// which GitHub shows on the line of the pull request's diff; the file is
/// named from the repository's root (`GITHUB_WORKSPACE`), wherever in it
/// the site is.
fn annotate(d: &Diagnostics, root: &Path, verbose: bool) {
    if std::env::var_os("GITHUB_ACTIONS").is_none_or(|v| v != "true") {
        return;
    }
    let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let workspace = std::env::var_os("GITHUB_WORKSPACE").map(PathBuf::from);
    let escape = |s: &str, property: bool| {
        let s = s
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        if property {
            s.replace(':', "%3A").replace(',', "%2C")
        } else {
            s
        }
    };
    for x in d.iter().filter(|x| verbose || x.severity != Severity::Note) {
        let level = match x.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let full = root.join(&x.path);
        let file = workspace
            .as_deref()
            .and_then(|w| full.strip_prefix(w).ok())
            .map_or(x.path.clone(), |p| p.to_string_lossy().replace('\\', "/"));
        println!(
            "::{level} file={},line={},col={}::{}",
            escape(&file, true),
            x.line.max(1),
            x.col.max(1),
            escape(&x.message, false)
        );
    }
}

fn fail(e: Error) -> ExitCode {
    fail_verbose(e, false)
}

fn fail_verbose(e: Error, verbose: bool) -> ExitCode {
    match e {
        Error::Site(d) => {
            print_diagnostics(&d, verbose);
            eprintln!("{}", d.summary());
            ExitCode::from(1)
        }
        other => {
            eprintln!("error: {other}");
            ExitCode::from(2)
        }
    }
}

fn print_timings(r: &Report) {
    if std::env::var_os("VINN_TIMINGS").is_some() {
        let t = &r.timings;
        eprintln!(
            "stages: load={:.1}ms markdown={:.1}ms checks={:.1}ms render={:.1}ms search={:.1}ms write={:.1}ms",
            t.load, t.markdown, t.checks, t.render, t.search, t.write
        );
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Init { dir } => {
            let dir = dir.unwrap_or_else(|| PathBuf::from("."));
            match vinn::scaffold::init(&dir) {
                Ok(files) => {
                    for f in files {
                        println!("created {}", f.display());
                    }
                    let here = std::env::current_dir().ok();
                    let at_once = std::path::absolute(&dir).ok() == here;
                    if at_once {
                        println!("Next: vinn serve");
                    } else {
                        println!("Next: cd {} && vinn serve", dir.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::New {
            kind,
            title,
            section,
            root,
        } => {
            let kind = match kind {
                KindArg::Article => Kind::Article,
                KindArg::Checklist => Kind::Checklist,
                KindArg::Case => Kind::Case,
            };
            let given = root.is_some();
            let root = build::root_or_cwd(root.as_deref());
            // Relative to the site root, or, when the root was found above
            // the current folder, to where the author stands, so `$EDITOR
            // "$(vinn new …)"` opens it from anywhere; a file in the way is
            // named the same way.
            let cwd = std::env::current_dir().ok().filter(|_| !given);
            let shown = |p: &Path| match cwd.as_deref().and_then(|c| c.strip_prefix(&root).ok()) {
                Some(here) => relative_to(p, &root, here),
                None => p.strip_prefix(&root).unwrap_or(p).to_path_buf(),
            };
            match vinn::scaffold::new_page(&root, kind, &title, section.as_deref()) {
                Ok(p) => {
                    println!("{}", shown(&p).display());
                    if kind == Kind::Case {
                        // On stderr: stdout is the path alone.
                        eprintln!(
                            "A draft until you take out `draft: true`: `vinn serve --drafts` shows it, and says what is left to fill in."
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(Error::Exists { path }) => fail(Error::Exists { path: shown(&path) }),
                Err(e) => fail(e),
            }
        }
        Command::Build {
            root,
            output,
            drafts,
            base_url,
            strict,
        } => {
            let opts = Options {
                root: build::root_or_cwd(root.as_deref()),
                output,
                drafts,
                base_url,
                strict,
            };
            match build::build(&opts) {
                Ok(r) => {
                    print_diagnostics(&r.warnings, false);
                    annotate(&r.warnings, &opts.root, false);
                    print_timings(&r);
                    let out = r
                        .output
                        .as_ref()
                        .map(|o| o.display().to_string())
                        .unwrap_or_default();
                    // Said when there are any: they scroll by above.
                    let warnings = match r.warnings.warning_count() {
                        0 => String::new(),
                        _ => format!(" ({})", r.warnings.warnings_text()),
                    };
                    println!(
                        "Built {} pages in {} sections into {out}: {} files ({} changed, {} unchanged, {} removed) in {:.0} ms{warnings}",
                        r.pages,
                        r.sections,
                        r.write.files,
                        r.write.changed,
                        r.write.unchanged,
                        r.write.removed,
                        r.millis
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    if let Error::Site(d) = &e {
                        annotate(d, &opts.root, false);
                    }
                    fail(e)
                }
            }
        }
        Command::Check {
            root,
            drafts,
            strict,
            verbose,
        } => {
            let opts = Options {
                root: build::root_or_cwd(root.as_deref()),
                drafts,
                strict,
                ..Default::default()
            };
            match build::check(&opts) {
                Ok(r) => {
                    print_diagnostics(&r.warnings, verbose);
                    annotate(&r.warnings, &opts.root, verbose);
                    print_timings(&r);
                    let warnings = match r.warnings.warning_count() {
                        0 => String::new(),
                        _ => format!(", {}", r.warnings.warnings_text()),
                    };
                    println!(
                        "No errors{warnings}: {} pages in {} sections checked in {:.0} ms",
                        r.pages, r.sections, r.millis
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    if let Error::Site(d) = &e {
                        annotate(d, &opts.root, verbose);
                    }
                    fail_verbose(e, verbose)
                }
            }
        }
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            poll,
            network_url,
            open,
        } => {
            let opts = vinn::serve::Options {
                root: build::root_or_cwd(root.as_deref()),
                bind,
                port,
                drafts,
                poll,
                network_url,
            };
            keep_freed_memory();
            let server = match vinn::serve::Server::bind(opts) {
                Ok(s) => s,
                Err(e) => return fail(e),
            };
            {
                use std::io::{IsTerminal, Write};
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "Serving at {}", server.url());
                if let Some(url) = server.network_url() {
                    if url != server.url() {
                        let _ = writeln!(out, "On the network at {url}");
                    }
                    // For a workshop's phones; not into a log.
                    if std::io::stdout().is_terminal()
                        && let Some(code) = vinn::qr::terminal(&url)
                    {
                        let _ = write!(out, "{code}");
                        let _ = writeln!(
                            out,
                            "Scan to open the site; each page opened here has a QR button for its own address."
                        );
                    }
                }
                let _ = out.flush();
            }
            if open && let Err(e) = open_in_browser(&server.url()) {
                eprintln!(
                    "warning: cannot open a browser ({e}): open {} yourself",
                    server.url()
                );
            }
            match server.run() {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
        Command::Insight { root, format } => {
            let root = build::root_or_cwd(root.as_deref());
            let format = match format {
                Format::Table => vinn::insight::Format::Table,
                Format::Json => vinn::insight::Format::Json,
                Format::Csv => vinn::insight::Format::Csv,
            };
            match vinn::insight::report(&root, format) {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        use libmimalloc_sys::{
            mi_option_eager_commit_delay, mi_option_get, mi_option_use_numa_nodes,
        };
        assert_eq!(mi_option_eager_commit_delay + 1, MI_OPTION_PURGE_DELAY);
        assert_eq!(MI_OPTION_PURGE_DELAY + 1, mi_option_use_numa_nodes);
        // SAFETY: reads and sets an option of the allocator.
        unsafe {
            assert_eq!(
                mi_option_get(MI_OPTION_PURGE_DELAY),
                10,
                "mimalloc's default"
            );
            keep_freed_memory();
            assert_eq!(mi_option_get(MI_OPTION_PURGE_DELAY), -1);
        }
    }
}
