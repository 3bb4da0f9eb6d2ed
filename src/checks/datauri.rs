//! Images a text file carries inside it as `data:` URIs.
//!
//! Inkscape embeds a photo put into a drawing as base64 in the SVG, and a
//! page saved from a browser or an e-mail program can do the same in
//! HTML, as a converter can in Markdown (`![](data:image/jpeg;base64,…)`,
//! published as it is): the photo's EXIF block, GPS position and all,
//! goes along. This
//! module owns finding those URIs (`data:image/jpeg;base64,…`) and
//! decoding them, so the guard reads each image as it reads an image
//! file. Pure; a malformed URI gives nothing.

/// An image a text carries as a `data:` URI.
#[derive(Debug, PartialEq)]
pub struct Image {
    /// Where its URI starts in the text, in bytes.
    pub at: usize,
    pub bytes: Vec<u8>,
}

/// The images of the `data:` URIs in `text`, at most `limit` bytes of
/// them together.
pub fn images(text: &str, limit: usize) -> Vec<Image> {
    let mut out = Vec::new();
    let mut total = 0;
    let mut from = 0;
    while let Some(at) = text[from..].find("data:image/") {
        let uri = from + at;
        let start = uri + "data:image/".len();
        from = start;
        let rest = &text[start..];
        let Some(comma) = rest.find(',') else { break };
        let head = &rest[..comma];
        let Some(kind) = head.strip_suffix(";base64") else {
            continue;
        };
        // The kinds whose metadata vinn reads.
        if !matches!(
            kind.to_ascii_lowercase().as_str(),
            "jpeg" | "jpg" | "pjpeg" | "png" | "webp" | "tiff" | "heic" | "heif" | "avif"
        ) {
            continue;
        }
        let body = &rest[comma + 1..];
        let end = payload_end(body);
        from = start + comma + 1 + end;
        if let Some(bytes) = base64(&body[..end]) {
            total += bytes.len();
            if total > limit {
                break;
            }
            out.push(Image { at: uri, bytes });
        }
    }
    out
}

/// `text` with the payload of every base64 `data:` URI blanked (spaces,
/// line breaks kept), so that reading it as text finds no words in the
/// encoding.
pub fn blank_payloads(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(";base64,") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(";base64,") {
        let start = at + ";base64,".len();
        out.push_str(&rest[..start]);
        let body = &rest[start..];
        let end = payload_end(body);
        out.extend(
            body[..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &body[end..];
    }
    out.push_str(rest);
    out.into()
}

/// Where a base64 payload at the start of `body` ends: at the first
/// character base64 (with white space between) does not use.
fn payload_end(body: &str) -> usize {
    body.find(|c: char| !(c.is_ascii_alphanumeric() || "+/=\r\n\t ".contains(c)))
        .unwrap_or(body.len())
}

/// Decodes standard base64 (white space skipped, padding optional).
pub(super) fn base64(s: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        if c.is_ascii_whitespace() {
            continue;
        }
        if c == b'=' {
            break;
        }
        acc = acc << 6 | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes() {
        assert_eq!(base64("S2FyaQ==").unwrap(), b"Kari");
        assert_eq!(base64("S2Fy\naQ").unwrap(), b"Kari");
        assert_eq!(base64("").unwrap(), b"");
        assert_eq!(base64("S2F*"), None);
    }

    #[test]
    fn data_uris_of_images() {
        let svg = r#"<svg><image href="data:image/jpeg;base64,/9j/AA==" /><image xlink:href='data:image/PNG;base64,iVBO
Rw=='/><image href="data:image/svg+xml;base64,PHN2Zz4="/><a href="data:text/plain,hei">x</a></svg>"#;
        let found = images(svg, 1 << 20);
        let image = |uri: &str, bytes: &[u8]| Image {
            at: svg.find(uri).unwrap(),
            bytes: bytes.to_vec(),
        };
        assert_eq!(
            found,
            [
                image("data:image/jpeg", &[0xff, 0xd8, 0xff, 0]),
                image("data:image/PNG", &[0x89, 0x50, 0x4e, 0x47]),
            ]
        );
        assert_eq!(images(svg, 5).len(), 1);
        // Read as text, the encodings are spaces, lines and length kept.
        let blank = blank_payloads(svg);
        assert_eq!(blank.len(), svg.len());
        assert_eq!(blank.lines().count(), svg.lines().count());
        assert!(!blank.contains("iVBO") && blank.contains("data:text/plain,hei"));
        // Cut anywhere, nothing panics.
        for cut in 0..svg.len() {
            if svg.is_char_boundary(cut) {
                let _ = images(&svg[..cut], 1 << 20);
            }
        }
    }
}
