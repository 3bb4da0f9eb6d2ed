//! The command line as a new user meets it: init, new, build, check, exit
//! codes and help.

mod common;
use common::*;

#[test]
fn init_makes_a_site_that_builds_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ny-side");
    let o_init = run(&["init", dir.to_str().unwrap()]);
    assert!(o_init.status.success(), "{}", stderr(&o_init));
    let o = run(&["build", "--root", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for url in [
        "artikler/hvem-signerer/",
        "sjekklister/for-forste-mote/",
        "case/tapt-i-byggebransjen/",
    ] {
        assert!(
            dir.join("public").join(url).join("index.html").is_file(),
            "{url}"
        );
    }
    let next = |o: &std::process::Output| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .last()
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(
        next(&o_init),
        format!("Next: cd {} && vinn serve", dir.display())
    );
    // init never overwrites.
    let o = run(&["init", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    // In the current folder there is nowhere to go first.
    let here = tmp.path().join("her");
    std::fs::create_dir(&here).unwrap();
    let o = vinn().current_dir(&here).arg("init").output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(next(&o), "Next: vinn serve");
    assert!(here.join("site.toml").is_file());
}

#[test]
/// A new case is a draft: half written, it keeps out of the site (and
/// out of the way of every other edit); with `--drafts` the build says
/// what is left to fill in; filled in, anonymized and no longer a draft,
/// it is published.
fn new_case_is_a_draft_until_filled_in_and_anonymized() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    assert!(run(&["init", root.to_str().unwrap()]).status.success());
    let o = run(&[
        "new",
        "case",
        "Tapt rammeavtale",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("vinn serve --drafts"), "{}", stderr(&o));
    let printed = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert_eq!(printed, "content/case/tapt-rammeavtale.md");
    let file = root.join(&printed);
    let text = std::fs::read_to_string(&file).unwrap();
    for field in [
        "anonymized:",
        "outcome:",
        "reasons:",
        "industry:",
        "deal_size:",
        "decision_maker_role:",
        "lessons:",
        "interview_date",
    ] {
        assert!(text.contains(field), "archetype lacks {field}");
    }
    assert!(
        text.contains("ANONYMISERING"),
        "the reminder is in the archetype"
    );

    let out = root.join("public");
    let o = run(&["build", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("tapt-rammeavtale"), "{}", stderr(&o));
    assert!(!out.join("case/tapt-rammeavtale").exists());
    // Built with --drafts: not marked anonymized is an error, what is left
    // to fill in a warning each.
    let o = run(&["build", "--drafts", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let errors: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].starts_with("content/case/tapt-rammeavtale.md:")
            && errors[0].contains("anonymized: true"),
        "{err}"
    );
    let left: Vec<&str> = err.lines().filter(|l| l.contains(": warning: ")).collect();
    assert_eq!(left.len(), 5, "{err}");
    // Reviewed and marked, the draft is built, still saying what is left.
    std::fs::write(&file, text.replace("anonymized: false", "anonymized: true")).unwrap();
    let o = run(&["build", "--drafts", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("`outcome` is empty"), "{}", stderr(&o));
    assert!(out.join("case/tapt-rammeavtale/index.html").is_file());

    // Fill it in: the build passes.
    let filled = text
        .replace("anonymized: false", "anonymized: true")
        .replace("outcome: \"\"", "outcome: lost")
        .replace("reasons: []", "reasons: [decision-maker]")
        .replace("industry: \"\"", "industry: \"Bygg og anlegg\"")
        .replace("deal_size: \"\"", "deal_size: \"1M-5M NOK\"")
        .replace(
            "decision_maker_role: \"\"",
            "decision_maker_role: \"Innkjøpssjef\"",
        )
        .replace("lessons: []", "lessons: [\"Finn den som signerer.\"]")
        .replace("draft: true\n", "");
    std::fs::write(&file, filled).unwrap();
    let o = run(&["build", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("case/tapt-rammeavtale/index.html").is_file());

    // `new` refuses to overwrite.
    let o = run(&[
        "new",
        "case",
        "Tapt rammeavtale",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn new_honours_section_and_site_archetypes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    assert!(run(&["init", root.to_str().unwrap()]).status.success());
    std::fs::create_dir_all(root.join("archetypes")).unwrap();
    std::fs::write(
        root.join("archetypes/checklist.md"),
        "---\ntitle: \"{{title}}\"\ndate: {{date}}\nphase: etter-tap\n---\n\n- [ ] Ring kunden\n",
    )
    .unwrap();
    let o = run(&[
        "new",
        "checklist",
        "Etter tapet",
        "--section",
        "sjekklister/evaluering",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = root.join("content/sjekklister/evaluering/etter-tapet.md");
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("phase: etter-tap")
    );
    assert!(
        run(&["build", "--root", root.to_str().unwrap()])
            .status
            .success()
    );
}

/// A page written into a folder whose pages are of another kind says its
/// own kind, so that it builds as the kind asked for; where the folder
/// gives the same kind, the page leaves it to the folder.
#[test]
fn new_writes_the_kind_where_the_section_gives_another() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    assert!(run(&["init", root.to_str().unwrap()]).status.success());
    let r = root.to_str().unwrap();
    for (kind, title, section, file, written) in [
        // A new folder: articles by default.
        (
            "checklist",
            "Sjekk i ny",
            "nyseksjon",
            "nyseksjon/sjekk-i-ny.md",
            true,
        ),
        // site.toml's [sections] makes `case` case studies.
        (
            "article",
            "Artikkel i case",
            "case",
            "case/artikkel-i-case.md",
            true,
        ),
        ("case", "X", "artikler", "artikler/x.md", true),
        // The same kind as the folder's: nothing to say.
        ("article", "Vanlig", "artikler", "artikler/vanlig.md", false),
    ] {
        let o = run(&["new", kind, title, "--section", section, "--root", r]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(root.join("content").join(file)).unwrap();
        let line = format!("kind: {kind}");
        assert_eq!(
            text.lines()
                .filter(|l| l.starts_with("kind:"))
                .collect::<Vec<_>>(),
            if written { vec![line.as_str()] } else { vec![] },
            "{file}:\n{text}"
        );
    }
    // An `_index.md` naming its kind counts as site.toml does.
    std::fs::create_dir_all(root.join("content/maler")).unwrap();
    std::fs::write(
        root.join("content/maler/_index.md"),
        "---\ntitle: Maler\nkind: checklist\n---\n",
    )
    .unwrap();
    let o = run(&[
        "new",
        "checklist",
        "Mal",
        "--section",
        "maler/under",
        "--root",
        r,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(root.join("content/maler/under/mal.md")).unwrap();
    assert!(!text.contains("kind:"), "{text}");

    // Each builds as the kind asked for: only the placeholders are warned
    // about, and the new case is a draft, left out.
    let o = run(&["check", "--root", r]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let problems: Vec<&str> = err
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .filter(|l| !l.contains(": warning: still the placeholder"))
        .collect();
    assert!(problems.is_empty(), "{err}");
    assert!(err.contains("content/nyseksjon/sjekk-i-ny.md:"), "{err}");
    // With --drafts the case is read as a case study: what it lacks is
    // said, nothing about its kind.
    let o = run(&["check", "--drafts", "--root", r]);
    let err = stderr(&o);
    assert!(
        err.contains("content/artikler/x.md:") && err.contains("anonymized: true"),
        "{err}"
    );
    assert!(!err.contains("but this page is"), "{err}");
}

/// A title too long for a file name gives a file named after its first
/// words; the page keeps the title whole.
#[test]
fn new_names_the_file_after_the_start_of_a_long_title() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    assert!(run(&["init", root.to_str().unwrap()]).status.success());
    let r = root.to_str().unwrap();
    let title = "Hvorfor taper vi tilbud som kunden selv ba om, når prisen var riktig, \
                 verdien var dokumentert og beslutningstakeren hadde sagt ja i møtet? \
                 En gjennomgang av tre anbud i byggebransjen der innkjøpsavdelingen \
                 overtok forhandlingen etter at tilbudet var sendt, og hva vi gjør \
                 annerledes neste gang vi møter en rammeavtale med flere ledd";
    assert!(title.len() > 300, "{}", title.len());
    let o = run(&["new", "article", title, "--root", r]);
    assert!(o.status.success(), "{}", stderr(&o));
    let printed = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let name = printed
        .strip_prefix("content/artikler/")
        .and_then(|n| n.strip_suffix(".md"))
        .unwrap_or_else(|| panic!("{printed}"));
    assert!(name.len() <= 80, "{name}");
    // Cut after a whole word.
    assert!(
        vinn::content::slug::slugify(title).starts_with(&format!("{name}-")),
        "{name}"
    );
    let text = std::fs::read_to_string(root.join(&printed)).unwrap();
    assert!(text.contains(&format!("title: \"{title}\"")), "{text}");
    let o = run(&["build", "--root", r]);
    assert!(o.status.success(), "{}", stderr(&o));
    let url = format!("public/artikler/{name}/index.html");
    assert!(root.join(&url).is_file(), "{url}");
}

/// `--section` is a folder inside content/: `""` and `.` are content/
/// itself; an absolute path or one going up is a usage error. The file
/// in the way of a new one is named as a new file's path is.
#[test]
fn new_takes_a_section_inside_content_only() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("side");
    assert!(run(&["init", root.to_str().unwrap()]).status.success());
    let here = root.join("content/artikler");
    let in_here = |args: &[&str]| vinn().current_dir(&here).args(args).output().unwrap();
    let o = in_here(&["new", "article", "Rot", "--section", "."]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "../rot.md");
    assert!(root.join("content/rot.md").is_file());
    // "" is the same folder: the file is there already, named from here.
    let o = in_here(&["new", "article", "Rot", "--section", ""]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).trim(),
        "error: ../rot.md already exists: vinn new never overwrites; pick another title"
    );
    // With --root, from the site root, as a new file's path is printed.
    let r = root.to_str().unwrap();
    let o = run(&["new", "article", "Rot", "--section", "", "--root", r]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("error: content/rot.md already exists"),
        "{}",
        stderr(&o)
    );
    for (section, says) in [
        ("/etc", "is an absolute path"),
        ("../ut", "goes up with `..`"),
        ("artikler/../../ut", "goes up with `..`"),
    ] {
        let o = run(&["new", "article", "Ute", "--section", section, "--root", r]);
        assert_eq!(o.status.code(), Some(2), "{section}: {}", stderr(&o));
        assert!(
            stderr(&o).starts_with(&format!("error: --section `{section}` {says}")),
            "{section}: {}",
            stderr(&o)
        );
    }
    assert!(!root.join("content/etc").exists());
    assert!(!tmp.path().join("ut").exists());
    let o = run(&["build", "--root", r]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(root.join("public/rot/index.html").is_file());
}

#[test]
fn commands_find_the_site_from_inside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("side");
    assert!(run(&["init", root.to_str().unwrap()]).status.success());
    let here = root.join("content/artikler");
    let in_here = |args: &[&str]| vinn().current_dir(&here).args(args).output().unwrap();
    // `new` prints the path from where the author stands.
    for (args, shown) in [
        (["new", "article", "Skrevet herfra"], "skrevet-herfra.md"),
        (
            ["new", "checklist", "Liste herfra"],
            "../sjekklister/liste-herfra.md",
        ),
    ] {
        let o = in_here(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), shown);
        assert!(here.join(shown).is_file(), "{shown}");
    }
    let o = in_here(&["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = in_here(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The site's own output folder, not one under content/.
    assert!(!here.join("public").exists());
    for (url, title) in [
        ("artikler/skrevet-herfra/", "Skrevet herfra"),
        ("sjekklister/liste-herfra/", "Liste herfra"),
    ] {
        let doc = page(&root.join("public"), url);
        assert_eq!(texts(&doc, "h1"), [title], "{url}");
    }
    // Outside any site, the current folder is named.
    let o = vinn()
        .current_dir(tmp.path())
        .args(["build"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(&format!("no site.toml in {}", tmp.path().display())),
        "{}",
        stderr(&o)
    );
    // A --root that is no folder is named as such.
    let gone = tmp.path().join("finnes-ikke");
    let o = vinn()
        .args(["build", "--root", gone.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(&format!("no folder {}", gone.display())),
        "{}",
        stderr(&o)
    );
}

#[test]
fn exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    // No site.toml: environment error, with a hint.
    let o = run(&["build", "--root", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("vinn init"));
    // Bad flag: usage error.
    assert_eq!(run(&["build", "--no-such-flag"]).status.code(), Some(2));
    // Help works and explains.
    let o = run(&["--help"]);
    assert!(o.status.success());
    let help = String::from_utf8_lossy(&o.stdout);
    for cmd in ["init", "new", "build", "check", "serve", "insight"] {
        assert!(help.contains(cmd), "{cmd} missing from help");
    }
    // Each command's help says where the site is looked for without --root:
    // upward from the current folder, not the current folder alone.
    for cmd in ["new", "build", "check", "serve", "insight"] {
        let o = run(&[cmd, "--help"]);
        let help = String::from_utf8_lossy(&o.stdout);
        let words = help.split_whitespace().collect::<Vec<_>>().join(" ");
        let said = "--root <ROOT> The site folder holding site.toml \
                    (default: the nearest one from the current folder up)";
        assert!(words.contains(said), "{cmd}: {help}");
    }
}

/// Settings that parse but are checked later (against the other topics,
/// the UI strings, the files of the site, the regex engine) are errors at
/// their own line and column of `site.toml`, not at its first line.
#[test]
fn a_setting_checked_after_parsing_is_an_error_at_its_line() {
    let cases: [(&str, &str, &str); 7] = [
        (
            "description = \"x\"\nedit_url = \"https://github.com/firma/salg/edit/main/\"\n",
            "2:12",
            "`edit_url` = `https://github.com/firma/salg/edit/main/` needs to be a web address with `{path}`",
        ),
        (
            "[brand]\nfont = \"Georgia; color: red\"\n",
            "2:8",
            "`[brand] font` = `Georgia; color: red` holds `;`",
        ),
        (
            "[[topics]]\nslug = \"verdi\"\ntitle = \"Verdi\"\n\n[[topics]]\ntitle = \"Verdi igjen\"\nslug = \"verdi\"\n",
            "7:8",
            "topic `verdi` is listed twice in [[topics]] (first at line 3)",
        ),
        (
            "[anonymization]\nallow = [\"X\"]\ndeny_list = \"content/.mangler.txt\"\n",
            "3:13",
            "cannot read the anonymization deny list `content/.mangler.txt`",
        ),
        (
            "[anonymization]\npatterns = [\n  \"ok\",\n  \"(uavsluttet\",\n]\n",
            "4:3",
            "invalid anonymization pattern `(uavsluttet`",
        ),
        (
            "[translations]\nsearch = \"Finn\"\nserch = \"Let\"\n",
            "3:9",
            "unknown UI string `serch` in [translations]: did you mean `search`?",
        ),
        (
            "[brand]\naccent = \"#ccc\"\n",
            "2:10",
            "`[brand] accent` = `#ccc` has a contrast of",
        ),
    ];
    for (settings, at, says) in cases {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("content")).unwrap();
        std::fs::write(
            tmp.path().join("site.toml"),
            format!("title = \"x\"\n{settings}"),
        )
        .unwrap();
        let o = run(&["check", "--root", tmp.path().to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{settings}");
        let err = stderr(&o);
        // The line numbers above count the title's line too.
        let (line, col) = at.split_once(':').unwrap();
        let line = line.parse::<usize>().unwrap() + 1;
        assert!(
            err.starts_with(&format!("site.toml:{line}:{col}: error: {says}")),
            "{settings}\n{err}"
        );
    }
}

/// `base_url` is a path from the server's root or an http(s) address: in
/// site.toml anything else is an error at its value, given as
/// `--base-url` a usage error, and nothing is built either way.
#[test]
fn a_base_url_without_a_scheme_or_a_leading_slash_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    assert!(run(&["init", root.to_str().unwrap()]).status.success());
    let r = root.to_str().unwrap();
    for url in ["intra.example/opplaering", "ftp://x/"] {
        let o = run(&["build", "--root", r, "--base-url", url]);
        assert_eq!(o.status.code(), Some(2), "{url}: {}", stderr(&o));
        assert!(
            stderr(&o).starts_with(&format!(
                "error: --base-url `{url}` needs to be a path from the server's root, `/path/`"
            )) && stderr(&o).contains("`http(s)://host/…`"),
            "{url}: {}",
            stderr(&o)
        );
        assert!(!root.join("public").exists(), "{url}");
    }
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    assert!(toml.contains("base_url = \"/\"\n"), "{toml}");
    std::fs::write(
        root.join("site.toml"),
        toml.replace("base_url = \"/\"", "base_url = \"opplaering\""),
    )
    .unwrap();
    let line = 1 + toml
        .lines()
        .position(|l| l.starts_with("base_url"))
        .unwrap();
    for cmd in ["build", "check"] {
        let o = run(&[cmd, "--root", r]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).starts_with(&format!(
                "site.toml:{line}:12: error: `base_url` = `opplaering` needs to be a path"
            )),
            "{}",
            stderr(&o)
        );
    }
    assert!(!root.join("public").exists());
}

#[test]
fn broken_site_toml_names_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("content")).unwrap();
    std::fs::write(
        tmp.path().join("site.toml"),
        "title = \"x\"\n\n[serch]\nenabled = true\n",
    )
    .unwrap();
    let o = run(&["check", "--root", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with("site.toml:3:"), "{err}");
    assert!(err.contains("did you mean `search`"), "{err}");
    // Front matter's `extra:` is no place in site.toml.
    assert!(!err.contains("extra"), "{err}");
}

#[test]
fn the_bundled_sample_site_builds_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = run(&[
        "build",
        "--root",
        manifest_dir().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).trim().is_empty(),
        "the sample site has warnings:\n{}",
        stderr(&o)
    );
}

#[test]
fn placeholder_text_from_vinn_new_is_a_warning_at_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    assert!(run(&["init", root.to_str().unwrap()]).status.success());
    let r = root.to_str().unwrap();
    for (kind, title) in [
        ("article", "Verdi i første møte"),
        ("checklist", "Før intervjuet"),
    ] {
        assert!(run(&["new", kind, title, "--root", r]).status.success());
    }
    let o = run(&["build", "--root", r]);
    // A warning, not an error: the page still builds.
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let warned: Vec<&str> = err
        .lines()
        .filter(|l| l.contains(": warning: still the placeholder"))
        .map(|l| l.split(": warning: ").next().unwrap())
        .collect();
    // Each at the line that holds it in the file `vinn new` wrote.
    let article =
        std::fs::read_to_string(root.join("content/artikler/verdi-i-forste-mote.md")).unwrap();
    let line_of = |text: &str, needle: &str| 1 + text.lines().position(|l| l == needle).unwrap();
    let checklist =
        std::fs::read_to_string(root.join("content/sjekklister/for-intervjuet.md")).unwrap();
    let expect = vec![
        format!(
            "content/artikler/verdi-i-forste-mote.md:{}:1",
            line_of(&article, "Skriv ingressen her: hva skal leseren lære?")
        ),
        format!(
            "content/sjekklister/for-intervjuet.md:{}:1",
            line_of(&checklist, "Når skal sjekklisten brukes, og av hvem?")
        ),
        format!(
            "content/sjekklister/for-intervjuet.md:{}:1",
            line_of(&checklist, "- [ ] Første punkt")
        ),
        format!(
            "content/sjekklister/for-intervjuet.md:{}:1",
            line_of(&checklist, "- [ ] Andre punkt")
        ),
    ];
    assert_eq!(warned, expect, "{err}");
    // The summary counts them.
    let summary = |o: &std::process::Output| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .last()
            .unwrap_or("")
            .to_string()
    };
    let built = summary(&o);
    assert!(
        built.starts_with("Built ") && built.ends_with(" ms (4 warnings)"),
        "{built}"
    );
    let o = run(&["check", "--root", r]);
    assert!(o.status.success(), "{}", stderr(&o));
    let checked = summary(&o);
    assert!(checked.starts_with("No errors, 4 warnings: "), "{checked}");
    // Written over, the warnings are gone.
    std::fs::write(
        root.join("content/artikler/verdi-i-forste-mote.md"),
        article.replace(
            "Skriv ingressen her: hva skal leseren lære?",
            "Kunden kjøper verdi, ikke timer.",
        ),
    )
    .unwrap();
    std::fs::remove_file(root.join("content/sjekklister/for-intervjuet.md")).unwrap();
    let o = run(&["build", "--root", r]);
    assert!(o.status.success());
    assert!(!stderr(&o).contains("placeholder"), "{}", stderr(&o));
    assert!(summary(&o).ends_with(" ms"), "{}", summary(&o));
    let o = run(&["check", "--root", r]);
    assert!(summary(&o).starts_with("No errors: "), "{}", summary(&o));
}

#[test]
fn in_github_actions_each_problem_is_an_annotation_on_its_line() {
    let workspace = tempfile::tempdir().unwrap();
    let root = workspace.path().join("opplaering");
    assert!(run(&["init", root.to_str().unwrap()]).status.success());
    let r = root.to_str().unwrap();
    assert!(
        run(&["new", "article", "Verdi", "--root", r])
            .status
            .success()
    );
    std::fs::write(
        root.join("content/artikler/lenke.md"),
        "---\ntitle: Lenke\n---\n\nSe [her](finnes-ikke.md) og [der](rabatt-50%25.md).\n",
    )
    .unwrap();
    let github = |args: &[&str]| {
        vinn()
            .args(args)
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_WORKSPACE", workspace.path())
            .output()
            .unwrap()
    };
    let o = github(&["check", "--root", r]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let annotations: Vec<&str> = out.lines().filter(|l| l.starts_with("::")).collect();
    // Named from the repository's root, at the problem's line; the usual
    // lines still go to stderr.
    assert!(
        annotations.iter().any(|l| l
            .starts_with("::error file=opplaering/content/artikler/lenke.md,line=5,col=")
            && l.contains("finnes-ikke.md")),
        "{out}"
    );
    assert!(stderr(&o).contains("content/artikler/lenke.md:5:"));
    // A `%` in a message is escaped (GitHub reads `%25` as `%`): the
    // link's `%25` is the file name `rabatt-50%.md`.
    assert!(
        annotations.iter().any(|l| l.contains("`rabatt-50%25.md`")),
        "{out}"
    );
    // A warning is a warning.
    std::fs::remove_file(root.join("content/artikler/lenke.md")).unwrap();
    std::fs::write(
        root.join("content/artikler/verdi.md"),
        std::fs::read_to_string(root.join("content/artikler/verdi.md"))
            .unwrap()
            .replace("## Hovedpoeng", "## Hovedpoeng\n\nVi var sikre."),
    )
    .unwrap();
    let o = github(&["build", "--root", r]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let warning = out
        .lines()
        .find(|l| l.starts_with("::warning file=opplaering/content/artikler/verdi.md,line="))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(warning.contains("::still the placeholder"), "{warning}");
    // Outside GitHub Actions, stdout holds no annotations.
    let o = run(&["build", "--root", r]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("::warning"));
}

/// Without `--section`, a page goes to the site's folder for its kind:
/// the language's (`checklists/` on an English site) where it exists, or
/// a section whose pages get that kind.
#[test]
fn new_finds_the_folder_for_its_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    assert!(run(&["init", root.to_str().unwrap()]).status.success());
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        toml.replace("language = \"nb\"", "language = \"en\""),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content/checklists")).unwrap();
    std::fs::create_dir_all(root.join("content/stories")).unwrap();
    std::fs::write(
        root.join("content/stories/_index.md"),
        "---\ntitle: Stories\nkind: case\n---\n",
    )
    .unwrap();
    let new = |kind: &str, title: &str| {
        let o = run(&["new", kind, title, "--root", root.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    new("checklist", "Before the meeting");
    let page = root.join("content/checklists/before-the-meeting.md");
    // In the site's language, its lines to write over found as in Norwegian.
    let text = std::fs::read_to_string(&page).unwrap();
    assert!(
        text.contains("- [ ] First item") && !text.contains("Første"),
        "{text}"
    );
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert!(
        stderr(&o).lines().any(
            |l| l.starts_with("content/checklists/before-the-meeting.md:") && l.contains("warning")
        ),
        "{}",
        stderr(&o)
    );
    new("case", "Lost on price");
    assert!(root.join("content/stories/lost-on-price.md").is_file());
}
