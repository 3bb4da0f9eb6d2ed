//! Slugs: readable URL segments and heading ids from Norwegian text.
//!
//! `æ→ae`, `ø→o`, `å→a`, other accents dropped, everything that is not a
//! letter or digit becomes a single `-`.

use unicode_normalization::UnicodeNormalization;

/// `Første møte med økonomisjefen` → `forste-mote-med-okonomisjefen`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        // Most text is ASCII, which lowercases to one ASCII character.
        if c.is_ascii() {
            take(&mut out, &mut dash, c.to_ascii_lowercase());
        } else {
            for ch in c.to_lowercase() {
                take(&mut out, &mut dash, ch);
            }
        }
    }
    out
}

/// Adds one lowercase character to a slug.
fn take(out: &mut String, dash: &mut bool, ch: char) {
    // ASCII decomposes to itself.
    if ch.is_ascii() {
        if ch.is_ascii_alphanumeric() || ch == '_' {
            if *dash && !out.is_empty() {
                out.push('-');
            }
            *dash = false;
            out.push(ch);
        } else {
            *dash = true;
        }
        return;
    }
    let mapped: &str = match ch {
        'æ' => "ae",
        'ø' | 'ö' => "o",
        'å' => "a",
        'ß' => "ss",
        _ => "",
    };
    if !mapped.is_empty() {
        if *dash && !out.is_empty() {
            out.push('-');
        }
        *dash = false;
        out.push_str(mapped);
        return;
    }
    // Strip other accents: é → e.
    for c in std::iter::once(ch).nfd() {
        if c.is_ascii_alphanumeric() || c == '_' {
            if *dash && !out.is_empty() {
                out.push('-');
            }
            *dash = false;
            out.push(c);
        } else if c.is_alphanumeric() && !c.is_ascii() {
            if unicode_normalization::char::is_combining_mark(c) {
                continue;
            }
            if *dash && !out.is_empty() {
                out.push('-');
            }
            *dash = false;
            out.push(c);
        } else if !unicode_normalization::char::is_combining_mark(c) {
            *dash = true;
        }
    }
}

/// The heading id a link's fragment (percent-decoded) stands for.
/// GitHub and VS Code write a heading's anchor with its letters as they
/// are (`#første-del`) and a dash for each space around a sign they drop
/// (`#pris--verdi` for "Pris & verdi"); vinn's ids are slugs (`forste-del`,
/// `pris-verdi`). A fragment with a character outside ASCII or a double
/// dash is taken as such an anchor and becomes its slug; any other is kept
/// as written (`fn-1`, a custom `{#Pris}`). Custom heading ids go through
/// the same rule, so both ends agree.
pub fn anchor_id(fragment: &str) -> std::borrow::Cow<'_, str> {
    if fragment.is_ascii() && !fragment.contains("--") {
        return fragment.into();
    }
    let slug = slugify(fragment);
    if slug.is_empty() {
        fragment.into()
    } else {
        slug.into()
    }
}

#[cfg(test)]
mod tests {
    use super::{anchor_id, slugify};

    #[test]
    fn anchors_as_github_and_vs_code_write_them() {
        for (written, id) in [
            ("første-del", "forste-del"),
            ("første-møte-pris--verdi", "forste-mote-pris-verdi"),
            ("hva-er-verdi", "hva-er-verdi"),
            ("Pris", "Pris"),
            ("fn-1", "fn-1"),
            ("kunde_reise", "kunde_reise"),
            ("—", "—"),
        ] {
            assert_eq!(anchor_id(written), id, "{written}");
            // What it gives is kept as it is.
            assert_eq!(anchor_id(id), id, "{id}");
        }
    }

    #[test]
    fn norwegian_letters_stay_readable() {
        assert_eq!(slugify("Første møte"), "forste-mote");
        assert_eq!(slugify("Økonomi & ROI: Hvorfor?"), "okonomi-roi-hvorfor");
        assert_eq!(slugify("Kjærlighet på pinne"), "kjaerlighet-pa-pinne");
        assert_eq!(slugify("Café Élan"), "cafe-elan");
        assert_eq!(slugify("  --a__b--  "), "a__b");
        assert_eq!(slugify("Tapte salg 2026"), "tapte-salg-2026");
    }
}
