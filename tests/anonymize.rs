//! The anonymization guard through the whole build: planted identifiers in
//! body and front matter are each reported at their line; a clean corpus of
//! realistic case studies passes.

mod common;
use common::*;
use std::collections::BTreeSet;
use vinn::checks::anonymize::FindingKind;

const SITE_TOML: &str = r#"title = "Anonymiseringstest"
[sections]
case = { kind = "case" }
[anonymization]
deny_list = "navn.txt"
allow = ["Fjellheim Skisenter"]
patterns = ['KUNDE-\d{4}']
"#;

fn site_from(corpus: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/case")).unwrap();
    std::fs::write(root.join("site.toml"), SITE_TOML).unwrap();
    let src = fixture("anon").join(corpus);
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        if name.ends_with(".md") {
            std::fs::copy(e.path(), root.join("content/case").join(&name)).unwrap();
        }
    }
    let deny = src.join("navn.txt");
    if deny.is_file() {
        std::fs::copy(deny, root.join("navn.txt")).unwrap();
    } else {
        std::fs::copy(fixture("anon/planted/navn.txt"), root.join("navn.txt")).unwrap();
    }
    dir
}

/// A clean case site with the documents `names` (from the document
/// fixtures) in `content/case/`, and the stderr of a `check` that must
/// fail.
fn check_with_documents(names: &[&str]) -> (tempfile::TempDir, String) {
    let site = site_from("clean");
    let docs = fixture("anon").join("documents");
    for name in names {
        let to = site.path().join("content/case").join(name);
        std::fs::copy(docs.join(name), to).unwrap();
    }
    let err = failing_check(site.path());
    (site, err)
}

/// The first warning line of `err`, which must have one.
fn first_warning(err: &str) -> &str {
    err.lines()
        .find(|l| l.contains(": warning: "))
        .unwrap_or_else(|| panic!("no warning in {err}"))
}

/// The lines of `err` of the severity `kind` (`"error"`, `"warning"`).
fn lines_of<'a>(err: &'a str, kind: &str) -> Vec<&'a str> {
    let marker = format!(": {kind}: ");
    err.lines().filter(|l| l.contains(&marker)).collect()
}

/// The stderr of `vinn check` on the site at `root`, which must fail.
fn failing_check(root: &std::path::Path) -> String {
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    stderr(&o)
}

/// Removes the case files `removed` from the site at `root`, builds it,
/// and checks that the files `published` went out with it.
fn publishes_without(root: &std::path::Path, removed: &[&str], published: &[&str]) {
    for name in removed {
        std::fs::remove_file(root.join("content/case").join(name)).unwrap();
    }
    let out = root.join("public");
    let o = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = file_names_under(&out);
    for name in published {
        assert!(files.iter().any(|p| p == name), "{name} not in {files:?}");
    }
}

/// Puts the guard on every page (`scope = "all"`) and checks that the
/// site then fails, its first error on `file`.
fn fails_first_on_with_scope_all(root: &std::path::Path, file: &str) {
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        config.replace("[anonymization]\n", "[anonymization]\nscope = \"all\"\n"),
    )
    .unwrap();
    let err = failing_check(root);
    assert!(err.starts_with(&format!("{file}:")), "{err}");
}

/// Each error line of `err` as (`path:line:col`, what was found).
fn errors_at(err: &str) -> BTreeSet<(String, String)> {
    err.lines()
        .filter_map(|l| l.split_once(": error: "))
        .map(|(at, message)| {
            let kind = message.split(" `").next().unwrap().to_string();
            (at.to_string(), kind)
        })
        .collect()
}

/// What [`errors_at`] gives for findings of the kinds named (`"Email"`).
fn found(places: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    places
        .iter()
        .map(|(at, kind)| (at.to_string(), kind_text(kind).to_string()))
        .collect()
}

fn kind_text(name: &str) -> &'static str {
    FindingKind::ALL
        .iter()
        .find(|k| format!("{k:?}") == name)
        .unwrap_or_else(|| panic!("unknown kind {name}"))
        .describe(false)
}

#[test]
fn every_planted_identifier_is_reported_at_its_line() {
    let site = site_from("planted");
    let o = run(&[
        "check",
        "--verbose",
        "--root",
        site.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);

    let expected_text = std::fs::read_to_string(fixture("anon/planted/EXPECTED.txt")).unwrap();
    let mut expected_errors = BTreeSet::new();
    let mut expected_allowed = BTreeSet::new();
    for l in expected_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let parts: Vec<&str> = l.split(':').collect();
        let key = (
            format!("content/case/{}", parts[0]),
            parts[1].parse::<usize>().unwrap(),
            kind_text(parts[2]),
        );
        if parts.get(3) == Some(&"allowed") {
            expected_allowed.insert(key);
        } else {
            expected_errors.insert(key);
        }
    }
    let parse = |marker: &str| -> BTreeSet<(String, usize, &'static str)> {
        err.lines()
            .filter(|l| l.contains(marker))
            .map(|l| {
                let parts: Vec<&str> = l.splitn(4, ':').collect();
                let rest = parts[3];
                let kind = FindingKind::ALL
                    .iter()
                    .map(|k| k.describe(false))
                    .filter(|d| {
                        rest.contains(&format!("{} {d} `", marker.trim_start_matches(" note:")))
                    })
                    .max_by_key(|d| d.len())
                    .unwrap_or_else(|| panic!("no kind in {l}"));
                (parts[0].to_string(), parts[1].parse().unwrap(), kind)
            })
            .collect()
    };
    let found_errors = parse(" error:");
    let found_allowed = parse(" note: allowed:");
    let missing: Vec<_> = expected_errors.difference(&found_errors).collect();
    let extra: Vec<_> = found_errors.difference(&expected_errors).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nextra: {extra:#?}"
    );
    assert_eq!(
        found_allowed, expected_allowed,
        "allowed findings shown by --verbose"
    );
    // The matched text is masked in the message except its first character.
    for l in err.lines().filter(|l| l.contains(" error: ")) {
        let masked = l.split('`').nth(1).unwrap();
        assert!(
            masked.chars().skip(1).all(|c| c == '•' || c == ' '),
            "unmasked: {l}"
        );
    }
}

#[test]
fn realistic_clean_case_studies_pass() {
    let site = site_from("clean");
    let o = run(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_contact_line_fails_the_build_and_says_what_to_do() {
    let site = site_from("clean");
    let root = site.path();
    let file = root.join("content/case/tapt-pris-industri.md");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\nKontakt: innkjøpssjefen, tlf. 917 23 456, post@eksempel.no\n");
    let line = text.lines().count();
    std::fs::write(&file, text).unwrap();
    let out = root.join("public");
    let o = run(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let prefix = format!("content/case/tapt-pris-industri.md:{line}:");
    let ours: Vec<&str> = err.lines().filter(|l| l.starts_with(&prefix)).collect();
    assert_eq!(ours.len(), 2, "{err}");
    assert!(ours.iter().any(|l| l.contains("phone number `9")), "{err}");
    assert!(
        ours.iter().any(|l| l.contains("e-mail address `p")),
        "{err}"
    );
    assert!(ours.iter().all(|l| l.contains("remove")), "{err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn flipping_the_flag_does_not_bypass_the_patterns() {
    let site = site_from("clean");
    let root = site.path();
    let file = root.join("content/case/tapt-pris-industri.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("anonymized: true"));
    std::fs::write(&file, format!("{text}\nRing 22 33 44 55.\n")).unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("phone number"));
}

#[test]
fn a_case_that_fails_to_load_is_still_scanned_in_the_same_run() {
    let site = site_from("clean");
    let root = site.path();
    let file = root.join("content/case/tapt-pris-industri.md");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("anonymized: true", "anonymized: false");
    let text = format!("{text}\nRing 22 33 44 55.\n");
    let line = text.lines().count();
    std::fs::write(&file, text).unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let ours: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("content/case/tapt-pris-industri.md:"))
        .collect();
    // The flag and the phone number, both in this one run.
    assert!(
        ours.iter().any(|l| l.contains("anonymized")),
        "the flag is reported: {err}"
    );
    assert!(
        ours.iter().any(
            |l| l.starts_with(&format!("content/case/tapt-pris-industri.md:{line}:"))
                && l.contains("phone number")
        ),
        "the phone number is reported at its line: {err}"
    );
}

/// A guard that cannot be made (a deny list that is not there, a pattern
/// that does not compile) fails the build with an error on `site.toml`,
/// and leaves the previous output as it was.
#[test]
fn a_guard_that_cannot_be_made_fails_the_build() {
    let site = site_from("clean");
    let root = site.path();
    let out = root.join("public");
    let root_s = root.to_str().unwrap();
    let ok = run(&["build", "--root", root_s]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let before = std::fs::read(out.join("index.html")).unwrap();

    let broken = [
        (
            SITE_TOML.replace("navn.txt", "mangler.txt"),
            "cannot read the anonymization deny list `mangler.txt`",
        ),
        (
            SITE_TOML.replace(r"'KUNDE-\d{4}'", "'KUNDE-(\\d'"),
            "anonymization pattern",
        ),
    ];
    for (toml, message) in broken {
        std::fs::write(root.join("site.toml"), &toml).unwrap();
        let o = run(&["build", "--root", root_s]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        let line = err
            .lines()
            .find(|l| l.contains(message))
            .unwrap_or_else(|| panic!("no `{message}` in:\n{err}"));
        assert!(line.contains("site.toml"), "{line}");
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), before);
    }
}

#[test]
fn allow_markers_and_notes_in_comments_are_not_published() {
    let site = site_from("clean");
    let root = site.path();
    let case = std::fs::read_dir(root.join("content/case"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .unwrap();
    let text = std::fs::read_to_string(&case).unwrap()
        + "\n<!-- Notat: ring innkjøpssjefen i mars -->\n\nSkisenteret <!-- vinn:allow \"Fjellheim Skisenter\" --> var med.\n";
    std::fs::write(&case, text).unwrap();
    let out = root.join("public");
    let o = build_output(root, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !e.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(e.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["vinn:allow", "ring innkjøpssjefen"] {
            assert!(!text.contains(secret), "{secret} in {}", e.path().display());
        }
        pages += usize::from(text.contains("var med."));
    }
    assert!(pages >= 1, "the sentence around the marker is published");
}

/// A JPEG of no pixels whose EXIF block holds a GPS latitude: a TIFF
/// structure (little-endian) with IFD0 pointing at a GPS directory.
fn jpeg_with_gps() -> Vec<u8> {
    let mut tiff = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes()); // IFD0 at 8
    tiff.extend(1u16.to_le_bytes()); // one entry: GPSInfo → 26
    tiff.extend([0x25, 0x88, 4, 0, 1, 0, 0, 0, 26, 0, 0, 0]);
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes()); // GPS directory: GPSLatitude
    tiff.extend([0x02, 0x00, 5, 0, 3, 0, 0, 0, 0, 0, 0, 0]);
    tiff.extend(0u32.to_le_bytes());
    jpeg_around(&tiff)
}

/// A JPEG of no pixels with `tiff` as its EXIF block.
fn jpeg_around(tiff: &[u8]) -> Vec<u8> {
    let mut jpeg = vec![0xff, 0xd8, 0xff, 0xe1];
    jpeg.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
    jpeg.extend(b"Exif\0\0");
    jpeg.extend(tiff);
    jpeg.extend([0xff, 0xda, 0, 2, 0xff, 0xd9]);
    jpeg
}

/// A JPEG of no pixels whose EXIF block names `artist` (little-endian,
/// IFD0's one entry pointing at the text after it).
fn jpeg_by(artist: &str) -> Vec<u8> {
    let mut text = artist.as_bytes().to_vec();
    text.push(0);
    let mut tiff = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes()); // IFD0 at 8
    tiff.extend(1u16.to_le_bytes()); // one entry: Artist → 26
    tiff.extend([0x3b, 0x01, 2, 0]);
    tiff.extend((text.len() as u32).to_le_bytes());
    tiff.extend(26u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(text);
    jpeg_around(&tiff)
}

#[test]
fn a_photo_credited_to_the_publisher_can_be_allowed() {
    // The company's own photo, its `Artist` the publisher; a site visit's,
    // the photographer's name.
    let site = site_from("clean");
    let root = site.path();
    std::fs::write(
        root.join("content/case/lager.jpg"),
        jpeg_by("Grossisten AS"),
    )
    .unwrap();
    std::fs::write(
        root.join("content/case/befaring.jpg"),
        jpeg_by("Kari Nordmann"),
    )
    .unwrap();
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        config.replace(
            "allow = [\"Fjellheim Skisenter\"]",
            "allow = [\"Fjellheim Skisenter\", \"Grossisten\"]",
        ),
    )
    .unwrap();
    let o = run(&["check", "--verbose", "--root", root.to_str().unwrap()]);
    let err = stderr(&o);
    let errors: Vec<&str> = lines_of(&err, "error");
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].starts_with(
            "content/case/befaring.jpg:1:1: error: the image names a person in its metadata field `Artist`"
        ),
        "{err}"
    );
    assert!(
        err.lines().any(|l| l.starts_with(
            "content/case/lager.jpg:1:1: note: allowed: `Artist` `G••••••••• ••` in the image's metadata (allow entry \"Grossisten\" in site.toml)"
        )),
        "{err}"
    );
}

#[test]
fn a_case_photo_that_tells_where_it_was_taken_fails_the_build() {
    let site = site_from("clean");
    let root = site.path();
    let photo = root.join("content/case/befaring.jpg");
    std::fs::write(&photo, jpeg_with_gps()).unwrap();
    // Beside an article, out of the guard's scope (cases), it is published.
    std::fs::create_dir_all(root.join("content/artikler")).unwrap();
    std::fs::write(root.join("content/artikler/befaring.jpg"), jpeg_with_gps()).unwrap();
    let err = failing_check(root);
    let lines: Vec<&str> = lines_of(&err, "error");
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].starts_with("content/case/befaring.jpg:"), "{err}");
    assert!(lines[0].contains("GPS position"), "{err}");
    assert!(
        lines[0].contains("exiftool -overwrite_original -gps:all= content/case/befaring.jpg"),
        "{err}"
    );
    // The same photo without its EXIF block passes.
    std::fs::write(&photo, [0xff, 0xd8, 0xff, 0xda, 0, 2, 0xff, 0xd9]).unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Whatever the ending says (`.tiff`, in capitals), the bytes are read.
    let tiff = root.join("content/case/kart.TIFF");
    std::fs::write(&tiff, jpeg_with_gps()).unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert!(
        stderr(&o).starts_with("content/case/kart.TIFF:"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_file(tiff).unwrap();
    // With the guard on everything, the article's photo is checked too.
    fails_first_on_with_scope_all(root, "content/artikler/befaring.jpg");
}

#[test]
fn a_case_document_that_names_its_author_fails_the_build() {
    let site = site_from("clean");
    let root = site.path();
    let docs = fixture("anon").join("documents");
    let attach = |name: &str, to: &str| {
        std::fs::create_dir_all(root.join(to)).unwrap();
        std::fs::copy(docs.join(name), root.join(to).join(name)).unwrap();
    };
    for name in [
        "tilbud.pdf",
        "tilbud-exiftool.pdf",
        "tilbud-renset.pdf",
        "evaluering.docx",
        "evaluering-renset.docx",
        "referat.odt",
    ] {
        attach(name, "content/case");
    }
    std::fs::write(root.join("content/case/gammel.doc"), b"\xd0\xcf\x11\xe0").unwrap();
    // A password-protected Word file is a ciphered container, not a zip.
    std::fs::write(
        root.join("content/case/laast.docx"),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    )
    .unwrap();
    // Beside an article, out of the guard's scope (cases), it is published.
    attach("evaluering.docx", "content/artikler");
    let err = failing_check(root);
    // Each file's error names what it found: the properties naming
    // someone in one message, comments in another.
    let errors: BTreeSet<(String, String)> = err
        .lines()
        .filter_map(|l| l.split_once(": error: "))
        .map(|(at, message)| {
            let file = at.split(':').next().unwrap().to_string();
            let what = if message.contains("holds comments") {
                "comments".to_string()
            } else {
                let fields = message.split_once(" (`").unwrap().1;
                fields.split_once("):").unwrap().0.replace('`', "")
            };
            (file, what)
        })
        .collect();
    let expect: BTreeSet<(String, String)> = [
        // The author in qpdf's compressed object stream.
        ("content/case/tilbud.pdf", "/Author"),
        // exiftool's removal left the old dictionary in the file.
        ("content/case/tilbud-exiftool.pdf", "/Author"),
        (
            "content/case/evaluering.docx",
            "Company, cp:lastModifiedBy, dc:creator",
        ),
        ("content/case/evaluering.docx", "comments"),
        ("content/case/referat.odt", "meta:initial-creator"),
    ]
    .iter()
    .map(|(f, w)| (f.to_string(), w.to_string()))
    .collect();
    assert_eq!(errors, expect, "{err}");
    assert!(
        err.contains("qpdf --empty --pages content/case/tilbud-exiftool.pdf -- renset.pdf"),
        "{err}"
    );
    assert!(err.contains("Inspect Document"), "{err}");
    // The format the guard cannot read is named, as a warning.
    let warning = first_warning(&err);
    assert!(
        warning.starts_with("content/case/gammel.doc:") && warning.contains("`.docx`"),
        "{warning}"
    );
    let locked = err
        .lines()
        .find(|l| l.starts_with("content/case/laast.docx:"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        locked.contains(": warning: ") && locked.contains("password-protected"),
        "{locked}"
    );
    // Without the files that name someone, the case builds and publishes
    // the cleaned ones.
    publishes_without(
        root,
        &[
            "tilbud.pdf",
            "tilbud-exiftool.pdf",
            "evaluering.docx",
            "referat.odt",
        ],
        &["tilbud-renset.pdf", "evaluering-renset.docx"],
    );
    // With the guard on everything, the article's document is checked too.
    fails_first_on_with_scope_all(root, "content/artikler/evaluering.docx");
}

#[test]
fn a_case_text_file_is_read_as_its_pages_are() {
    let site = site_from("clean");
    let root = site.path();
    let case = root.join("content/case");
    // A contact list exported beside the case, a diagram naming the
    // customer, a vCard; each finding at its line.
    std::fs::write(
        case.join("kontakter.csv"),
        "rolle;e-post\nInnkjøpssjef;kari.nordmann@kunde.no\n",
    )
    .unwrap();
    std::fs::write(
        case.join("prosess.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<text x=\"4\" y=\"20\">Behov</text>\n<text x=\"4\" y=\"40\">Kvitfjell Byggevarer</text>\n</svg>\n",
    )
    .unwrap();
    std::fs::write(
        case.join("kontakt.vcf"),
        "BEGIN:VCARD\nVERSION:3.0\nFN:Kontakt\nTEL:+47 912 34 567\nEND:VCARD\n",
    )
    .unwrap();
    std::fs::write(case.join("notat.txt"), "Beslutningen tas av styret.\n").unwrap();
    // The same list beside an article is out of the guard's scope.
    std::fs::create_dir_all(root.join("content/artikler")).unwrap();
    std::fs::write(
        root.join("content/artikler/kontakter.csv"),
        "rolle;e-post\nInnkjøpssjef;kari.nordmann@kunde.no\n",
    )
    .unwrap();
    let err = failing_check(root);
    let at = errors_at(&err);
    let expect = found(&[
        ("content/case/kontakter.csv:2:14", "Email"),
        ("content/case/prosess.svg:3:20", "DeniedName"),
        ("content/case/kontakt.vcf:4:5", "Phone"),
    ]);
    assert_eq!(at, expect, "{err}");
    // Reviewed as not personal, through site.toml's allow list, it passes.
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        config.replace(
            "allow = [\"Fjellheim Skisenter\"]",
            "allow = [\"Fjellheim Skisenter\", \"kari.nordmann@kunde.no\", \"Kvitfjell Byggevarer\", \"+47 912 34 567\"]",
        ),
    )
    .unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_case_document_that_names_the_customer_in_its_text_fails_the_build() {
    let (_site, err) =
        check_with_documents(&["tilbudsbrev.docx", "brev.pdf", "evaluering-renset.docx"]);
    let at = errors_at(&err);
    // Lines are paragraphs: the letter's second, split over three runs;
    // its header's address (after the body). The PDF's subject is named
    // as the place.
    let expect = found(&[
        ("content/case/tilbudsbrev.docx:2:11", "DeniedName"),
        ("content/case/tilbudsbrev.docx:4:10", "Email"),
        ("content/case/brev.pdf:1:1", "DeniedName"),
    ]);
    assert_eq!(at, expect, "{err}");
    // A document's text takes no inline marker: only an allow entry.
    for line in err.lines().filter(|l| l.contains(": error: ")) {
        assert!(line.ends_with("add an allow entry in site.toml)"), "{line}");
    }
    assert!(
        err.lines()
            .any(|l| l.starts_with("content/case/brev.pdf:1:1: error: ")
                && l.contains("in a case study (its subject): ")),
        "{err}"
    );
}

#[test]
fn the_text_on_a_case_pdfs_pages_is_read() {
    let site = site_from("clean");
    let root = site.path();
    let docs = fixture("anon").join("documents");
    let names = [
        // Printed from Chromium: the customer and a person on page 2.
        "sluttrapport.pdf",
        "sluttrapport-renset.pdf",
        // Ghostscript's simple fonts: a customer on page 1.
        "notat.pdf",
        // A note naming a customer, and its author's name.
        "kommentert.pdf",
        "kommentert-renset.pdf",
        // Glyph numbers without a map to letters.
        "uten-tegnkart.pdf",
    ];
    for name in names {
        std::fs::copy(docs.join(name), root.join("content/case").join(name)).unwrap();
    }
    let err = failing_check(root);
    // A page's findings carry its number as the line, and say so.
    let expect = found(&[
        ("content/case/sluttrapport.pdf:2:1", "DeniedName"),
        ("content/case/sluttrapport.pdf:2:1", "PersonName"),
        ("content/case/notat.pdf:1:1", "DeniedName"),
        ("content/case/kommentert.pdf:1:1", "DeniedName"),
    ]);
    let in_text: BTreeSet<(String, String)> = errors_at(&err)
        .into_iter()
        .filter(|(_, kind)| !kind.starts_with("the PDF holds comments"))
        .collect();
    assert_eq!(in_text, expect, "{err}");
    for line in err.lines().filter(|l| l.contains(" in a case study (")) {
        let (at, _) = line.split_once(": error: ").unwrap();
        let page = at.split(':').nth(1).unwrap();
        assert!(
            line.contains(&format!("in a case study (page {page}): ")),
            "{line}"
        );
        // No inline marker can go into a PDF: only an allow entry can.
        assert!(
            line.ends_with(
                "(if it is not personal or customer data, add an allow entry in site.toml)"
            ),
            "{line}"
        );
    }
    // The comment's author: an error with qpdf's line that removes it.
    let comments = err
        .lines()
        .find(|l| l.contains("the PDF holds comments"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        comments.starts_with("content/case/kommentert.pdf:")
            && comments
                .contains("qpdf --flatten-annotations=all content/case/kommentert.pdf renset.pdf"),
        "{comments}"
    );
    let warning = first_warning(&err);
    assert!(
        warning.starts_with("content/case/uten-tegnkart.pdf:1:1: warning: ")
            && warning.contains("the text on page 1 of this PDF"),
        "{warning}"
    );
    // What the tools left after the advice is clean, and published.
    publishes_without(
        root,
        &["sluttrapport.pdf", "notat.pdf", "kommentert.pdf"],
        &["sluttrapport-renset.pdf", "kommentert-renset.pdf"],
    );
}

#[test]
fn photos_inside_a_case_document_are_read_for_gps_and_names() {
    // A photo with its position and photographer, in a report printed
    // from Chromium (which embeds the JPEG file as it is) and in a Word
    // file.
    let (_site, err) = check_with_documents(&["befaring.pdf", "befaring.docx"]);
    let photos: BTreeSet<(String, String)> = err
        .lines()
        .filter_map(|l| l.split_once(": error: a photo in the document "))
        .map(|(at, what)| (at.to_string(), what.split_once(':').unwrap().0.to_string()))
        .collect();
    let mut expect = BTreeSet::new();
    for file in ["befaring.pdf", "befaring.docx"] {
        for what in [
            "carries the GPS position where it was taken (EXIF)",
            "names a person in its metadata field `Artist`",
        ] {
            expect.insert((format!("content/case/{file}:1:1"), what.to_string()));
        }
    }
    assert_eq!(photos, expect, "{err}");
    assert_eq!(err.matches(": error: ").count(), 4, "{err}");
    assert!(
        err.contains("`exiftool -overwrite_original -gps:all= foto.jpg`"),
        "{err}"
    );
}

#[test]
fn files_attached_to_a_case_document_are_read_too() {
    // A contact list attached to a PDF by qpdf, and a spreadsheet embedded
    // in a Word file naming its author and the customer.
    let (_site, err) = check_with_documents(&["vedlegg.pdf", "med-regneark.docx"]);
    let sheet = "its attachment `Microsoft_Excel_Worksheet.xlsx`";
    let mut expect = found(&[
        ("content/case/med-regneark.docx:1:1", "DeniedName"),
        ("content/case/vedlegg.pdf:1:1", "DeniedName"),
        ("content/case/vedlegg.pdf:1:1", "Email"),
    ]);
    // (The spreadsheet's properties: a message that starts by naming it.)
    expect.insert((
        "content/case/med-regneark.docx:1:1".to_string(),
        "its attachment".to_string(),
    ));
    assert_eq!(errors_at(&err), expect, "{err}");
    // Each names the file inside, and what it found there.
    assert!(
        err.contains(&format!(
            "{sheet}: the document names its author or company in its properties (`dc:creator`)"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("in a case study ({sheet}): ")),
        "{err}"
    );
    assert!(
        err.contains("in a case study (its attachment `kontakter.csv`): "),
        "{err}"
    );
}

#[test]
fn a_customer_named_in_an_address_fails_the_build() {
    let site = site_from("clean");
    let root = site.path();
    let case = root.join("content/case");
    let page = std::fs::read_to_string(case.join("tapt-pris-industri.md")).unwrap();
    // The file's name gives the address.
    std::fs::write(case.join("kvitfjell-byggevarer-tapt.md"), &page).unwrap();
    // A folder named without Norwegian letters; an alias naming a
    // customer.
    std::fs::create_dir_all(case.join("ostvik-logistikk")).unwrap();
    std::fs::write(
        case.join("ostvik-logistikk/notat.md"),
        page.replacen("---\n", "---\naliases: [/kunder/brattli-maskin/]\n", 1),
    )
    .unwrap();
    // Tags are addresses (`stikkord/…/`); a name written as a compound.
    let tagged = page.replacen(
        "tags: [tapsanalyse, pris]",
        "tags: [tapsanalyse, ostvik_logistikk, kari-hansen]",
        1,
    ) + "\nVi tapte hos Østvik-Logistikk.\n";
    // (The text finds `ostvik_logistikk` where it stands; `kari-hansen`
    // reads as a person only as an address.)
    let tagged_line = tagged.lines().position(|l| l.starts_with("tags:")).unwrap() + 1;
    let body_line = tagged.lines().count();
    std::fs::write(case.join("tagget.md"), &tagged).unwrap();
    // A file of a case, named after the customer.
    std::fs::copy(
        fixture("anon/documents/tilbud-renset.pdf"),
        case.join("Fjellheim_tilbud.pdf"),
    )
    .unwrap();
    // A file named after the person interviewed.
    std::fs::write(
        case.join("tapsintervju-kari-hansen.txt"),
        "Notater fra intervjuet.\n",
    )
    .unwrap();
    // An article's address is out of the guard's default scope.
    std::fs::create_dir_all(root.join("content/artikler")).unwrap();
    std::fs::write(
        root.join("content/artikler/fjellheim.md"),
        "---\ntitle: Om fjellet\n---\nTekst.\n",
    )
    .unwrap();
    let err = failing_check(root);
    let errors: BTreeSet<(String, String)> = err
        .lines()
        .filter_map(|l| l.split_once(": error: "))
        .map(|(at, m)| {
            (
                at.to_string(),
                m.split_once(": ")
                    .unwrap_or_else(|| panic!("{m}"))
                    .0
                    .to_string(),
            )
        })
        .collect();
    let denied = kind_text("DeniedName");
    let expect: BTreeSet<(String, String)> = [
        (
            "content/case/kvitfjell-byggevarer-tapt.md:1:1",
            format!("{denied} `k•••••••• ••••••••••` in the address of a case study (its file or folder name)"),
        ),
        (
            "content/case/ostvik-logistikk/notat.md:1:1",
            format!("{denied} `o••••• •••••••••` in the address of a case study (its file or folder name)"),
        ),
        (
            "content/case/ostvik-logistikk/notat.md:2:19",
            format!("{denied} `b•••••••••••••` in a case study"),
        ),
        (
            &format!("content/case/tagget.md:{tagged_line}:21"),
            format!("{denied} `o•••••••••••••••` in a case study"),
        ),
        (
            &format!("content/case/tagget.md:{tagged_line}:1"),
            format!(
                "{} `k••• ••••••` in the `tags` of a case study",
                kind_text("PersonName")
            ),
        ),
        (
            &format!("content/case/tagget.md:{body_line}:14"),
            format!("{denied} `Ø•••••••••••••••` in a case study"),
        ),
        (
            "content/case/Fjellheim_tilbud.pdf:1:1",
            format!("{denied} `F••••••••` in the name of a file of a case study"),
        ),
        (
            "content/case/tapsintervju-kari-hansen.txt:1:1",
            format!(
                "{} `k••• ••••••` in the name of a file of a case study",
                kind_text("PersonName")
            ),
        ),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b))
    .collect();
    assert_eq!(errors, expect, "{err}");
}

#[test]
fn a_restricted_case_pdf_is_opened_and_read() {
    // Encrypted with an owner password alone (AES-256): the report naming
    // the customer and a person, the offer naming its author. And one with
    // a user password, which cannot be opened.
    let (_site, err) =
        check_with_documents(&["begrenset.pdf", "tilbud-begrenset.pdf", "passord.pdf"]);
    let mut expect = found(&[
        ("content/case/begrenset.pdf:2:1", "DeniedName"),
        ("content/case/begrenset.pdf:2:1", "PersonName"),
    ]);
    // The offer's author, decrypted from its properties.
    let author = err
        .lines()
        .find(|l| l.contains("(`/Author`)"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        author
            .starts_with("content/case/tilbud-begrenset.pdf:1:1: error: the PDF names its author"),
        "{author}"
    );
    let (at, kind) = author.split_once(": error: ").unwrap();
    expect.insert((at.to_string(), kind.split(" `").next().unwrap().to_string()));
    assert_eq!(errors_at(&err), expect, "{err}");
    let warning = first_warning(&err);
    assert!(
        warning.starts_with("content/case/passord.pdf:1:1: warning: ")
            && warning.contains("(it is encrypted with a password)"),
        "{warning}"
    );
}

#[test]
fn zip_files_and_e_mails_of_a_case_are_read() {
    let (site, err) = check_with_documents(&["vedlegg.zip", "laast.zip"]);
    // The zip file's files are read as the files they are.
    let mut expect = found(&[
        ("content/case/vedlegg.zip:1:1", "Email"),
        ("content/case/vedlegg.zip:1:1", "DeniedName"),
    ]);
    assert_eq!(errors_at(&err), expect, "{err}");
    assert!(
        err.contains("in a case study (its attachment `vedlegg/kontakter.csv`)"),
        "{err}"
    );
    assert!(
        err.contains("in a case study (page 1 of its attachment `vedlegg/notat.pdf`)"),
        "{err}"
    );
    // A file inside of a kind vinn does not read is a warning; what
    // macOS leaves in a zip is not.
    let warnings: Vec<&str> = lines_of(&err, "warning");
    assert_eq!(warnings.len(), 2, "{err}");
    assert!(
        warnings[0].starts_with("content/case/laast.zip:1:1: warning: ")
            && warnings[0].contains("(it has a password)"),
        "{err}"
    );
    assert!(
        warnings[1].starts_with(
            "content/case/vedlegg.zip:1:1: warning: its attachment `vedlegg/opptak.wma`: vinn cannot read a file of this kind"
        ),
        "{err}"
    );
    // An e-mail saved as text is read as text; Outlook's own format is a
    // warning asking for one vinn reads.
    let case = site.path().join("content/case");
    std::fs::remove_file(case.join("vedlegg.zip")).unwrap();
    std::fs::remove_file(case.join("laast.zip")).unwrap();
    std::fs::write(
        case.join("avslag.eml"),
        "From: Innkjøp <innkjop@kvitfjell-bygg.no>\nSubject: Avslag\n\nVi har valgt en annen leverandør.\n",
    )
    .unwrap();
    std::fs::write(case.join("avslag.msg"), b"\xd0\xcf\x11\xe0").unwrap();
    let err = failing_check(site.path());
    expect = found(&[("content/case/avslag.eml:1:16", "Email")]);
    assert_eq!(errors_at(&err), expect, "{err}");
    let warning = first_warning(&err);
    assert!(
        warning.starts_with("content/case/avslag.msg:1:1: warning: ")
            && warning.contains("Outlook message"),
        "{warning}"
    );
}

#[test]
fn every_file_of_a_case_is_read_or_named_as_unread() {
    // A transcript and a route are text; a Pages file and an interview as
    // WAV are of kinds vinn does not read; a font says nothing.
    let site = site_from("clean");
    let case = site.path().join("content/case");
    std::fs::write(
        case.join("intervju.vtt"),
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Intervjuer>Takk for at du stiller, Kari Nordmann.\n",
    )
    .unwrap();
    std::fs::write(
        case.join("befaring.gpx"),
        "<gpx><trk><name>Befaring hos Brattli Maskin</name></trk></gpx>\n",
    )
    .unwrap();
    std::fs::write(case.join("tilbud.pages"), b"PK\x03\x04").unwrap();
    std::fs::write(case.join("intervju.wma"), b"\x30\x26\xb2\x75").unwrap();
    std::fs::write(case.join("skrift.woff2"), b"wOF2").unwrap();
    let err = failing_check(site.path());
    let expect = found(&[
        ("content/case/intervju.vtt:4:39", "PersonName"),
        ("content/case/befaring.gpx:1:30", "DeniedName"),
    ]);
    assert_eq!(errors_at(&err), expect, "{err}");
    let warnings: BTreeSet<&str> = err
        .lines()
        .filter_map(|l| l.split_once(": warning: "))
        .map(|(at, m)| {
            assert!(m.starts_with("vinn cannot read a file of this kind"), "{m}");
            at
        })
        .collect();
    assert_eq!(
        warnings,
        BTreeSet::from([
            "content/case/intervju.wma:1:1",
            "content/case/tilbud.pages:1:1"
        ]),
        "{err}"
    );
}

#[test]
fn an_interview_recorded_as_mp3_is_read_for_its_tags() {
    // id3v2's tags (artist, title, a comment naming the customer), eyeD3's
    // in UTF-16 (artist, a title naming a person), and the first with its
    // tags removed as the advice says.
    let (site, err) = check_with_documents(&[
        "tapsintervju.mp3",
        "tapsintervju-v24.mp3",
        "tapsintervju-renset.mp3",
    ]);
    let errors: Vec<&str> = lines_of(&err, "error");
    assert_eq!(errors.len(), 4, "{err}");
    for file in ["tapsintervju.mp3", "tapsintervju-v24.mp3"] {
        assert!(
            errors.contains(&format!(
                "content/case/{file}:1:1: error: the recording names a person as its artist, composer or author in its ID3 tags: a case study must not lead back to a person; remove them, e.g. `id3v2 --delete-all content/case/{file}`"
            ).as_str()),
            "{err}"
        );
    }
    assert!(
        errors.iter().any(|e| e.starts_with(&format!(
            "content/case/tapsintervju.mp3:1:1: error: {} `B•••••• ••••••` in a case study (its tags): ",
            kind_text("DeniedName")
        ))),
        "{err}"
    );
    assert!(
        errors.iter().any(|e| e.starts_with(&format!(
            "content/case/tapsintervju-v24.mp3:1:1: error: {} `O•• ••••••••` in a case study (its tags): ",
            kind_text("PersonName")
        ))),
        "{err}"
    );
    assert!(!err.contains("renset"), "{err}");
    publishes_without(
        site.path(),
        &["tapsintervju.mp3", "tapsintervju-v24.mp3"],
        &["tapsintervju-renset.mp3"],
    );
}

/// An MP3 whose ID3v2 tag holds one picture frame: version 3's `APIC`
/// (Latin-1 description) or version 2's `PIC` (UTF-16 description with a
/// byte order mark), then a few bytes standing for the audio.
fn mp3_with_picture(major: u8, description: &str, picture: &[u8]) -> Vec<u8> {
    let mut frame = Vec::new();
    if major == 2 {
        frame.push(1);
        frame.extend(b"JPG");
        frame.push(3); // front cover
        frame.extend([0xff, 0xfe]);
        frame.extend(description.encode_utf16().flat_map(u16::to_le_bytes));
        frame.extend([0, 0]);
    } else {
        frame.push(0);
        frame.extend(b"image/jpeg\0");
        frame.push(3);
        frame.extend(description.bytes());
        frame.push(0);
    }
    frame.extend(picture);
    let mut tag = Vec::new();
    if major == 2 {
        tag.extend(b"PIC");
        tag.extend(&(frame.len() as u32).to_be_bytes()[1..]);
    } else {
        tag.extend(b"APIC");
        tag.extend((frame.len() as u32).to_be_bytes());
        tag.extend([0, 0]);
    }
    tag.extend(frame);
    let size = tag.len() as u32;
    let mut mp3 = b"ID3".to_vec();
    mp3.extend([major, 0, 0]);
    mp3.extend((0..4).rev().map(|i| ((size >> (7 * i)) & 0x7f) as u8));
    mp3.extend(tag);
    mp3.extend([0xff, 0xfb, 0x90, 0x00]);
    mp3
}

#[test]
fn a_picture_in_an_mp3s_tags_is_read_as_a_photo() {
    // A cover photo carrying where it was taken, a photo of who speaks
    // naming its photographer (in ID3v2.2's frame), and the publisher's
    // own picture, allowed.
    let site = site_from("clean");
    let root = site.path();
    let case = root.join("content/case");
    std::fs::write(
        case.join("intervju.mp3"),
        mp3_with_picture(3, "Omslag", &jpeg_with_gps()),
    )
    .unwrap();
    std::fs::write(
        case.join("intervju-v22.mp3"),
        mp3_with_picture(2, "Intervjuet med Ola Hansen", &jpeg_by("Kari Nordmann")),
    )
    .unwrap();
    std::fs::write(
        case.join("intervju-eget.mp3"),
        mp3_with_picture(3, "Omslag", &jpeg_by("Fjellheim Skisenter")),
    )
    .unwrap();
    let err = failing_check(root);
    let errors = lines_of(&err, "error");
    assert_eq!(
        errors,
        [
            "content/case/intervju-v22.mp3:1:1: error: a picture in the recording's ID3 tags (its cover, or a photo) names a person in its metadata field `Artist`: a case study must not lead back to a person; remove the pictures, e.g. `eyeD3 --remove-all-images content/case/intervju-v22.mp3`".to_string(),
            format!(
                "content/case/intervju-v22.mp3:1:1: error: {} `O•• ••••••` in a case study (its tags): name the person by their role, e.g. \"the head of procurement\" (if it is not personal or customer data, add an allow entry in site.toml)",
                kind_text("PersonName")
            ),
            "content/case/intervju.mp3:1:1: error: a picture in the recording's ID3 tags (its cover, or a photo) carries the GPS position where it was taken (EXIF): a case study must not lead back to a customer; remove the pictures, e.g. `eyeD3 --remove-all-images content/case/intervju.mp3`".to_string(),
        ],
        "{err}"
    );
    let o = run(&["check", "--verbose", "--root", root.to_str().unwrap()]);
    assert!(
        lines_of(&stderr(&o), "note").contains(&"content/case/intervju-eget.mp3:1:1: note: allowed: `Artist` `F•••••••• •••••••••` in the metadata of a picture in the recording's tags (allow entry \"Fjellheim Skisenter\" in site.toml)"),
        "{}",
        stderr(&o)
    );
    publishes_without(
        root,
        &["intervju.mp3", "intervju-v22.mp3"],
        &["intervju-eget.mp3"],
    );
}

#[test]
fn interviews_recorded_as_wav_ogg_opus_and_flac_are_read_for_their_tags() {
    // Each from the tool that writes its format (lag_lyd.sh): a
    // dictaphone's WAV (INFO and bext), oggenc's Vorbis, opusenc's Opus
    // with a photo, flac's FLAC with a comment and a picture block; and
    // each as its message advises, which passes.
    let (site, err) = check_with_documents(&[
        "opptak.wav",
        "opptak.ogg",
        "opptak.opus",
        "opptak.flac",
        "opptak-renset.wav",
        "opptak-renset.opus",
        "opptak-renset.flac",
    ]);
    let errors: BTreeSet<&str> = lines_of(&err, "error").into_iter().collect();
    let artist = |file: &str, tags: &str, removal: &str| {
        format!(
            "content/case/{file}:1:1: error: the recording names a person as its artist, composer or author in its {tags}: a case study must not lead back to a person; remove them, e.g. {removal}"
        )
    };
    let picture = |file: &str, removal: &str| {
        format!(
            "content/case/{file}:1:1: error: a picture in the recording's Vorbis comments (its cover, or a photo) carries the GPS position where it was taken (EXIF): a case study must not lead back to a customer; remove the pictures, e.g. {removal}"
        )
    };
    let person = |file: &str| {
        format!(
            "content/case/{file}:1:1: error: {} `O•• ••••••` in a case study (its tags): name the person by their role, e.g. \"the head of procurement\" (if it is not personal or customer data, add an allow entry in site.toml)",
            kind_text("PersonName")
        )
    };
    let denied = |file: &str| {
        format!(
            "content/case/{file}:1:1: error: {} `B•••••• ••••••` in a case study (its tags): ",
            kind_text("DeniedName")
        )
    };
    let ffmpeg = |file: &str| {
        let ending = file.rsplit_once('.').unwrap().1;
        format!(
            "`ffmpeg -i content/case/{file} -map_metadata -1 -c copy renset.{ending}`, and that file in its place"
        )
    };
    let expect = [
        artist(
            "opptak.wav",
            "INFO, bext or iXML chunks",
            &ffmpeg("opptak.wav"),
        ),
        person("opptak.wav"),
        artist("opptak.ogg", "Vorbis comments", &ffmpeg("opptak.ogg")),
        picture("opptak.opus", &ffmpeg("opptak.opus")),
        artist(
            "opptak.flac",
            "Vorbis comments",
            "`metaflac --remove --block-type=VORBIS_COMMENT,PICTURE content/case/opptak.flac`",
        ),
        picture(
            "opptak.flac",
            "`metaflac --remove --block-type=PICTURE content/case/opptak.flac`",
        ),
        person("opptak.flac"),
    ];
    for e in &expect {
        assert!(errors.contains(e.as_str()), "{e}\n{err}");
    }
    // The customer in the comments of the WAV and the Ogg file.
    for file in ["opptak.wav", "opptak.ogg"] {
        assert!(
            errors.iter().any(|e| e.starts_with(&denied(file))),
            "{file}: {err}"
        );
    }
    assert_eq!(errors.len(), expect.len() + 2, "{err}");
    assert!(
        !err.lines()
            .any(|l| l.starts_with("content/case/opptak-renset")),
        "{err}"
    );
    publishes_without(
        site.path(),
        &["opptak.wav", "opptak.ogg", "opptak.opus", "opptak.flac"],
        &[
            "opptak-renset.wav",
            "opptak-renset.opus",
            "opptak-renset.flac",
        ],
    );
}

#[test]
fn a_recording_of_a_case_is_read_for_the_place_and_the_artist() {
    // A phone's video, with exiftool's place and artist in QuickTime's
    // item list and in its user data, and one with both removed as the
    // advice says.
    let (site, err) = check_with_documents(&[
        "befaring.mp4",
        "befaring-userdata.mp4",
        "befaring-renset.mp4",
    ]);
    let errors: BTreeSet<(&str, &str)> = err
        .lines()
        .filter_map(|l| l.split_once(": error: "))
        .map(|(at, m)| (at, m.split_once(':').unwrap().0))
        .collect();
    let mut expect = BTreeSet::new();
    for file in [
        "content/case/befaring.mp4:1:1",
        "content/case/befaring-userdata.mp4:1:1",
    ] {
        expect.insert((
            file,
            "the recording carries the place where it was made (its GPS position)",
        ));
        expect.insert((file, "the recording names a person as its artist or author"));
    }
    assert_eq!(errors, expect, "{err}");
    assert!(
        err.contains("`exiftool -overwrite_original -location:all= content/case/befaring.mp4`"),
        "{err}"
    );
    publishes_without(
        site.path(),
        &["befaring.mp4", "befaring-userdata.mp4"],
        &["befaring-renset.mp4"],
    );
}

#[test]
fn a_photo_inside_a_drawing_is_read_for_gps_and_names() {
    // Inkscape embeds a photo in an SVG as base64: its EXIF goes along.
    let (_site, err) = check_with_documents(&["tegning.svg"]);
    let photo: Vec<&str> = lines_of(&err, "error");
    assert_eq!(
        photo,
        [
            "content/case/tegning.svg:1:1: error: a photo put in as a `data:` URI carries the GPS position where it was taken (EXIF): a case study must not lead back to a customer; remove it from the photo, e.g. `exiftool -overwrite_original -gps:all= foto.jpg` on the photo saved as a file, and link that file instead of putting the photo in",
            "content/case/tegning.svg:1:1: error: a photo put in as a `data:` URI names a person in its metadata field `Artist`: a case study must not lead back to a person; remove it from the photo, e.g. `exiftool -overwrite_original -artist= foto.jpg` on the photo saved as a file, and link that file instead of putting the photo in",
        ],
        "{err}"
    );
}

#[test]
fn a_photo_inside_a_case_page_is_read_for_gps_and_names() {
    // The drawing's photo (GPS position and `Artist`) put into a case's
    // Markdown as a `data:` URI, as a converter writes it: published as it
    // is, EXIF and all.
    let site = site_from("clean");
    let root = site.path();
    let svg = std::fs::read_to_string(fixture("anon/documents/tegning.svg")).unwrap();
    let start = svg.find("data:image/jpeg").unwrap();
    let uri = &svg[start..start + svg[start..].find('"').unwrap()];
    let page = root.join("content/case/tapt-pris-industri.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let line = text.lines().count() + 2;
    std::fs::write(
        &page,
        format!("{text}\nBilde fra befaringen: ![Lageret]({uri})\n"),
    )
    .unwrap();
    let err = failing_check(root);
    let errors: Vec<&str> = lines_of(&err, "error");
    assert_eq!(errors.len(), 2, "{err}");
    let at = format!(
        "content/case/tapt-pris-industri.md:{line}:34: error: a photo put in as a `data:` URI "
    );
    for e in &errors {
        assert!(e.starts_with(&at), "{e}");
    }
    assert!(err.contains("carries the GPS position"), "{err}");
    assert!(err.contains("metadata field `Artist`"), "{err}");
}

#[test]
fn a_property_naming_the_publisher_can_be_allowed() {
    // The evaluation names its company (Grossisten AS), author and last
    // editor in its properties, and holds a comment.
    let (site, _) = check_with_documents(&["evaluering.docx"]);
    let root = site.path();
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    let allow = |entries: &str| {
        std::fs::write(
            root.join("site.toml"),
            config.replace(
                "allow = [\"Fjellheim Skisenter\"]",
                &format!("allow = [\"Fjellheim Skisenter\", {entries}]"),
            ),
        )
        .unwrap();
        let o = run(&["check", "--verbose", "--root", root.to_str().unwrap()]);
        stderr(&o)
    };
    // The company's whole value allowed: the other fields still fail.
    let err = allow("\"Grossisten\"");
    let named = err
        .lines()
        .find(|l| l.contains("names its author or company"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        named.contains("(`cp:lastModifiedBy`, `dc:creator`)"),
        "{named}"
    );
    assert!(
        err.lines().any(|l| l.starts_with(
            "content/case/evaluering.docx:1:1: note: allowed: `Company` `G••••••••• ••`"
        )),
        "{err}"
    );
    // Every naming value allowed: only the comments are left.
    let err = allow("\"Grossisten AS\", \"Kari Nordmann\", \"Ola Nordmann\"");
    let errors: Vec<&str> = lines_of(&err, "error");
    assert_eq!(errors.len(), 1, "{err}");
    assert!(errors[0].contains("holds comments"), "{err}");
    // A part of a value is not the value.
    let err = allow("\"Kari\"");
    assert!(
        err.lines()
            .any(|l| l.contains("(`Company`, `cp:lastModifiedBy`, `dc:creator`)")),
        "{err}"
    );
}
