//! A site with many broken inputs: one diagnostic per problem at the right
//! file and line, exit code 1, and the previous output left untouched.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// (file, expected line, a word the message must contain)
fn plant(root: &Path) -> Vec<(&'static str, usize, &'static str)> {
    let c = "content/feil/";
    write(root, "content/feil/_index.md", "---\ntitle: Feil\n---\n");
    // 1 bad YAML
    write(
        root,
        &format!("{c}yaml.md"),
        "---\ntitle: Ok\ntags: [a, b\n---\ntekst\n",
    );
    // 2 unknown key with a hint
    write(
        root,
        &format!("{c}ukjent.md"),
        "---\ntitle: Ok\ntopcis: [verdi]\n---\ntekst\n",
    );
    // 3 missing title
    write(
        root,
        &format!("{c}tittel.md"),
        "---\ndescription: uten tittel\n---\ntekst\n",
    );
    // 4 bad date
    write(
        root,
        &format!("{c}dato.md"),
        "---\ntitle: Ok\ndate: 2026-02-30\n---\ntekst\n",
    );
    // 5 link to a missing page
    write(
        root,
        &format!("{c}lenke.md"),
        "---\ntitle: Ok\n---\n\nførste linje\n\nSe [her](finnes-ikke.md).\n",
    );
    // 6 link to a missing heading
    write(
        root,
        &format!("{c}anker.md"),
        "---\ntitle: Ok\n---\n## Finnes\n\n[x](../artikler/verdi/roi.md#finnes-ikke)\n",
    );
    // 7 two files, one URL
    write(
        root,
        &format!("{c}dobbel-url.md"),
        "---\ntitle: A\n---\ntekst\n",
    );
    write(
        root,
        &format!("{c}dobbel url.md"),
        "---\ntitle: B\n---\ntekst\n",
    );
    // 8 template syntax error (site override)
    write(
        root,
        "templates/list.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ list.title }\n{% endblock main %}\n",
    );
    // 9 unreadable file: a link to nowhere
    std::os::unix::fs::symlink(
        root.join("finnes/ikke.md"),
        root.join(format!("{c}borte.md")),
    )
    .unwrap();
    // 10 non-UTF-8
    write(
        root,
        &format!("{c}latin1.md"),
        b"---\ntitle: Ok\n---\nl\xf8nnsomhet\n",
    );
    // 11 empty file
    write(root, &format!("{c}tom.md"), "");
    // 12 BOM, with a problem on line 3 that must still be reported at line 3
    write(
        root,
        &format!("{c}bom.md"),
        "\u{feff}---\ntitle: Ok\nupdated: i går\n---\ntekst\n",
    );
    // 13 CRLF, with a missing anchor on line 6
    write(
        root,
        &format!("{c}crlf.md"),
        "---\r\ntitle: Ok\r\n---\r\n## Overskrift\r\n\r\n[x](#feil-anker)\r\n",
    );
    // 14 symlink loop
    std::os::unix::fs::symlink(
        root.join(format!("{c}loop-b.md")),
        root.join(format!("{c}loop-a.md")),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        root.join(format!("{c}loop-a.md")),
        root.join(format!("{c}loop-b.md")),
    )
    .unwrap();
    // 15 front matter never closed
    write(
        root,
        &format!("{c}aapen.md"),
        "---\ntitle: Ok\ntekst uten slutt\n",
    );
    // 16 case not anonymized
    write(
        root,
        &format!("{c}case.md"),
        "---\ntitle: Case\nkind: case\noutcome: lost\nreasons: [value]\nanonymized: false\n---\ntekst\n",
    );
    // 17 checklist without items
    write(
        root,
        &format!("{c}liste.md"),
        "---\ntitle: Liste\nkind: checklist\n---\nbare tekst\n",
    );
    // 18 unknown outcome
    write(
        root,
        &format!("{c}utfall.md"),
        "---\ntitle: Case\nkind: case\nanonymized: true\nreasons: [value]\noutcome: maybe\n---\ntekst\n",
    );
    // 19 reason outside the vocabulary
    write(
        root,
        &format!("{c}arsak.md"),
        "---\ntitle: Case\nkind: case\nanonymized: true\noutcome: won\nreasons: [valeu]\n---\ntekst\n",
    );
    // 20 related page missing
    write(
        root,
        &format!("{c}relatert.md"),
        "---\ntitle: Ok\nrelated:\n  - borte.md\n---\ntekst\n",
    );
    // 21 symlink out of the tree
    std::os::unix::fs::symlink("/etc/hostname", root.join(format!("{c}utenfor.md"))).unwrap();
    // 22 case field on an article
    write(
        root,
        &format!("{c}artikkel.md"),
        "---\ntitle: Ok\noutcome: won\n---\ntekst\n",
    );
    // 23 wrong type
    write(
        root,
        &format!("{c}type.md"),
        "---\ntitle: Ok\nweight: tung\n---\ntekst\n",
    );
    // 24 a page where vinn writes its own list of the newest pages
    write(root, "content/nytt.md", "---\ntitle: Nytt\n---\ntekst\n");
    // 25 an outcome left empty (as `vinn new case` writes it)
    write(
        root,
        &format!("{c}tomt-utfall.md"),
        "---\ntitle: Case\nkind: case\nanonymized: true\nreasons: [value]\noutcome: \"\"\n---\ntekst\n",
    );
    // 26 an outcome written as the label the page shows, in Norwegian
    write(
        root,
        &format!("{c}tapt.md"),
        "---\ntitle: Case\nkind: case\nanonymized: true\nreasons: [value]\noutcome: Tapt\n---\ntekst\n",
    );
    // 27 a reason written as its Norwegian label
    write(
        root,
        &format!("{c}pris.md"),
        "---\ntitle: Case\nkind: case\nanonymized: true\noutcome: lost\nreasons:\n  - pris\n---\ntekst\n",
    );
    vec![
        ("content/feil/yaml.md", 3, ""),
        ("content/feil/ukjent.md", 3, "did you mean `topics`"),
        ("content/feil/tittel.md", 1, "title"),
        ("content/feil/dato.md", 3, "day 30"),
        ("content/feil/lenke.md", 7, "finnes-ikke.md"),
        ("content/feil/anker.md", 6, "#finnes-ikke"),
        ("content/feil/dobbel-url.md", 1, "URL"),
        ("templates/list.html", 3, "template"),
        ("content/feil/borte.md", 1, "broken"),
        ("content/feil/latin1.md", 4, "UTF-8"),
        ("content/feil/tom.md", 1, "empty"),
        ("content/feil/bom.md", 3, "i går"),
        ("content/feil/crlf.md", 6, "#feil-anker"),
        ("content/feil/loop-a.md", 1, "loops"),
        ("content/feil/loop-b.md", 1, "loops"),
        ("content/feil/aapen.md", 1, "never closed"),
        ("content/feil/case.md", 6, "anonymized: true"),
        ("content/feil/liste.md", 3, "at least one item"),
        ("content/feil/utfall.md", 6, "`maybe`"),
        ("content/feil/arsak.md", 6, "did you mean `value`"),
        ("content/feil/relatert.md", 4, "borte.md"),
        ("content/feil/utenfor.md", 1, "outside content/"),
        ("content/feil/artikkel.md", 3, "case-study field"),
        ("content/feil/type.md", 3, "weight"),
        ("content/nytt.md", 1, "the list of the newest pages"),
        (
            "content/feil/tomt-utfall.md",
            6,
            "`outcome` is empty: use won, lost or no-decision",
        ),
        (
            "content/feil/tapt.md",
            6,
            "`outcome` is `Tapt`: write `lost` (front matter takes the value, the page shows “Tapt”)",
        ),
        (
            "content/feil/pris.md",
            6,
            "unknown reason `pris`: write `price` (front matter takes the value, the page shows “Pris”)",
        ),
    ]
}

#[test]
fn every_problem_reported_once_and_output_untouched() {
    let site = site_copy("basic");
    let root = site.path();
    let out = root.join("public");
    build(root, &out, &[]);
    let before = snapshot(&out);

    let expected = plant(root);
    let o = run(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();

    let mut by_file: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for l in &lines {
        by_file
            .entry(l.split(':').next().unwrap())
            .or_default()
            .push(l);
    }
    for (file, line, word) in &expected {
        let found = by_file.get(file).cloned().unwrap_or_default();
        // The two files sharing a URL: the error names both.
        assert_eq!(
            found.len(),
            1,
            "{file}: expected one diagnostic, got {found:?}\nall:\n{err}"
        );
        let d = found[0];
        assert!(
            d.starts_with(&format!("{file}:{line}:")),
            "{file}: expected line {line}: {d}"
        );
        assert!(d.contains(word), "{file}: expected `{word}` in: {d}");
    }
    assert!(
        by_file["content/feil/dobbel-url.md"][0].contains("dobbel url.md"),
        "duplicate URL must name both files"
    );
    assert_eq!(
        lines.len(),
        expected.len(),
        "unexpected extra diagnostics:\n{err}"
    );
    // Sorted and summarized.
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    let summary = format!("{} errors in {} files", expected.len(), expected.len());
    assert!(err.lines().last().unwrap().starts_with(&summary), "{err}");
    // The previous output is exactly as it was.
    assert_eq!(snapshot(&out), before);
    assert!(!root.join(".public.vinn-staging").exists());
}

#[test]
fn check_reports_the_same_and_writes_nothing() {
    let site = site_copy("basic");
    let root = site.path();
    plant(root);
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("templates/list.html:3:"),
        "check renders templates too"
    );
    assert!(!root.join("public").exists());
}

#[test]
fn a_link_to_a_page_with_errors_is_not_called_a_draft() {
    let site = site_copy("basic");
    let root = site.path();
    write(root, "content/feil/_index.md", "---\ntitle: Feil\n---\n");
    // A page whose front matter does not parse, one that is a draft, and a
    // page linking to both (in text and in `related`).
    write(
        root,
        "content/feil/odelagt.md",
        "---\ntitle: \"Uavsluttet\n---\ntekst\n",
    );
    write(
        root,
        "content/feil/utkast.md",
        "---\ntitle: Utkast\ndraft: true\n---\ntekst\n",
    );
    write(
        root,
        "content/feil/lenker.md",
        "---\ntitle: Lenker\nrelated: [odelagt.md, utkast.md]\n---\nSe [den](odelagt.md) og [denne](utkast.md).\n",
    );
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let about = |file: &str, what: &str| {
        err.lines()
            .filter(|l| {
                l.starts_with("content/feil/lenker.md:") && l.contains(file) && l.contains(what)
            })
            .count()
    };
    // Reported at the page itself; the links to it are warnings.
    assert_eq!(about("odelagt.md", "has errors of its own"), 2, "{err}");
    assert_eq!(about("odelagt.md", ": warning: "), 2, "{err}");
    assert!(
        err.lines()
            .filter(|l| l.contains(": error: "))
            .all(|l| !l.contains("errors of its own")),
        "{err}"
    );
    assert_eq!(about("odelagt.md", "draft"), 0, "{err}");
    // A `related` entry's problem stands at the entry.
    assert!(
        err.lines()
            .any(|l| l
                .starts_with("content/feil/lenker.md:3:11: warning: `related` page `odelagt.md`")),
        "{err}"
    );
    assert!(
        err.lines().any(|l| l.starts_with(
            "content/feil/lenker.md:3:23: error: `related` page `utkast.md` is a draft"
        )),
        "{err}"
    );
    assert_eq!(about("utkast.md", "draft"), 2, "{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("content/feil/odelagt.md:")),
        "the broken page has its own error:\n{err}"
    );
}

#[test]
fn a_template_mistake_every_output_meets_is_reported_once() {
    let site = site_copy("basic");
    let root = site.path();
    let out = root.join("public");
    build(root, &out, &[]);
    // Every output the footer is rendered into.
    let footers = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter(|e| {
            let doc = scraper::Html::parse_document(&std::fs::read_to_string(e.path()).unwrap());
            doc.select(&sel("footer.site-footer")).next().is_some()
        })
        .count();
    assert!(footers > 20, "{footers}");
    let before = snapshot(&out);
    write(
        root,
        "templates/footer.html",
        "<footer class=\"site-footer\">\n{{ site.finnes_ikke }}\n</footer>\n",
    );
    let o = run(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].starts_with("templates/footer.html:2:"), "{err}");
    assert!(lines[0].contains("finnes_ikke"), "{err}");
    assert!(
        lines[0].contains(&format!(" and {} other outputs: ", footers - 1)),
        "{err}"
    );
    assert!(
        err.lines().last().unwrap().starts_with("1 error in 1 file"),
        "{err}"
    );
    assert_eq!(snapshot(&out), before);
}

#[test]
fn an_override_missing_a_block_its_children_fill_says_which_file_to_mend() {
    let site = site_copy("basic");
    let root = site.path();
    // A site's own article.html without the blocks checklist.html and
    // case.html (which extend it) fill.
    write(
        root,
        "templates/article.html",
        "{% extends \"base.html\" %}\n{% block main %}<article><h1>{{ page.title }}</h1>{{ page.content | safe }}</article>{% endblock main %}\n",
    );
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let line = err
        .lines()
        .find(|l| {
            l.starts_with("themes/default/templates/checklist.html:")
                && l.contains("before_content")
        })
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        line.contains("(`checklist.html` extends `article.html`, which is `templates/article.html` here: add `{% block before_content %}{% endblock before_content %}` to it)"),
        "{line}"
    );
}
