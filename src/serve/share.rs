//! Sharing the served site in a workshop: the address participants open
//! (this machine as the network reaches it, or the one `--network-url`
//! names), checked once, and a page's address on it as a QR code — drawn
//! in the terminal under "On the network at", and as an SVG
//! ([`QR`]) the trainer's page shows full screen for the room to scan.
//!
//! The QR code is made by the `qrcode` crate; the drawing is ours, so the
//! SVG is sized by its `viewBox` alone and the terminal's blocks come out
//! the right way round on a dark terminal.

use qrcode::{Color, EcLevel, QrCode};

/// The QR code of a page on the network address: `?path=/a/b/`, the
/// page's path as the browser sends it (percent-encoded).
pub const QR: &str = "/__vinn/qr.svg";

/// The longest path a QR code is made for (a served path is far shorter).
const MAX_PATH: usize = 1024;

/// Modules of white around the code, as the standard asks.
const QUIET: usize = 4;

/// Checks an address participants open: `http://HOST[:PORT]` or
/// `https://…`, with at most a `/` after it. Returns it without the
/// slash (an origin, to which a page's path is appended), or what is
/// wrong with it.
pub fn origin(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| format!("`{url}` does not start with http:// or https://"))?;
    let host = rest.strip_suffix('/').unwrap_or(rest);
    if host.is_empty() {
        return Err(format!("`{url}` names no host"));
    }
    if host.contains(['/', '?', '#']) {
        return Err(format!(
            "`{url}` has a path, a query or a fragment; give the address the site answers at, e.g. http://10.0.0.5:1111/"
        ));
    }
    if !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~:[]%".contains(&b))
    {
        return Err(format!("`{url}` holds characters no host name has"));
    }
    Ok(url[..url.len() - (rest.len() - host.len())].to_string())
}

/// The address of the page at `path` (percent-encoded, as a browser's
/// `location.pathname`) on `origin`; `None` for anything else.
pub fn page_url(origin: &str, path: &str) -> Option<String> {
    let clean = path.len() <= MAX_PATH
        && path.starts_with('/')
        && !path.starts_with("//")
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@%".contains(&b));
    clean.then(|| format!("{origin}{path}"))
}

/// The code's modules, row by row (`true` is dark), and its width.
fn modules(text: &str) -> Option<(Vec<bool>, usize)> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Some((dark, width))
}

/// `text` as a QR code in SVG: black on white with its quiet zone, one
/// unit per module, each row's dark runs one path segment.
pub fn svg(text: &str) -> Option<String> {
    let (dark, width) = modules(text)?;
    let side = width + 2 * QUIET;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\""
    );
    for (y, row) in dark.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let run = row[x..].iter().take_while(|&&d| d).count();
            out.push_str(&format!("M{} {}h{run}v1h-{run}z", x + QUIET, y + QUIET));
            x += run;
        }
    }
    out.push_str("\"/></svg>\n");
    Some(out)
}

/// `text` as a QR code for a terminal, two rows of modules a line:
/// light modules (and the quiet zone) are drawn, dark ones left blank, so
/// on a terminal with a dark background it reads as a printed code does.
pub fn terminal(text: &str) -> Option<String> {
    let (dark, width) = modules(text)?;
    let side = width + 2 * QUIET;
    let light = |x: usize, y: usize| {
        x < QUIET
            || y < QUIET
            || x >= width + QUIET
            || y >= width + QUIET
            || !dark[(y - QUIET) * width + (x - QUIET)]
    };
    let mut out = String::new();
    for y in (0..side).step_by(2) {
        for x in 0..side {
            let top = light(x, y);
            let bottom = y + 1 < side && light(x, y + 1);
            out.push(match (top, bottom) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_svg_is_sized_by_its_view_box() {
        let svg = svg("http://10.0.0.5:1111/").unwrap();
        // Version 2 at level M: 25 modules and the quiet zone (read back in
        // tests/serve.rs, as `serve` answers it).
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 33 33\" "),
            "{svg}"
        );
        assert!(!svg.contains("width=\"33\" height=\"33\" viewBox"));
    }

    #[test]
    fn the_terminal_code_is_two_rows_a_line_with_its_quiet_zone() {
        let text = terminal("http://10.0.0.5:1111/").unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // 25 modules and four of quiet zone each side: 33 wide, 17 lines
        // (read back as a phone reads it in tests/serve.rs).
        assert_eq!(lines.len(), 17);
        assert!(lines.iter().all(|l| l.chars().count() == 33));
        assert!(lines[..2].iter().all(|l| l.chars().all(|c| c == '█')));
    }

    #[test]
    fn origins_are_checked() {
        assert_eq!(
            origin("http://10.0.0.5:1111/").unwrap(),
            "http://10.0.0.5:1111"
        );
        assert_eq!(
            origin("https://kurs.example").unwrap(),
            "https://kurs.example"
        );
        assert_eq!(
            origin("http://[fd00::5]:8080").unwrap(),
            "http://[fd00::5]:8080"
        );
        for bad in [
            "10.0.0.5:1111",
            "ftp://x/",
            "http://",
            "http:///",
            "http://x/kurs/",
            "http://x?a=1",
            "http://x y/",
            "http://x\"onload=\"/",
        ] {
            assert!(origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_a_served_path_becomes_an_address() {
        let o = "http://10.0.0.5:1111";
        assert_eq!(
            page_url(o, "/case/tapt-p%C3%A5-pris/").unwrap(),
            "http://10.0.0.5:1111/case/tapt-p%C3%A5-pris/"
        );
        assert_eq!(page_url(o, "/").unwrap(), "http://10.0.0.5:1111/");
        for bad in ["", "artikler/", "//evil.example/", "/a b/", "/a\"b", "/<x>"] {
            assert!(page_url(o, bad).is_none(), "{bad:?}");
        }
        assert!(page_url(o, &format!("/{}", "a".repeat(MAX_PATH))).is_none());
    }
}
