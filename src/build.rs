//! Build orchestration: config → content → markdown and site model →
//! checks → render → output, each stage timed. `build` writes through a
//! staging folder; `check` runs the same stages and writes nothing; `serve`
//! calls [`load_cached`] and [`render_pages_with`] with its caches, into memory.

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Error, Result};
use crate::insight::{Change, Figures};
use crate::output::{Staging, WriteStats, check_output_dir};
use crate::render::{Discard, Memo, Prepared, Renderer, Sink};
use crate::site::Site;
use crate::theme::Theme;

/// What a build is asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
    /// Warnings fail the build or check as errors do (`--strict`, for CI):
    /// a placeholder left in, a topic not among the site's topics.
    pub strict: bool,
}

/// Milliseconds spent per stage.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub load: f64,
    pub markdown: f64,
    pub checks: f64,
    pub render: f64,
    pub search: f64,
    pub write: f64,
}

/// What a successful build or check did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub pages: usize,
    pub sections: usize,
    pub write: WriteStats,
    pub millis: f64,
    pub timings: Timings,
    /// Warnings and notes (never errors: those fail the build).
    pub warnings: Diagnostics,
    pub output: Option<PathBuf>,
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// A loaded and checked site, ready to render.
pub struct Loaded {
    pub site: Site,
    pub diagnostics: Diagnostics,
    pub timings: Timings,
}

/// Reads the configuration and content and builds the model, running every
/// check. Problems in content come back in `diagnostics`; only environment
/// problems (no site.toml) are `Err`.
pub fn load(opts: &Options) -> Result<Loaded> {
    load_with(opts, &crate::site::PlainMarkdown)
}

/// [`load`] with page and section bodies rendered through `md` (`serve`
/// reuses the Markdown of unchanged files).
pub fn load_with(opts: &Options, md: &dyn crate::site::RenderMarkdown) -> Result<Loaded> {
    load_cached(opts, md, None)
}

/// [`load_with`], with pages of unchanged files taken from `cache`.
pub fn load_cached(
    opts: &Options,
    md: &dyn crate::site::RenderMarkdown,
    cache: Option<&dyn crate::content::PageCache>,
) -> Result<Loaded> {
    let mut timings = Timings::default();
    let t = Instant::now();
    if let Some(b) = &opts.base_url
        && let Err(needs) = crate::config::check_base_url(b)
    {
        return Err(Error::usage(format!("--base-url `{b}` {needs}")));
    }
    let mut config = Config::load(&opts.root)?;
    if let Some(b) = &opts.base_url {
        config.base_url = if b.ends_with('/') {
            b.clone()
        } else {
            format!("{b}/")
        };
    }
    let mut diagnostics = Diagnostics::new();
    if config.robots.allow_indexing && !config.base_url.contains("://") {
        let (line, col) = config.place(&["robots", "allow_indexing"]);
        diagnostics.push(Diagnostic::warning(
            crate::config::CONFIG_FILE,
            line,
            col,
            format!(
                "`[robots] allow_indexing` invites crawlers, but base_url `{}` has no host: robots.txt's Sitemap line and the sitemap's URLs are paths, which crawlers reject; set base_url to the site's full address (https://…)",
                config.base_url
            ),
        ));
    }
    let strings = match crate::i18n::strings(&config) {
        Ok(s) => s,
        Err(d) => {
            diagnostics.push(d);
            crate::i18n::strings(&Config {
                translations: Default::default(),
                ..config.clone()
            })
            .unwrap_or_default()
        }
    };
    let loaded = crate::content::load_with(&opts.root, &config, opts.drafts, cache);
    timings.load = ms(t);
    let t = Instant::now();
    // The anonymization guard (its patterns compiled) needs only the
    // configuration: it is made beside the Markdown, not after it on one
    // core.
    let settings = config.clone();
    let ((site, diags), guard) = rayon::join(
        || Site::assemble_with(&opts.root, config, strings, loaded, opts.drafts, md),
        || crate::checks::guard_for(&opts.root, &settings),
    );
    diagnostics.extend(diags.into_vec());
    timings.markdown = ms(t);
    let t = Instant::now();
    let checked = crate::checks::run_with(&site, guard);
    diagnostics.extend(checked.diagnostics.into_vec());
    timings.checks = ms(t);
    Ok(Loaded {
        site,
        diagnostics,
        timings,
    })
}

/// Renders a loaded site into `sink`: templates, listings, search index,
/// insight, static files. `inject` is added before `</body>` of HTML pages.
pub fn render(
    site: &Site,
    sink: &dyn Sink,
    inject: Option<String>,
    timings: &mut Timings,
) -> Result<Vec<Diagnostic>> {
    let theme = Theme::resolve(&site.root, &site.config.theme)?;
    Ok(render_parts(
        site,
        theme,
        sink,
        Serving {
            inject,
            ..Default::default()
        },
        timings,
        Some(Box::new(|| search_job(site))),
        Vec::new(),
    )
    .problems)
}

/// What `serve` adds to rendering a site ([`render_pages_with`]).
#[derive(Default)]
pub struct Serving<'a> {
    /// Goes before `</body>` of every HTML page (the reload script).
    pub inject: Option<String>,
    /// Earlier output: only what changed goes through the templates.
    pub memo: Option<&'a dyn Memo>,
    /// What the last renderer of this site prepared, when no template and
    /// no configuration changed since ([`Renderer::new`]).
    pub reuse: Option<&'a Prepared>,
    /// What the last renderer prepared, whatever changed since: its
    /// per-page tables are taken where they still hold
    /// ([`Renderer::adopt_tables`]). A template edit leaves the cards and
    /// links, which are data, and the cards' HTML unless `card.html`
    /// changed.
    pub tables: Option<&'a Prepared>,
    /// The insight figures of the last rebuild, with what the edits since
    /// did to them ([`Figures::change`]): `Change::All` is as good as none.
    pub figures: Option<(Arc<Figures>, Change)>,
}

/// What rendering a site gives besides its files.
pub struct Rendered {
    pub problems: Vec<Diagnostic>,
    /// What the renderer prepared ([`Renderer::from_prepared`]).
    pub prepared: Option<Prepared>,
    /// The insight figures the pages were rendered with.
    pub figures: Option<Arc<Figures>>,
}

/// [`render`] with the theme already resolved, what `serve` adds
/// ([`Serving`]), and without the search index (`serve` builds it
/// afterwards, off the edit-to-reload path, from [`search_job`]).
/// Also gives what the renderer prepared, to render single pages of the
/// same site later, and the insight figures.
pub fn render_pages_with(
    site: &Site,
    theme: Theme,
    sink: &dyn Sink,
    serving: Serving<'_>,
    timings: &mut Timings,
) -> Rendered {
    render_parts(site, theme, sink, serving, timings, None, Vec::new())
}

fn render_parts(
    site: &Site,
    theme: Theme,
    sink: &dyn Sink,
    serving: Serving<'_>,
    timings: &mut Timings,
    search: Option<SearchLater<'_>>,
    bodies: Vec<String>,
) -> Rendered {
    let Serving {
        inject,
        memo,
        reuse,
        tables,
        figures,
    } = serving;
    let t = Instant::now();
    let logo = crate::render::missing_logo(site, &theme);
    let named = |name: &str| {
        site.pages
            .iter()
            .any(|p| p.page.meta.template.as_deref() == Some(name))
            || site
                .sections
                .values()
                .any(|s| s.section.template.as_deref() == Some(name))
    };
    let unused = theme.unused_overrides(&named);
    // Parsing templates, aggregating the cases and (in serve) the memo's
    // fingerprints do not depend on each other. The fingerprints, the
    // largest of the three after an edit in serve, go to the other core
    // at once; the cases follow the templates on this one.
    let ((renderer, figures), inputs) = rayon::join(
        || {
            rayon::join(
                || Renderer::new(site, theme, reuse, memo.is_some()),
                || match figures {
                    Some((f, Change::None)) => f,
                    Some((f, Change::Actions)) => {
                        Arc::new(Arc::unwrap_or_clone(f).with_actions_of(site))
                    }
                    _ => Arc::new(Figures::of(site)),
                },
            )
        },
        || memo.map(|m| crate::render::Inputs::of(site, Some(m))),
    );
    let mut renderer = match renderer {
        Ok(r) => r,
        Err(problems) => {
            return Rendered {
                problems,
                prepared: None,
                figures: None,
            };
        }
    };
    renderer.inject = inject;
    renderer.memo = memo;
    renderer.hand_over_bodies(bodies);
    if let Some(inputs) = inputs {
        renderer.set_inputs(inputs);
    }
    renderer.set_global("insight", figures.context.clone());
    if let Some(tables) = tables {
        renderer.adopt_tables(tables);
    }
    let insight = &figures.insight;
    // The search index needs only the model: it is built beside the pages.
    let ((mut problems, render_ms), (search, search_ms)) = rayon::join(
        || {
            let (mut problems, insight_pages) = rayon::join(
                || renderer.render_all(sink),
                || crate::insight::render_pages(site, insight, &renderer, sink),
            );
            problems.extend(insight_pages);
            (problems, ms(t))
        },
        || {
            let Some(job) = search else {
                return (Vec::new(), 0.0);
            };
            let t = Instant::now();
            (search_files(job(), sink), ms(t))
        },
    );
    problems.extend(search);
    problems.extend(logo);
    problems.extend(unused);
    let problems = crate::render::group_template_errors(problems);
    timings.render = render_ms;
    timings.search = search_ms;
    let prepared = Some(renderer.finish(memo.is_some()));
    Rendered {
        problems,
        prepared,
        figures: Some(figures),
    }
}

fn output_dir(opts: &Options, site: &Site) -> PathBuf {
    match &opts.output {
        Some(o) if o.is_absolute() => o.clone(),
        Some(o) => std::env::current_dir()
            .map(|c| c.join(o))
            .unwrap_or_else(|_| o.clone()),
        None => opts.root.join(&site.config.output_dir),
    }
}

/// `vinn build`: everything, written atomically into the output folder.
pub fn build(opts: &Options) -> Result<Report> {
    let start = Instant::now();
    let Loaded {
        mut site,
        mut diagnostics,
        mut timings,
    } = load(opts)?;
    if opts.strict {
        diagnostics.deny_warnings();
    }
    // Markdown and checks are done: rendering never reads the sources again,
    // so a big site does not keep them in memory (about 30 MB at 10 000 pages),
    // and the plain text moves into the search index instead of being copied
    // (another 27 MB). Each page's body HTML goes to the renderer, which
    // lets it go as soon as its page is rendered (50 MB, the largest item
    // of the peak).
    let bodies: Vec<String> = site
        .pages
        .par_iter_mut()
        .map(|p| {
            p.page.body = Arc::from("");
            // A course's page shows its lessons' bodies too.
            if p.lesson.is_some() {
                return p.content.html.clone();
            }
            std::mem::take(&mut p.content.edit().html)
        })
        .collect();
    let mut plain = take_plain(&mut site);
    let theme = Theme::resolve(&site.root, &site.config.theme)?;
    let out = output_dir(opts, &site);
    check_output_dir(&opts.root, &out)?;
    // With errors in the content, still render (into nothing), so template
    // errors show up in the same run.
    let staging = if diagnostics.has_errors() {
        None
    } else {
        Some(Staging::new(&out)?)
    };
    let sink: &dyn Sink = match &staging {
        Some(s) => s,
        None => &Discard,
    };
    let problems = render_parts(
        &site,
        theme,
        sink,
        Serving::default(),
        &mut timings,
        // The documents are assembled beside the rendering, not before it.
        Some(Box::new(|| {
            job_with(&site, |p, i| {
                Arc::new(search_doc(p, std::mem::take(&mut plain[i])))
            })
        })),
        bodies,
    )
    .problems;
    let problems = if opts.strict {
        Diagnostics::from_iter(problems)
            .denied_warnings()
            .into_vec()
    } else {
        problems
    };
    let staging = match staging {
        Some(s) if !problems.iter().any(Diagnostic::is_error) => s,
        other => {
            if let Some(s) = other {
                s.abandon();
            }
            let mut all = diagnostics;
            all.extend(problems);
            return Err(Error::Site(all.sorted()));
        }
    };
    let (pages, sections) = (site.pages.len(), site.sections.len());
    // Freeing the model (hundreds of thousands of allocations at 10 000
    // pages) overlaps the move of the staging folder instead of following it.
    std::thread::spawn(move || drop(site));
    let t = Instant::now();
    let write = staging.commit()?;
    timings.write = ms(t);
    let mut warnings = diagnostics;
    warnings.extend(problems);
    Ok(Report {
        pages,
        sections,
        write,
        millis: ms(start),
        timings,
        warnings: warnings.sorted(),
        output: Some(out),
    })
}

/// `vinn check`: every check of build, templates rendered, nothing written.
pub fn check(opts: &Options) -> Result<Report> {
    let start = Instant::now();
    let Loaded {
        site,
        mut diagnostics,
        mut timings,
    } = load(opts)?;
    diagnostics.extend(render(&site, &Discard, None, &mut timings)?);
    if opts.strict {
        diagnostics.deny_warnings();
    }
    if diagnostics.has_errors() {
        return Err(Error::Site(diagnostics.sorted()));
    }
    Ok(Report {
        pages: site.pages.len(),
        sections: site.sections.len(),
        millis: ms(start),
        timings,
        warnings: diagnostics.sorted(),
        ..Default::default()
    })
}

/// The site root: `--root`, or else the nearest folder holding
/// `site.toml` from the current one up (so the commands work from inside
/// `content/`, as `git` and `cargo` do), or else the current folder (whose
/// missing `site.toml` the command then reports).
pub fn root_or_cwd(root: Option<&Path>) -> PathBuf {
    if let Some(root) = root {
        return root.to_path_buf();
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    site_root_above(&cwd).unwrap_or(cwd)
}

/// The nearest of `dir` and its ancestors that holds `site.toml`.
fn site_root_above(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(crate::config::CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

/// The search index: every published page that does not opt out with
/// `search: false`, when search is on in `site.toml`.
fn search_files(job: SearchJob, sink: &dyn Sink) -> Vec<Diagnostic> {
    job.run()
        .into_iter()
        .filter_map(|(path, bytes)| {
            sink.put(&path, bytes)
                .err()
                .map(|e| Diagnostic::error(&path, 0, 0, format!("cannot write output file: {e}")))
        })
        .collect()
}

/// The search index of a site, to build later or elsewhere: it owns its
/// input, so it can run on another thread while the site changes.
pub struct SearchJob {
    docs: Vec<Arc<crate::search::SearchDoc>>,
    lang: crate::search::Lang,
    enabled: bool,
}

impl SearchJob {
    /// The index files (`search/…`, bytes); none when search is off.
    pub fn run(&self) -> Vec<(String, Vec<u8>)> {
        if !self.enabled {
            return Vec::new();
        }
        crate::search::build_index(&self.docs, self.lang)
    }

    /// [`SearchJob::run`], tokenizing only the documents `cache` does not
    /// hold from an earlier run (`serve`).
    pub fn run_cached(&self, cache: &mut crate::search::TokenCache) -> Vec<(String, Vec<u8>)> {
        if !self.enabled {
            return Vec::new();
        }
        crate::search::build_index_cached(&self.docs, self.lang, cache)
    }
}

/// What [`SearchJob::run`] needs from `site`. Each page's document is kept
/// with the page (`SitePage::search_doc`), so after an edit
/// only the edited pages' are made again.
pub fn search_job(site: &Site) -> SearchJob {
    job_with(site, |sp, _| {
        sp.search_doc(|sp| search_doc(sp, sp.content.plain.clone()))
    })
}

/// A search job made when it is needed, on the thread that runs it.
type SearchLater<'a> = Box<dyn FnOnce() -> SearchJob + Send + 'a>;

/// Moves the pages' plain text out of the model, for the search job to take
/// instead of copying it.
fn take_plain(site: &mut Site) -> Vec<Arc<str>> {
    site.pages
        .iter_mut()
        .map(|p| std::mem::take(&mut p.content.edit().plain))
        .collect()
}

/// The search job of `site`, with `doc(page, i)` giving the document of
/// page `i`.
fn job_with(
    site: &Site,
    mut doc: impl FnMut(&crate::site::SitePage, usize) -> Arc<crate::search::SearchDoc>,
) -> SearchJob {
    let lang = crate::search::Lang::from_code(site.config.language.code());
    if !site.config.search.enabled {
        return SearchJob {
            docs: Vec::new(),
            lang,
            enabled: false,
        };
    }
    let docs = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.page.meta.search)
        .map(|(i, p)| doc(p, i))
        .collect();
    SearchJob {
        docs,
        lang,
        enabled: true,
    }
}

/// The search index's document for `p`, whose plain text is `plain`.
fn search_doc(p: &crate::site::SitePage, plain: Arc<str>) -> crate::search::SearchDoc {
    let m = &p.page.meta;
    crate::search::SearchDoc {
        url: p.page.url.clone(),
        title: m.title.clone(),
        description: if m.description.is_empty() {
            p.content.summary.clone()
        } else {
            m.description.clone()
        },
        headings: p.content.headings.iter().map(|h| h.title.clone()).collect(),
        body: match &m.case {
            // The structured facts of a case are searchable too.
            Some(c) => {
                // Each fact a sentence: a lesson that ends with its own
                // full stop gets no second one (the excerpt shows them).
                let mut facts = String::new();
                for fact in [&c.industry, &c.decision_maker_role, &c.deal_size]
                    .into_iter()
                    .flatten()
                    .chain(&c.lessons)
                {
                    let fact = fact.trim();
                    if fact.is_empty() {
                        continue;
                    }
                    facts.push_str(fact);
                    if !fact.ends_with(['.', '!', '?', '…']) {
                        facts.push('.');
                    }
                    facts.push(' ');
                }
                format!("{}\n{plain}", facts.trim_end()).into()
            }
            None => plain,
        },
        kind: m.kind.as_str().to_string(),
        topics: m.topics.clone(),
        tags: m.tags.clone(),
        outcome: m.case.as_ref().map(|c| c.outcome.as_str().to_string()),
        reasons: m
            .case
            .as_ref()
            .map(|c| c.reasons.clone())
            .unwrap_or_default(),
    }
}
