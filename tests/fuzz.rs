//! No panic on any input: property tests over front-matter splitting and
//! parsing and Markdown rendering, and whole sites built from generated
//! files. `PROPTEST_CASES=50000 cargo test --release --test fuzz` runs it
//! for a while.

use proptest::prelude::*;
use std::sync::LazyLock;
use vinn::checks::anonymize::{Guard, GuardConfig};
use vinn::content::frontmatter::{self, PageFront, SectionFront};
use vinn::markdown::{self, LinkResolver, Resolved};

struct AnyLinks;
impl LinkResolver for AnyLinks {
    fn resolve(&self, href: &str) -> Resolved {
        match href.len() % 4 {
            0 => Resolved::Keep,
            1 => Resolved::Rewrite(format!("../{href}")),
            2 => Resolved::Page {
                href: "../x/".into(),
                target: href.into(),
                anchor: href.split_once('#').map(|(_, a)| a.to_string()),
            },
            _ => Resolved::Missing("nope".into()),
        }
    }
}

fn labels() -> markdown::Labels {
    markdown::Labels {
        note: "n".into(),
        tip: "t".into(),
        important: "i".into(),
        warning: "w".into(),
        caution: "c".into(),
        anchor: "a".into(),
        table: "tb".into(),
        footnote_back: "b".into(),
        quiz: markdown::QuizLabels {
            numbered: "q {n}/{total}".into(),
            choose_one: "1".into(),
            choose_all: "*".into(),
            show_answer: "s".into(),
            right_answer: "r".into(),
            right_answers: "rr".into(),
            check: "c".into(),
            correct: "ok".into(),
            wrong: "no".into(),
            partly: "p".into(),
            none: "0".into(),
        },
    }
}

/// Pieces that exercise the tricky paths: fences, YAML, task lists,
/// callouts, tables, links, footnotes, headings with attributes, CRLF, BOM.
const TOKENS: &[&str] = &[
    "---\n",
    "---",
    "...\n",
    "title: ",
    "\"Tittel\"",
    "date: 2026-02-30",
    "tags: [a, b",
    "]\n",
    "kind: case\n",
    "outcome: won\n",
    "extra:\n  x: 1\n",
    "  - ",
    ": ",
    "# ",
    "## ",
    "### Økonomi {#id}",
    "- [ ] ",
    "- [x] ",
    "  - [ ] ",
    "* ",
    "1. ",
    "> ",
    "> [!TIP]\n",
    "> [!WARNING]\n",
    "|a|b|\n",
    "|-|-|\n",
    "| 1 | 2 |\n",
    "```\n",
    "~~~rust\n",
    "```quiz\n",
    "~~~ quiz x\n",
    "`kode`",
    "[lenke](a.md#b)",
    "[x](#)",
    "[y](../../z.md)",
    "![bilde](b.png \"t\")",
    "<b>",
    "</b>",
    "<!-- vinn:allow \"x\" -->",
    "[^1]",
    "[^1]: fotnote\n",
    "~~slett~~",
    "**fet**",
    "_",
    "*",
    "\\",
    "&amp;",
    "æøå",
    "ÆØÅ",
    "\u{feff}",
    "\r\n",
    "\n",
    "\n\n",
    " ",
    "\t",
    "<",
    ">",
    "\"",
    "'",
    "{{ x }}",
    "{% if %}",
    "😀",
    "Kari ",
    "Hansen",
    "Industriveien",
    "gata",
    " gate ",
    " 14",
    "B",
    ", 0153 ",
    "Oslo",
    "(at)",
    "[dot]",
    " at ",
    " dot ",
    " punktum ",
    "no",
    "kunde.no",
    "https://www.linkedin.com/in/",
    "data:image/jpeg;base64,/9j/",
    "+47 22 33 44 55",
    "\u{0301}",
    "\0",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..60).prop_map(|v| v.concat())
}

fn check_text(text: &str) {
    let text = text.replace("\r\n", "\n");
    // The anonymization guard over the raw text, as an address too (one
    // guard for every case: compiling its regexes is most of the cost).
    static GUARD: LazyLock<Guard> = LazyLock::new(|| {
        Guard::new(&GuardConfig {
            deny_names: vec!["Brattli Maskin".into()],
            allow: vec!["Kari".into()],
            patterns: Vec::new(),
        })
        .unwrap()
    });
    for f in GUARD.scan(&text).iter().chain(&GUARD.scan_address(&text)) {
        assert!(f.start < f.end && f.end <= text.len());
    }
    if let Ok(split) = frontmatter::split(&text) {
        if let Some(y) = split.yaml {
            let _ = frontmatter::parse::<PageFront>(y, split.yaml_line);
            if let Err(errors) = frontmatter::parse_all::<PageFront>(y, split.yaml_line) {
                assert!(!errors.is_empty() && errors.len() <= 20);
            }
            let _ = frontmatter::parse::<SectionFront>(y, split.yaml_line);
            let _ = frontmatter::key_lines(y, split.yaml_line);
        }
        let r = markdown::render(split.body, split.body_line, &AnyLinks, &labels());
        // Every label opened (a task's, a quiz answer's) is closed.
        assert_eq!(
            r.html.matches("<label").count(),
            r.html.matches("</label>").count()
        );
        for l in &r.links {
            assert!(l.line >= split.body_line);
        }
        check_lesson(&r.html);
    }
    // A course page takes a lesson's HTML as it comes, raw HTML and all.
    check_lesson(&text);
}

/// A lesson's body fitted onto its course's page keeps every tag: it
/// only rewrites attributes and heading levels.
fn check_lesson(html: &str) {
    let lessons = vinn::course::Lessons {
        anchors: [("kurs/a/", "leksjon-1"), ("kurs/b/", "leksjon-2")]
            .into_iter()
            .collect(),
        page: "kurs/hele-kurset/",
    };
    let out = vinn::course::lesson_body(html, "kurs/a/", "leksjon-1", "Leksjon <1>", &lessons);
    assert_eq!(
        out.matches('<').count(),
        html.matches('<').count(),
        "{html:?}"
    );
}

/// 400 cases in the suite; `PROPTEST_CASES=N` runs more.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(s in any::<String>()) {
        check_text(&s);
    }

    #[test]
    fn token_soup_never_panics(s in token_soup()) {
        check_text(&s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whole sites of generated files go through every stage (load, model,
    /// checks, templates) without a panic: either they build or they report.
    #[test]
    fn generated_sites_build_or_report(files in prop::collection::vec(token_soup(), 1..5)) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("content/case")).unwrap();
        std::fs::create_dir_all(root.join("content/kurs")).unwrap();
        std::fs::write(root.join("site.toml"), "title = \"Fuzz\"\n[sections]\ncase = { kind = \"case\" }\n").unwrap();
        // A course, whose lessons also go onto its whole page.
        std::fs::write(root.join("content/kurs/_index.md"), "---\ntitle: Kurs\ncourse: true\n---\n").unwrap();
        for (i, f) in files.iter().enumerate() {
            let dir = ["content", "content/case", "content/kurs"][i % 3];
            std::fs::write(root.join(dir).join(format!("side-{i}.md")), f).unwrap();
        }
        let opts = vinn::build::Options { root: root.to_path_buf(), ..Default::default() };
        match vinn::build::check(&opts) {
            Ok(_) => {}
            Err(vinn::Error::Site(d)) => prop_assert!(d.has_errors()),
            Err(e) => prop_assert!(false, "unexpected environment error: {e}"),
        }
    }
}
