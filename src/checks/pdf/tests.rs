use super::*;

/// A PDF of `objects`, each with its number, without a cross-reference
/// table (the reader needs none).
fn numbered(objects: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    for (n, o) in objects {
        out.extend(format!("{n} 0 obj\n").as_bytes());
        out.extend(o);
        out.extend(b"\nendobj\n");
    }
    out.extend(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n");
    out
}

/// A PDF of `objects`, numbered from 1 (object 1 the catalog).
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let all: Vec<(u32, Vec<u8>)> = (1..).zip(objects.iter().cloned()).collect();
    numbered(&all)
}

/// A stream object holding `data` (deflated with `/FlateDecode`).
fn stream(dict: &str, data: &[u8], deflate: bool) -> Vec<u8> {
    let (data, filter) = if deflate {
        (
            miniz_oxide::deflate::compress_to_vec_zlib(data, 6),
            "/Filter /FlateDecode",
        )
    } else {
        (data.to_vec(), "")
    };
    let mut out = format!("<< {dict} {filter} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend(data);
    out.extend(b"\nendstream");
    out
}

/// A font of simple codes, each 500 thousandths of its size wide.
fn simple_font(encoding: &str) -> Vec<u8> {
    format!(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica {encoding} /FirstChar 0 /Widths [{}] >>",
        "500 ".repeat(256)
    )
    .into_bytes()
}

/// A one-page PDF drawing `content` (deflated) with `font` as `/F1`
/// (object 100) and object 6 as the form `/X1`; `page` goes into the
/// page's dictionary, and `objects` are numbered from 6 on.
fn one_page(content: &[u8], font: Vec<u8>, page: &str, objects: &[Vec<u8>]) -> Vec<u8> {
    let mut all = vec![
        (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
        (
            3,
            format!(
                "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 100 0 R >> /XObject << /X1 6 0 R >> >> {page} >>"
            )
            .into_bytes(),
        ),
        (4, stream("", content, true)),
        (100, font),
    ];
    all.extend((6..).zip(objects.iter().cloned()));
    numbered(&all)
}

/// `b` with the first `from` replaced by `to`.
fn replace_first(b: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = find(b, from).expect("in the file");
    [&b[..at], to, &b[at + from.len()..]].concat()
}

/// The text of a one-page PDF drawing `content` in a WinAnsi font.
fn drawn(content: &str) -> String {
    let r = read(&one_page(
        content.as_bytes(),
        simple_font("/Encoding /WinAnsiEncoding"),
        "",
        &[],
    ));
    assert_eq!(r.pages.len(), 1);
    r.pages[0].clone()
}

#[test]
fn tokens() {
    let mut lx = Lexer::new(
        b"(a\\(b\\)c\\\n d(e)) (\\101\\60x\\n) <48 65 6c6C 6F> <7> /A#20B 12 -3.5 .5 [ ] << >> % note\nTj",
    );
    let mut all = Vec::new();
    while let Some(t) = lx.token() {
        all.push(t);
    }
    assert_eq!(
        all,
        [
            Token::String(b"a(b)c d(e)".to_vec()),
            Token::String(b"A0x\n".to_vec()),
            Token::String(b"Hello".to_vec()),
            Token::String(vec![0x70]),
            Token::Name(b"A B".to_vec()),
            Token::Number(12.0),
            Token::Number(-3.5),
            Token::Number(0.5),
            Token::ArrayOpen,
            Token::ArrayClose,
            Token::DictOpen,
            Token::DictClose,
            Token::Word(b"Tj"),
        ]
    );
    assert_eq!(
        parse_value(b"<< /Kids [3 0 R 4 0 R] /Count 2 /N null >>"),
        Some(Obj::Dict(Dict(vec![
            (b"Kids".to_vec(), Obj::Array(vec![Obj::Ref(3), Obj::Ref(4)])),
            (b"Count".to_vec(), Obj::Number(2.0)),
            (b"N".to_vec(), Obj::Null),
        ])))
    );
}

#[test]
fn objects_the_newest_winning_and_packed_in_streams() {
    let packed = "8 0 9 13 (i en strøm) << /Type /Page >>";
    let mut b = pdf(&[
        b"<< /Type /Catalog >>".to_vec(),
        b"(gammel)".to_vec(),
        stream("/Type /ObjStm /N 2 /First 9", packed.as_bytes(), true),
    ]);
    // An incremental update replaces object 2.
    b.extend(b"2 0 obj\n(ny)\nendobj\n");
    let doc = Doc::parse(&b);
    assert_eq!(doc.string(&Obj::Ref(2)), Some(b"ny".to_vec()));
    assert_eq!(
        doc.string(&Obj::Ref(8)),
        Some("i en strøm".as_bytes().to_vec())
    );
    assert!(is_type(doc.resolve(&Obj::Ref(9)), b"Page"));
    assert_eq!(doc.resolve(&Obj::Ref(77)), &Obj::Null);
    // `objects` and `endobj` are not objects' starts.
    assert_eq!(object_number(b"12 0 "), Some((12, 0)));
    assert_eq!(object_number(b"x 0 "), None);
}

#[test]
fn pages_in_the_tree_order_with_inherited_resources() {
    let font = simple_font("");
    let content = |s: &str| stream("", format!("BT /F1 10 Tf ({s}) Tj").as_bytes(), false);
    let b = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R 3 0 R] /Resources << /Font << /F1 7 0 R >> >> >>".to_vec(),
        b"<< /Type /Page /Contents 5 0 R >>".to_vec(),
        // A node holding a page, and itself again (a cycle).
        b"<< /Type /Pages /Kids [6 0 R 4 0 R] >>".to_vec(),
        content("andre"),
        b"<< /Type /Page /Contents [8 0 R 9 0 R] >>".to_vec(),
        font,
        content("forste"),
        // The next stream draws in the font the one before chose.
        stream("", b"0 -12 Td (del) Tj ET", false),
    ]);
    assert_eq!(read(&b).pages, ["forste del", "andre"]);
    // Without a catalog, the page objects by number.
    let orphan = [
        &b"3 0 obj\n<< /Type /Page >>\nendobj\n"[..],
        b"1 0 obj\n<< /Type /Page >>\nendobj\n",
    ]
    .concat();
    assert_eq!(read(&orphan).pages, ["", ""]);
}

#[test]
fn words_and_lines_as_a_reader_sees_them() {
    // Letters set apart with a `Td` as wide as the letters before: one
    // word. A kerning inside `TJ` keeps a word, a wide one parts words.
    assert_eq!(
        drawn(
            "BT /F1 10 Tf 72 700 Td (Ing) Tj 15 0 Td (rid) Tj ( ) Tj [(Sol) -20 (berg) -600 (fulgte)] TJ ET"
        ),
        "Ingrid Solberg fulgte"
    );
    // A new line parts words; so do `T*`, `'` and a text matrix further on.
    assert_eq!(
        drawn(
            "BT /F1 10 Tf 12 TL 72 700 Td (Kvitfjell) Tj T* (Bygg) Tj (varer) ' 1 0 0 1 300 676 Tm (AS) Tj ET"
        ),
        "Kvitfjell Bygg varer AS"
    );
    // A space drawn as character spacing inside one string, as
    // Ghostscript writes; narrow letter spacing keeps a word.
    assert_eq!(
        drawn(
            "BT /F1 10 Tf 0 0 Td 3 Tc (gf) Tj 0 Tc 13 0 Td (ulgte) Tj 1 Tc 100 0 Td (pris) Tj ET"
        ),
        "g fulgte pris"
    );
    // WinAnsi's letters, written as octal escapes; a non-breaking space.
    assert_eq!(
        drawn("BT /F1 10 Tf (\\330stvik\\240p\\345 m\\370te) Tj ET"),
        "Østvik på møte"
    );
    // A ligature's glyph named in `/Differences` is its letters.
    let ligature = one_page(
        b"BT /F1 10 Tf (Kvit\\014nn AS) Tj ET",
        simple_font("/Encoding << /BaseEncoding /WinAnsiEncoding /Differences [12 /fi] >>"),
        "",
        &[],
    );
    assert_eq!(read(&ligature).pages, ["Kvitfinn AS"]);
    // A form drawn with `Do` draws its text; an inline image's data is
    // not read, whatever its bytes say.
    let form = stream(
        "/Type /XObject /Subtype /Form /Resources << /Font << /F1 100 0 R >> >>",
        b"BT /F1 10 Tf 0 -50 Td (skjema) Tj ET",
        true,
    );
    let r = read(&one_page(
        b"BT /F1 10 Tf (side) Tj ET /X1 Do BI /W 2 /H 1 ID (skjult) Tj EI BT /F1 10 Tf 0 -100 Td (slutt) Tj ET",
        simple_font(""),
        "",
        &[form],
    ));
    assert_eq!(r.pages, ["side skjema slutt"]);
    assert!(r.unreadable_pages.is_empty());
}

#[test]
fn fonts_with_and_without_a_map_to_unicode() {
    let cmap = stream(
        "",
        b"begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfchar <0003> <0020> <0004> <00F8> endbfchar 1 beginbfrange <0010> <0012> <004B> endbfrange endcmap",
        true,
    );
    let type0 = |to_unicode: &str| {
        format!(
            "<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [<< /Subtype /CIDFontType2 /DW 600 /W [16 [500 500] 18 18 400] >>] {to_unicode} >>"
        )
        .into_bytes()
    };
    let content = b"BT /F1 10 Tf <0010001100120003> Tj <0004> Tj ET";
    let mapped = read(&one_page(
        content,
        type0("/ToUnicode 6 0 R"),
        "",
        std::slice::from_ref(&cmap),
    ));
    assert_eq!(mapped.pages, ["KLM ø"]);
    assert!(mapped.unreadable_pages.is_empty());
    // Without the map the codes are glyph numbers: nothing is read, and
    // the page is named as one the guard could not read.
    let bare = read(&one_page(content, type0(""), "", &[cmap]));
    assert_eq!(bare.pages, [""]);
    assert_eq!(bare.unreadable_pages, [1]);
    // A content stream in an encoding vinn does not decode.
    let lzw = replace_first(
        &one_page(b"", simple_font(""), "", &[]),
        b"/Filter /FlateDecode",
        b"/Filter /LZWDecode",
    );
    assert_eq!(read(&lzw).unreadable_pages, [1]);
}

#[test]
fn comments_carry_their_authors() {
    let annots = "/Annots [7 0 R 8 0 R 9 0 R]";
    let page = |note: &str| {
        read(&one_page(
            b"BT /F1 10 Tf (Referat) Tj ET",
            simple_font(""),
            annots,
            &[
                b"null".to_vec(),
                note.as_bytes().to_vec(),
                // A form field's `/T` is its name, its value is read; so
                // is a link's address, which its page publishes.
                b"<< /Type /Annot /Subtype /Widget /T (kundenavn) /Parent << /V (Brattli Maskin AS) >> >>"
                    .to_vec(),
                b"<< /Type /Annot /Subtype /Link /T (x) /A << /S /URI /URI (mailto:kari@kunde.no) >> >>"
                    .to_vec(),
            ],
        ))
    };
    let noted =
        page("<< /Type /Annot /Subtype /Text /T <FEFF004F006C0061> /Contents (Ring Brattli) >>");
    assert!(noted.commented);
    assert_eq!(
        noted.pages,
        ["Referat Ring Brattli Brattli Maskin AS mailto:kari@kunde.no"]
    );
    let anonymous = page("<< /Type /Annot /Subtype /Highlight /T () /Contents (Viktig) >>");
    assert!(!anonymous.commented);
    assert_eq!(
        anonymous.pages,
        ["Referat Viktig Brattli Maskin AS mailto:kari@kunde.no"]
    );
}

#[test]
fn damaged_files_give_what_can_be_read_and_do_not_panic() {
    let b = one_page(
        b"BT /F1 10 Tf [(Kvit) -10 (fjell)] TJ ET",
        simple_font("/Encoding << /Differences [65 /aring /Oslash] >>"),
        "/Annots [<< /Subtype /Text /T (x) >>]",
        &[],
    );
    assert_eq!(read(&b).pages, ["Kvitfjell"]);
    for cut in 0..b.len() {
        let _ = read(&b[..cut]);
    }
    for i in 0..b.len() {
        let mut bad = b.clone();
        bad[i] ^= 0x55;
        let _ = read(&bad);
    }
    // Nesting past any real file's, and a form that draws itself.
    let deep = "[".repeat(100_000);
    assert_eq!(parse_value(deep.as_bytes()), None);
    let selfish = stream(
        "/Subtype /Form /Resources << /XObject << /X1 6 0 R >> /Font << /F1 100 0 R >> >>",
        b"(a) Tj /X1 Do /X1 Do",
        false,
    );
    let r = read(&one_page(
        b"BT /F1 10 Tf /X1 Do",
        simple_font(""),
        "",
        &[selfish],
    ));
    assert_eq!(r.pages.len(), 1);
}

#[test]
fn photos_embedded_as_jpeg_files_are_read_for_their_metadata() {
    use crate::checks::metadata::tests::{jpeg, tiff};
    let photo = jpeg(&tiff(false, true, Some("Kari Nordmann"), None));
    let image = |filter: &str, data: &[u8]| {
        let mut out = format!(
            "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /Filter {filter} /Length {} >>\nstream\n",
            data.len()
        )
        .into_bytes();
        out.extend(data);
        out.extend(b"\nendstream");
        out
    };
    let deflated = miniz_oxide::deflate::compress_to_vec_zlib(&photo, 6);
    for (filter, data) in [
        ("/DCTDecode", photo.clone()),
        ("[/FlateDecode /DCTDecode]", deflated.clone()),
    ] {
        let b = one_page(b"", simple_font(""), "", &[image(filter, &data)]);
        let r = read(&b);
        assert_eq!(
            r.pictures,
            [MetaFinding::Gps, MetaFinding::Person("Artist")],
            "{filter}"
        );
        // The name behind it, for allow entries.
        assert_eq!(r.picture_names, [("Artist", "Kari Nordmann".to_string())]);
    }
    // A photo without them, and an image's pixels (no file of its own).
    let clean = jpeg(&tiff(false, false, None, None));
    let b = one_page(
        b"",
        simple_font(""),
        "",
        &[
            image("/DCTDecode", &clean),
            image("/FlateDecode", &deflated),
        ],
    );
    assert_eq!(read(&b).pictures, []);
}

#[test]
fn attached_files_with_their_names() {
    let file = |text: &str| stream("/Type /EmbeddedFile", text.as_bytes(), true);
    // One named in the document's list (object 6 the specification, 7
    // its file), one inside a file-attachment comment, and the first
    // named a second time.
    let b = one_page(
        b"",
        simple_font(""),
        "/Annots [<< /Subtype /FileAttachment /FS << /Type /Filespec /F (notat.txt) /EF << /F 8 0 R >> >> >>]",
        &[
            b"<< /Type /Filespec /F (kontakter.csv) /UF <FEFF006B006F006E00740061006B007400650072002E006300730076> /EF << /F 7 0 R >> >>".to_vec(),
            file("Kari Nordmann;kari@kunde.no"),
            file("Ring Brattli"),
            b"<< /Type /Filespec /F (kopi.csv) /EF << /F 7 0 R >> >>".to_vec(),
        ],
    );
    assert_eq!(
        read(&b).attachments,
        [
            (
                "kontakter.csv".to_string(),
                b"Kari Nordmann;kari@kunde.no".to_vec()
            ),
            ("notat.txt".to_string(), b"Ring Brattli".to_vec()),
        ]
    );
}

#[test]
fn restricted_files_open_with_the_empty_password() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/anon/documents");
    // qpdf's encryption with an owner password alone: RC4 40 and 128 bits
    // (revisions 2 and 3), AES-128 (4) and AES-256 (6).
    for revision in [2, 3, 4, 6] {
        let b = std::fs::read(format!("{dir}/brev-r{revision}.pdf")).unwrap();
        let r = read(&b);
        assert!(!r.locked, "revision {revision}");
        assert_eq!(
            r.pages,
            ["Tilbud: ny lagerstyring for en grossist"],
            "revision {revision}"
        );
        let info = r.decrypted.expect("decrypted properties").info;
        assert!(
            info.contains(&(
                b"Subject".to_vec(),
                b"Tilbud til Kvitfjell Byggevarer".to_vec()
            )),
            "revision {revision}: {info:?}"
        );
    }
    // A user password: closed, nothing read.
    let b = std::fs::read(format!("{dir}/passord.pdf")).unwrap();
    assert_eq!(
        read(&b),
        Reading {
            locked: true,
            ..Reading::default()
        }
    );
    // Damaged anywhere, an encrypted file reads what it can and does not
    // panic (revision 6 hashes at least 64 rounds: every 97th byte).
    for (revision, step) in [(2, 1), (6, 97)] {
        let b = std::fs::read(format!("{dir}/brev-r{revision}.pdf")).unwrap();
        for i in (0..b.len()).step_by(step) {
            let _ = read(&b[..i]);
            let mut bad = b.clone();
            bad[i] ^= 0x55;
            let _ = read(&bad);
        }
    }
    // Version 5's 32-byte key with a revision of the MD5 key (found by
    // mutating the fixtures): read as locked, no panic.
    let b = std::fs::read(format!("{dir}/brev-r6.pdf")).unwrap();
    let at = b.windows(4).position(|w| w == b"/R 6").unwrap();
    for revision in b"234" {
        let mut bad = b.clone();
        bad[at + 3] = *revision;
        assert!(read(&bad).locked);
    }
    // Not encrypted: nothing to decrypt.
    let b = std::fs::read(format!("{dir}/brev.pdf")).unwrap();
    assert_eq!(read(&b).decrypted, None);
}

#[test]
fn bookmarks_in_order_children_first() {
    let item = |title: &str, more: &str| format!("<< /Title ({title}) {more} >>").into_bytes();
    let b = numbered(&[
        (
            1,
            b"<< /Type /Catalog /Pages 2 0 R /Outlines 5 0 R >>".to_vec(),
        ),
        (2, b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec()),
        (5, b"<< /Type /Outlines /First 6 0 R >>".to_vec()),
        (6, item("Innledning", "/First 8 0 R /Next 7 0 R")),
        // The last item points back to the first: a cycle ends the walk.
        (7, item("Funn", "/Next 6 0 R")),
        (8, item("Om Kvitfjell", "")),
    ]);
    assert_eq!(read(&b).bookmarks, ["Innledning", "Om Kvitfjell", "Funn"]);
}
