//! Themes: where templates and static files come from.
//!
//! The default theme (`themes/default/`) is compiled into the binary so
//! `vinn` works in any folder. A site's own `themes/NAME/` is read from disk
//! instead (so theme authors see their edits in `serve`), and takes what it
//! lacks from the default theme; single templates in the site's
//! `templates/` override the theme's.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Error, Result, display_path};

macro_rules! embed_templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*]
    };
}
macro_rules! embed_static {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../themes/default/static/", $name)) as &[u8])),*]
    };
}

/// The default theme's templates, by name.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = embed_templates![
    "base.html",
    "nav.html",
    "header.html",
    "footer.html",
    "breadcrumbs.html",
    "card.html",
    "toc.html",
    "pager.html",
    "index.html",
    "article.html",
    "checklist.html",
    "case.html",
    "page-footer.html",
    "edit-link.html",
    "section.html",
    "course-page.html",
    "taxonomy.html",
    "term.html",
    "list.html",
    "search.html",
    "insight.html",
    "404.html",
    "offline.html",
    "alias.html",
    "search-box.html",
    "search-page.html",
    "insight-summary.html",
    "insight-list.html",
];

/// The default theme's static files, by path below `static/`.
pub const DEFAULT_STATIC: &[(&str, &[u8])] =
    embed_static!["vinn.css", "vinn.js", "search.js", "sw.js", "favicon.svg"];

/// One template: its name, text, and the file it came from (for errors).
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateSource {
    pub name: String,
    pub text: String,
    pub path: String,
}

/// One static file to copy into the output root.
#[derive(Debug, Clone, PartialEq)]
pub enum StaticFile {
    Embedded {
        path: &'static str,
        bytes: &'static [u8],
    },
    Disk {
        path: String,
        from: PathBuf,
    },
}

impl StaticFile {
    pub fn out_path(&self) -> &str {
        match self {
            StaticFile::Embedded { path, .. } => path,
            StaticFile::Disk { path, .. } => path,
        }
    }
}

/// The templates and static files of a site: theme first, site overrides on top.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub templates: Vec<TemplateSource>,
    pub statics: Vec<StaticFile>,
}

impl Theme {
    pub fn resolve(root: &Path, name: &str) -> Result<Theme> {
        let mut templates: Vec<TemplateSource> = Vec::new();
        let mut statics: Vec<StaticFile> = Vec::new();
        let theme_dir = root.join("themes").join(name);
        if theme_dir.is_dir() {
            read_dir_templates(&theme_dir.join("templates"), root, &mut templates)?;
            read_dir_static(&theme_dir.join("static"), &mut statics)?;
        } else if name != "default" {
            return Err(Error::env(format!(
                "theme `{name}` not found: expected a folder themes/{name}/ in the site (or use theme = \"default\")"
            )));
        }
        // What a theme of the site's own does not have comes from the
        // built-in default theme: a theme holds only what it changes.
        for (n, t) in DEFAULT_TEMPLATES {
            if !templates.iter().any(|x| x.name == *n) {
                templates.push(TemplateSource {
                    name: n.to_string(),
                    text: t.to_string(),
                    path: format!("themes/default/templates/{n}"),
                });
            }
        }
        for (p, b) in DEFAULT_STATIC {
            if !statics.iter().any(|x| x.out_path() == *p) {
                statics.push(StaticFile::Embedded { path: p, bytes: b });
            }
        }
        // Site-level overrides.
        let mut own = Vec::new();
        read_dir_templates(&root.join("templates"), root, &mut own)?;
        for t in own {
            templates.retain(|x| x.name != t.name);
            templates.push(t);
        }
        let mut own_static = Vec::new();
        read_dir_static(&root.join("static"), &mut own_static)?;
        for s in own_static {
            statics.retain(|x| x.out_path() != s.out_path());
            statics.push(s);
        }
        Ok(Theme { templates, statics })
    }

    pub fn template_path(&self, name: &str) -> Option<&TemplateSource> {
        self.templates.iter().find(|t| t.name == name)
    }

    /// A warning for each of the site's own templates (`templates/…`)
    /// that nothing would render: not a template of the theme (so it
    /// overrides none), named by no other template (`include`, `extends`,
    /// `import`) and by no page's or section's `template:` (`named`).
    /// Most likely a misspelt override, `footr.html`.
    pub fn unused_overrides(&self, named: &dyn Fn(&str) -> bool) -> Vec<Diagnostic> {
        let theme_names: Vec<&str> = DEFAULT_TEMPLATES.iter().map(|(n, _)| *n).collect();
        self.templates
            .iter()
            .filter(|t| t.path.starts_with("templates/") && !theme_names.contains(&t.name.as_str()))
            .filter(|t| !named(&t.name))
            .filter(|t| {
                !self.templates.iter().any(|o| {
                    o.name != t.name
                        && (o.text.contains(&format!("\"{}\"", t.name))
                            || o.text.contains(&format!("'{}'", t.name)))
                })
            })
            .map(|t| {
                let hint = crate::diagnostics::did_you_mean(&t.name, theme_names.iter().copied())
                    .map(|n| format!(": did you mean `{n}`?"))
                    .unwrap_or_default();
                Diagnostic::warning(
                    &t.path,
                    0,
                    0,
                    format!(
                        "this template overrides none of the theme's, and no template, page or section uses it{hint}"
                    ),
                )
            })
            .collect()
    }
}

/// Every visible file below `dir` (none when it does not exist), as its
/// path relative to `dir` with `/` and its full path; sorted by name.
fn files_below(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.map_err(|e| Error::env(format!("cannot read {}: {e}", dir.display())))?;
        if !e.file_type().is_file() {
            continue;
        }
        let rel = display_path(e.path().strip_prefix(dir).unwrap_or(e.path()));
        if rel.starts_with('.')
            || rel.contains("/.")
            || crate::content::is_left_out(&e.file_name().to_string_lossy())
        {
            continue;
        }
        out.push((rel, e.path().to_path_buf()));
    }
    Ok(out)
}

fn read_dir_templates(dir: &Path, root: &Path, out: &mut Vec<TemplateSource>) -> Result<()> {
    for (name, path) in files_below(dir)? {
        let text = std::fs::read_to_string(&path).map_err(|err| Error::io(&path, err))?;
        out.push(TemplateSource {
            name,
            text,
            path: display_path(path.strip_prefix(root).unwrap_or(&path)),
        });
    }
    Ok(())
}

fn read_dir_static(dir: &Path, out: &mut Vec<StaticFile>) -> Result<()> {
    for (path, from) in files_below(dir)? {
        out.push(StaticFile::Disk { path, from });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of themes/default is embedded: none can be forgotten.
    #[test]
    fn embedded_theme_is_complete() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| display_path(e.path().strip_prefix(&dir).unwrap()))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, _)| format!("templates/{n}"))
            .chain(DEFAULT_STATIC.iter().map(|(n, _)| format!("static/{n}")))
            .collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }
}
