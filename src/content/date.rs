//! Dates in front matter: `YYYY-MM-DD`, optionally with an RFC 3339 time.
//! Validated (month lengths, leap years) and formatted per language.

use std::fmt;

use crate::config::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `2026-03-14`, `2026-03-14T09:30:00Z`, `2026-03-14 09:30`, or
    /// `2026-03-14T09:30:00+01:00`; the time part is checked but dropped.
    pub fn parse(s: &str) -> Result<Date, String> {
        let s = s.trim();
        let bad = || format!("`{s}` is not a date: write it as YYYY-MM-DD (e.g. 2026-03-14)");
        if s.len() < 10 || !s.is_char_boundary(10) {
            return Err(bad());
        }
        let (d, rest) = s.split_at(10);
        let b = d.as_bytes();
        if b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, String> {
            let part = &d[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let year = num(0..4)? as i32;
        let month = num(5..7)?;
        let day = num(8..10)?;
        if !(1..=12).contains(&month) {
            return Err(format!("`{s}`: month {month} does not exist"));
        }
        let max = days_in_month(year, month);
        if day == 0 || day > max {
            return Err(format!("`{s}`: day {day} does not exist in that month"));
        }
        if !rest.is_empty() {
            let t = rest
                .strip_prefix('T')
                .or_else(|| rest.strip_prefix(' '))
                .ok_or_else(bad)?;
            if !valid_time(t) {
                return Err(format!("`{s}`: the time part is not HH:MM[:SS][Z|±HH:MM]"));
            }
        }
        Ok(Date { year, month, day })
    }

    /// `27. november 2026` / `27 November 2026`.
    pub fn format(&self, lang: Language) -> String {
        const NB: [&str; 12] = [
            "januar",
            "februar",
            "mars",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "desember",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let m = (self.month - 1) as usize;
        match lang {
            Language::Nb => format!("{}. {} {}", self.day, NB[m], self.year),
            Language::En => format!("{} {} {}", self.day, EN[m], self.year),
        }
    }

    /// The quarter label used by insight: `2026-K1` / `2026-Q1`.
    pub fn quarter(&self) -> u32 {
        (self.month - 1) / 3 + 1
    }

    /// Appends the date as [`Date`]'s `Display` writes it (`2026-03-01`),
    /// without the formatting machinery: the sitemap writes one per page.
    pub fn push_to(&self, out: &mut String) {
        let digits = |out: &mut String, n: u32, width: u32| {
            for place in (0..width).rev() {
                out.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
            }
        };
        match (u32::try_from(self.year), self.month, self.day) {
            (Ok(y @ 0..=9999), m @ 0..=99, d @ 0..=99) => {
                digits(out, y, 4);
                out.push('-');
                digits(out, m, 2);
                out.push('-');
                digits(out, d, 2);
            }
            _ => {
                use std::fmt::Write;
                let _ = write!(out, "{self}");
            }
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn valid_time(t: &str) -> bool {
    let (clock, zone) = match t
        .find(['Z', 'z', '+'])
        .or_else(|| t.get(5..).and_then(|r| r.find('-').map(|i| i + 5)))
    {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let ok_num = |p: &str, max: u32| {
        let p = p.split('.').next().unwrap_or("");
        p.len() == 2 && p.parse::<u32>().is_ok_and(|v| v <= max)
    };
    let clock_ok = matches!(parts.len(), 2 | 3)
        && ok_num(parts[0], 23)
        && ok_num(parts[1], 59)
        && parts.get(2).is_none_or(|s| ok_num(s, 60));
    let zone_ok = zone.is_empty()
        || zone.eq_ignore_ascii_case("z")
        || (zone.len() == 6
            && ok_num(&zone[1..3], 23)
            && &zone[3..4] == ":"
            && ok_num(&zone[4..6], 59));
    clock_ok && zone_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_to_writes_what_display_writes() {
        for (year, month, day) in [
            (2026, 3, 1),
            (1999, 12, 31),
            (5, 1, 9),
            (0, 10, 10),
            (12345, 6, 7),
            (-3, 2, 2),
            (2026, 123, 4),
        ] {
            let d = Date { year, month, day };
            let mut s = String::from("x");
            d.push_to(&mut s);
            assert_eq!(s, format!("x{d}"));
        }
    }

    #[test]
    fn parses_and_validates() {
        assert_eq!(Date::parse("2026-03-14").unwrap().to_string(), "2026-03-14");
        assert!(Date::parse("2026-03-14T09:30:00Z").is_ok());
        assert!(Date::parse("2026-03-14T09:30:00+01:00").is_ok());
        assert!(Date::parse("2026-03-14 09:30").is_ok());
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2026-02-29").is_err());
        assert!(Date::parse("2026-13-01").is_err());
        assert!(Date::parse("14.03.2026").is_err());
        assert!(Date::parse("2026-03-14T25:00").is_err());
        assert!(Date::parse("igår").is_err());
    }

    #[test]
    fn formats_per_language() {
        let d = Date::parse("2026-11-27").unwrap();
        assert_eq!(d.format(Language::Nb), "27. november 2026");
        assert_eq!(d.format(Language::En), "27 November 2026");
    }
}
