//! QR codes of addresses, drawn two ways: as an SVG sized by its `viewBox`
//! alone (served for a workshop's projector, printed on a course's
//! handout) and as text for a terminal, whose blocks come out the right
//! way round on a dark background. The code itself (Reed–Solomon, masks,
//! versions) is the `qrcode` crate's; the drawing is ours.

use qrcode::{Color, EcLevel, QrCode};

/// Modules of white around the code, as the standard asks.
const QUIET: usize = 4;

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
}
