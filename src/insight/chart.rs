//! Bar-chart geometry, computed at build time so templates only place
//! numbers: one row per group, a label above a horizontal bar, the count
//! (and share) at the end of the bar. All in a 400-unit-wide view box that
//! scales with the page.

/// Width of the view box.
pub const WIDTH: f64 = 400.0;
/// Height of one row (label, bar, gap).
pub const ROW: f64 = 40.0;
/// Height of a bar.
pub const BAR: f64 = 14.0;
/// Room kept right of the longest bar for its value text.
const VALUE_ROOM: f64 = 92.0;
/// Longest label drawn in the chart (the table and link name carry it whole).
const MAX_LABEL: usize = 52;

/// Where one bar goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub y_label: f64,
    pub y_bar: f64,
    pub bar_w: f64,
    pub x_value: f64,
    pub y_value: f64,
}

fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The bars for `counts`, longest = the largest count; a non-empty group
/// is always at least visible.
pub fn bars(counts: &[usize]) -> Vec<Bar> {
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let room = WIDTH - VALUE_ROOM;
    counts
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let top = i as f64 * ROW;
            let w = if c == 0 {
                0.0
            } else {
                (c as f64 / max * room).max(3.0)
            };
            let w = one_decimal(w);
            Bar {
                y_label: top + 14.0,
                y_bar: top + 20.0,
                bar_w: w,
                x_value: one_decimal(w + 6.0),
                y_value: top + 31.0,
            }
        })
        .collect()
}

/// Height of a chart with `rows` bars.
pub fn height(rows: usize) -> f64 {
    (rows.max(1) as f64) * ROW + 2.0
}

/// A label short enough for the chart.
pub fn short_label(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL {
        label.to_string()
    } else {
        let cut: String = label.chars().take(MAX_LABEL - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_bar_is_the_largest_count() {
        let b = bars(&[4, 2, 0, 1]);
        assert_eq!(b[0].bar_w, WIDTH - VALUE_ROOM);
        assert_eq!(b[1].bar_w, (WIDTH - VALUE_ROOM) / 2.0);
        assert_eq!(b[2].bar_w, 0.0);
        assert!(b[3].bar_w > 0.0);
        assert_eq!(b[1].y_bar, ROW + 20.0);
        assert_eq!(height(4), 4.0 * ROW + 2.0);
    }

    #[test]
    fn long_labels_are_cut() {
        let l = "a".repeat(80);
        assert_eq!(short_label(&l).chars().count(), MAX_LABEL);
        assert_eq!(short_label("Helse"), "Helse");
    }
}
