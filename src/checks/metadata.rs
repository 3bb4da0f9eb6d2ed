//! What an image or a recording says about where it was made and by whom.
//!
//! A photo in a case study can lead back to the customer as surely as a
//! name in its text: cameras and phones write the GPS position into the
//! file's EXIF block, and often the photographer's or the owner's name;
//! editors copy both into an XMP packet. This module owns reading the EXIF
//! block — from a JPEG's APP1 segment, a PNG's `eXIf` chunk, a WebP's
//! `EXIF` chunk, a HEIC's or AVIF's EXIF item, or a TIFF file — and the
//! XMP packet, and finding those fields in them; for a video or a
//! recording, QuickTime's place and artist ([`scan_video`]) (a sound
//! recording's tags are `tags`'). It gives the values behind the names it
//! finds ([`Meta`]), for allow entries. It is pure
//! (bytes in, findings out) and never trusts the bytes: every offset is
//! checked, and a malformed block finds nothing.

/// Identifying metadata found in an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MetaFinding {
    /// A GPS position (latitude or longitude).
    Gps,
    /// A person's name, in the EXIF field named.
    Person(&'static str),
}

impl MetaFinding {
    /// What the finding is, and what to do about it, for `file`.
    pub fn message(self, file: &str) -> String {
        match self {
            MetaFinding::Gps => format!(
                "the image carries the GPS position where it was taken (EXIF): a case study must not lead back to a customer; remove it, e.g. `exiftool -overwrite_original {} {file}`",
                self.exiftool_removal()
            ),
            MetaFinding::Person(field) => format!(
                "the image names a person in its metadata field `{field}`: a case study must not lead back to a person; remove it, e.g. `exiftool -overwrite_original {} {file}`",
                self.exiftool_removal()
            ),
        }
    }

    /// What a finding of [`scan_video`] is, and how to remove it, for
    /// `file`.
    pub fn video_message(self, file: &str) -> String {
        match self {
            MetaFinding::Gps => format!(
                "the recording carries the place where it was made (its GPS position): a case study must not lead back to a customer; remove it, e.g. `exiftool -overwrite_original -location:all= {file}`"
            ),
            MetaFinding::Person(_) => format!(
                "the recording names a person as its artist or author: a case study must not lead back to a person; remove it, e.g. `exiftool -overwrite_original -artist= -author= {file}`"
            ),
        }
    }

    /// What a finding in a photo put into a text as a `data:` URI is, and
    /// how to remove it.
    pub fn inline_message(self) -> String {
        let what = match self {
            MetaFinding::Gps => {
                "carries the GPS position where it was taken (EXIF): a case study must not lead back to a customer".to_string()
            }
            MetaFinding::Person(field) => format!(
                "names a person in its metadata field `{field}`: a case study must not lead back to a person"
            ),
        };
        format!(
            "a photo put in as a `data:` URI {what}; remove it from the photo, e.g. `exiftool -overwrite_original {} foto.jpg` on the photo saved as a file, and link that file instead of putting the photo in",
            self.exiftool_removal()
        )
    }

    /// The exiftool argument that removes what was found (`-gps:all=`,
    /// `-artist=`).
    pub fn exiftool_removal(self) -> String {
        match self {
            MetaFinding::Gps => "-gps:all=".to_string(),
            MetaFinding::Person(field) => {
                format!("-{}=", field.trim_start_matches("dc:").to_ascii_lowercase())
            }
        }
    }
}

/// What a file's metadata says: what in it leads back to someone, and
/// the names behind its [`MetaFinding::Person`] findings, each with its
/// field (`Artist`, `dc:creator`), so that an allow entry naming the
/// publisher (`Salgsskolen AS` as a photo's `Artist`) can be told from a
/// person.
#[derive(Debug, Default, PartialEq)]
pub struct Meta {
    /// Sorted, each once.
    pub found: Vec<MetaFinding>,
    pub names: Vec<(&'static str, String)>,
}

impl Meta {
    /// The metadata that gives `names` (a finding for each field) and,
    /// with `gps`, a position.
    pub fn of(names: Vec<(&'static str, String)>, gps: bool) -> Meta {
        let mut found: Vec<MetaFinding> = names
            .iter()
            .map(|&(field, _)| MetaFinding::Person(field))
            .collect();
        if gps {
            found.push(MetaFinding::Gps);
        }
        found.sort();
        found.dedup();
        Meta { found, names }
    }
}

/// An image file's metadata (nothing for a file that is not a JPEG, PNG,
/// WebP, TIFF or HEIC and holds no XMP packet): its EXIF block's and its
/// XMP packet's position and names (EXIF `Artist`, `XPAuthor` decoded
/// from UCS-2, `CameraOwnerName`, XMP `dc:creator`).
pub fn scan(bytes: &[u8]) -> Meta {
    let exif = exif_block(bytes);
    let packet = xmp_packet(bytes);
    let mut names = exif.map(exif_names).unwrap_or_default();
    names.extend(xmp_names(packet));
    Meta::of(
        names,
        exif.is_some_and(exif_gps) || packet.is_some_and(xmp_gps),
    )
}

/// The findings in a video's or a recording's metadata (MP4, MOV, M4A, as
/// a phone saves them): the place it was recorded (`©xyz`, or Apple's
/// `com.apple.quicktime.location.ISO6709`) and its artist or author
/// (`©ART`, `©aut`), in either of QuickTime's forms (user data, or an
/// item list's `data` atom). `bytes` may be the file's first and last
/// megabytes only: the movie box sits at one end.
pub fn scan_video(bytes: &[u8]) -> Meta {
    let coordinates = |v: &&[u8]| {
        v.windows(2)
            .any(|w| (w[0] == b'+' || w[0] == b'-') && w[1].is_ascii_digit())
    };
    let packet = xmp_packet(bytes);
    let mut names: Vec<(&'static str, String)> = video_artists(bytes)
        .into_iter()
        .map(|v| ("Artist", String::from_utf8_lossy(v).trim().to_string()))
        .collect();
    names.extend(xmp_names(packet));
    let gps = video_values(bytes, b"\xa9xyz").iter().any(coordinates)
        || find(bytes, b"com.apple.quicktime.location.ISO6709").is_some()
        || packet.is_some_and(xmp_gps);
    Meta::of(names, gps)
}

/// The values of QuickTime's artist and author (`©ART`, `©aut`) that hold
/// letters.
fn video_artists(bytes: &[u8]) -> Vec<&[u8]> {
    let named = |v: &&[u8]| v.iter().any(|c| c.is_ascii_alphabetic() || *c >= 0x80);
    let mut out = video_values(bytes, b"\xa9ART");
    out.extend(video_values(bytes, b"\xa9aut"));
    out.retain(named);
    out
}

/// The values after each QuickTime `tag` in `bytes`: in user data (a
/// 16-bit length and a language, then the value) or in an item list's
/// `data` atom (its size, type and locale, then the value); 256 bytes at
/// most each.
fn video_values<'a>(bytes: &'a [u8], tag: &[u8]) -> Vec<&'a [u8]> {
    let value = |at: usize| -> &'a [u8] {
        let after = &bytes[(at + 4).min(bytes.len())..];
        let (start, len) = if after.get(4..8) == Some(b"data") {
            let size = after
                .get(..4)
                .map_or(0, |s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]));
            (16, (size as usize).saturating_sub(16))
        } else {
            let len = after
                .get(..2)
                .map_or(0, |s| u16::from_be_bytes([s[0], s[1]]));
            (4, usize::from(len))
        };
        after
            .get(start..)
            .map_or(&[][..], |v| &v[..len.min(v.len()).min(256)])
    };
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], tag) {
        out.push(value(from + at));
        from += at + tag.len();
    }
    out
}

/// Whether an XMP packet (the XML that editors such as Lightroom write
/// beside EXIF, or instead of it, wherever it sits in the file) gives a
/// position.
fn xmp_gps(packet: &[u8]) -> bool {
    find(packet, b"GPSLatitude").is_some() || find(packet, b"GPSLongitude").is_some()
}

/// The creators an XMP packet names, as names with their field.
fn xmp_names(packet: Option<&[u8]>) -> Vec<(&'static str, String)> {
    packet
        .map(creators_in)
        .unwrap_or_default()
        .into_iter()
        .map(|c| ("dc:creator", c))
        .collect()
}

/// Where `needle` first occurs in `hay`.
pub(super) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// The first XMP packet in `b`, from `<x:xmpmeta` to its end.
pub(super) fn xmp_packet(b: &[u8]) -> Option<&[u8]> {
    let rest = &b[find(b, b"<x:xmpmeta")?..];
    Some(&rest[..find(rest, b"</x:xmpmeta>").unwrap_or(rest.len())])
}

/// The creators the first XMP packet in `b` names. Documents (PDF) keep
/// their author there too.
pub(crate) fn xmp_creators(b: &[u8]) -> Vec<String> {
    xmp_packet(b).map(creators_in).unwrap_or_default()
}

/// The creators an XMP packet names: `<dc:creator><rdf:Seq><rdf:li>Name
/// </rdf:li>…`, each item with text in it.
fn creators_in(packet: &[u8]) -> Vec<String> {
    let Some(at) = find(packet, b"<dc:creator") else {
        return Vec::new();
    };
    let creator = &packet[at..];
    let creator = &creator[..find(creator, b"</dc:creator>").unwrap_or(creator.len())];
    creator
        .split(|&c| c == b'<')
        .filter(|part| part.starts_with(b"rdf:li"))
        .filter_map(|part| {
            let gt = part.iter().position(|&c| c == b'>')?;
            let text = String::from_utf8_lossy(&part[gt + 1..]).trim().to_string();
            (!text.is_empty()).then_some(text)
        })
        .collect()
}

/// The EXIF block (a TIFF structure) of a JPEG, PNG, WebP or HEIC/AVIF
/// file, or a TIFF file itself.
fn exif_block(b: &[u8]) -> Option<&[u8]> {
    if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        return Some(b);
    }
    if b.starts_with(&[0xff, 0xd8]) {
        // JPEG: segments up to the image data; APP1 starting "Exif\0\0".
        let mut i = 2;
        while i + 4 <= b.len() && b[i] == 0xff {
            let marker = b[i + 1];
            if marker == 0xda || marker == 0xd9 {
                return None;
            }
            let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
            let body = b.get(i + 4..i + 2 + len)?;
            if marker == 0xe1
                && let Some(tiff) = body.strip_prefix(b"Exif\0\0")
            {
                return Some(tiff);
            }
            i += 2 + len;
        }
        return None;
    }
    if let Some(mut rest) = b.strip_prefix(b"\x89PNG\r\n\x1a\n") {
        // PNG: length, type, data, CRC.
        while rest.len() >= 12 {
            let len = u32::from_be_bytes(rest[..4].try_into().ok()?) as usize;
            let kind = &rest[4..8];
            let data = rest.get(8..8 + len)?;
            if kind == b"eXIf" {
                return Some(data);
            }
            if kind == b"IDAT" || kind == b"IEND" {
                return None;
            }
            rest = rest.get(12 + len..)?;
        }
        return None;
    }
    if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
        // WebP: RIFF chunks, padded to even lengths.
        let mut rest = b.get(12..)?;
        while rest.len() >= 8 {
            let len = u32::from_le_bytes(rest[4..8].try_into().ok()?) as usize;
            let data = rest.get(8..8 + len)?;
            if &rest[..4] == b"EXIF" {
                return Some(data.strip_prefix(b"Exif\0\0").unwrap_or(data));
            }
            rest = rest.get(8 + len + (len & 1)..).unwrap_or(&[]);
        }
    }
    if b.get(4..8) == Some(b"ftyp") {
        // HEIC, HEIF, AVIF (an ISO media file, as a phone saves a photo):
        // the EXIF item is "Exif\0\0" and a TIFF structure, wherever the
        // file puts it.
        let mut from = 0;
        while let Some(at) = find(&b[from..], b"Exif\0\0") {
            let tiff = &b[from + at + 6..];
            if tiff.starts_with(b"II*\0") || tiff.starts_with(b"MM\0*") {
                return Some(tiff);
            }
            from += at + 6;
        }
    }
    None
}

/// A TIFF structure's byte order and bytes.
struct Tiff<'a> {
    b: &'a [u8],
    little: bool,
}

/// One directory entry: tag, type, count, and the value or its offset.
struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    value: u32,
}

impl<'a> Tiff<'a> {
    /// The TIFF structure `b`, when its header says which byte order.
    fn of(b: &'a [u8]) -> Option<Tiff<'a>> {
        let little = match b.get(..4)? {
            b"II*\0" => true,
            b"MM\0*" => false,
            _ => return None,
        };
        Some(Tiff { b, little })
    }

    fn u16(&self, at: usize) -> Option<u16> {
        let s: [u8; 2] = self.b.get(at..at + 2)?.try_into().ok()?;
        Some(if self.little {
            u16::from_le_bytes(s)
        } else {
            u16::from_be_bytes(s)
        })
    }

    fn u32(&self, at: usize) -> Option<u32> {
        let s: [u8; 4] = self.b.get(at..at + 4)?.try_into().ok()?;
        Some(if self.little {
            u32::from_le_bytes(s)
        } else {
            u32::from_be_bytes(s)
        })
    }

    /// The entries of the directory at `at` (none where it does not fit).
    fn entries(&self, at: usize) -> Vec<Entry> {
        let Some(n) = self.u16(at) else {
            return Vec::new();
        };
        (0..usize::from(n))
            .map_while(|k| {
                let e = at + 2 + 12 * k;
                Some(Entry {
                    tag: self.u16(e)?,
                    kind: self.u16(e + 2)?,
                    count: self.u32(e + 4)?,
                    value: self.u32(e + 8)?,
                })
            })
            .collect()
    }

    /// A text entry's text (ASCII, or with `ucs2` the UCS-2 bytes of
    /// Windows's `XP` fields), when it holds anything but blanks and NULs.
    fn text(&self, e: &Entry, ucs2: bool) -> Option<String> {
        let len = e.count as usize;
        let bytes = if len <= 4 {
            // The value sits in the entry itself: its 4 bytes as stored.
            let v = if self.little {
                e.value.to_le_bytes()
            } else {
                e.value.to_be_bytes()
            };
            v[..len].to_vec()
        } else {
            self.b
                .get(e.value as usize..(e.value as usize).checked_add(len)?)?
                .to_vec()
        };
        // ASCII, BYTE or UNDEFINED (Windows's `XP` fields are UCS-2 bytes):
        // numbers are not names.
        if !matches!(e.kind, 1 | 2 | 7) || bytes.iter().all(|&c| c == 0 || c.is_ascii_whitespace())
        {
            return None;
        }
        let text = if ucs2 {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        Some(
            text.trim_matches(|c: char| c == '\0' || c.is_whitespace())
                .to_string(),
        )
    }
}

/// The names in an EXIF block's fields (see [`scan`]).
fn exif_names(b: &[u8]) -> Vec<(&'static str, String)> {
    let Some(t) = Tiff::of(b) else {
        return Vec::new();
    };
    let Some(ifd0) = t.u32(4) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in t.entries(ifd0 as usize) {
        match e.tag {
            0x013b => out.extend(t.text(&e, false).map(|v| ("Artist", v))),
            0x9c9d => out.extend(t.text(&e, true).map(|v| ("XPAuthor", v))),
            // The Exif directory: the camera owner's name.
            0x8769 => out.extend(
                t.entries(e.value as usize)
                    .iter()
                    .filter(|x| x.tag == 0xa430)
                    .filter_map(|x| t.text(x, false))
                    .map(|v| ("CameraOwnerName", v)),
            ),
            _ => {}
        }
    }
    out
}

/// Whether an EXIF block gives a position: a GPS directory with a
/// latitude or a longitude set (some phones write an empty one).
fn exif_gps(b: &[u8]) -> bool {
    let Some(t) = Tiff::of(b) else {
        return false;
    };
    let Some(ifd0) = t.u32(4) else {
        return false;
    };
    t.entries(ifd0 as usize).iter().any(|e| {
        e.tag == 0x8825
            && t.entries(e.value as usize)
                .iter()
                .any(|g| matches!(g.tag, 0x0002 | 0x0004) && g.count > 0)
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A TIFF block with IFD0 holding `artist` (when given) and pointers to
    /// a GPS directory with a latitude (when `gps`) and an Exif directory
    /// with a camera owner (when given), in either byte order.
    pub(crate) fn tiff(
        little: bool,
        gps: bool,
        artist: Option<&str>,
        owner: Option<&str>,
    ) -> Vec<u8> {
        let u16b = |v: u16| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let u32b = |v: u32| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let mut data: Vec<u8> = Vec::new(); // appended after the directories
        let entry = |tag: u16, kind: u16, count: u32, value: u32| {
            let mut e = Vec::new();
            e.extend(u16b(tag));
            e.extend(u16b(kind));
            e.extend(u32b(count));
            e.extend(u32b(value));
            e
        };
        // Layout: header (8), IFD0 at 8 with up to 3 entries (2+36+4 = 42),
        // GPS IFD at 50 (2+12+4 = 18), Exif IFD at 68 (18), data at 86.
        let data_at = 86u32;
        // A text's value: its bytes in the entry when they fit in four,
        // else their offset in the data.
        let mut text = |t: &str| -> (u32, u32) {
            let mut bytes = t.as_bytes().to_vec();
            bytes.push(0);
            let count = bytes.len() as u32;
            if bytes.len() <= 4 {
                bytes.resize(4, 0);
                let raw: [u8; 4] = bytes.try_into().unwrap();
                let v = if little {
                    u32::from_le_bytes(raw)
                } else {
                    u32::from_be_bytes(raw)
                };
                return (count, v);
            }
            let at = data_at + data.len() as u32;
            data.extend(bytes);
            (count, at)
        };
        let artist = artist.map(&mut text);
        let owner = owner.map(&mut text);
        let mut ifd0 = Vec::new();
        let mut n = 0u16;
        if let Some((count, value)) = artist {
            ifd0.extend(entry(0x013b, 2, count, value));
            n += 1;
        }
        ifd0.extend(entry(0x8825, 4, 1, 50));
        ifd0.extend(entry(0x8769, 4, 1, 68));
        n += 2;
        let mut out = Vec::new();
        out.extend(if little { *b"II*\0" } else { *b"MM\0*" });
        out.extend(u32b(8));
        out.extend(u16b(n));
        out.extend(ifd0);
        out.extend(u32b(0));
        out.resize(50, 0);
        // GPS directory: latitude, or only the version tag.
        out.extend(u16b(1));
        out.extend(if gps {
            entry(0x0002, 5, 3, 0)
        } else {
            entry(0x0000, 1, 4, 0x0202_0000)
        });
        out.extend(u32b(0));
        // Exif directory: the camera owner, or an exposure time.
        out.extend(u16b(1));
        match owner {
            Some((count, value)) => out.extend(entry(0xa430, 2, count, value)),
            None => out.extend(entry(0x829a, 5, 1, 0)),
        }
        out.extend(u32b(0));
        assert_eq!(out.len(), data_at as usize);
        out.extend(data);
        out
    }

    /// A JPEG of no pixels with `tiff` as its EXIF block.
    pub(crate) fn jpeg(tiff: &[u8]) -> Vec<u8> {
        let mut out = vec![0xff, 0xd8];
        let len = (2 + 6 + tiff.len()) as u16;
        out.extend([0xff, 0xe1]);
        out.extend(len.to_be_bytes());
        out.extend(b"Exif\0\0");
        out.extend(tiff);
        out.extend([0xff, 0xda, 0, 2, 0xff, 0xd9]);
        out
    }

    #[test]
    fn gps_and_names_are_found_in_either_byte_order() {
        for little in [true, false] {
            let all = jpeg(&tiff(little, true, Some("Kari Nordmann"), Some("Ola")));
            assert_eq!(
                scan(&all).found,
                [
                    MetaFinding::Gps,
                    MetaFinding::Person("Artist"),
                    MetaFinding::Person("CameraOwnerName")
                ],
                "little-endian: {little}"
            );
            // The names behind them, for allow entries.
            assert_eq!(
                scan(&all).names,
                [
                    ("Artist", "Kari Nordmann".to_string()),
                    ("CameraOwnerName", "Ola".to_string())
                ]
            );
            // Short names sit in the entry itself.
            let short = jpeg(&tiff(little, false, Some("Ola"), None));
            assert_eq!(scan(&short).found, [MetaFinding::Person("Artist")]);
            assert_eq!(scan(&short).names, [("Artist", "Ola".to_string())]);
            let none = jpeg(&tiff(little, false, None, None));
            assert_eq!(scan(&none).found, []);
            let blank = jpeg(&tiff(little, false, Some("    "), Some("")));
            assert_eq!(scan(&blank).found, []);
        }
    }

    #[test]
    fn videos_carry_a_place_and_an_artist() {
        // QuickTime's user data: tag, a 16-bit length and language, the value.
        let udta = |tag: &[u8], v: &str| {
            let mut b = (12 + v.len() as u32).to_be_bytes().to_vec();
            b.extend(tag);
            b.extend((v.len() as u16).to_be_bytes());
            b.extend([0x15, 0xc7]);
            b.extend(v.as_bytes());
            b
        };
        // An item list's atom: tag, then a `data` atom (type, locale, value).
        let ilst = |tag: &[u8], v: &str| {
            let mut b = (24 + v.len() as u32).to_be_bytes().to_vec();
            b.extend(tag);
            b.extend((16 + v.len() as u32).to_be_bytes());
            b.extend(b"data\0\0\0\x01\0\0\0\0");
            b.extend(v.as_bytes());
            b
        };
        let both = [MetaFinding::Gps, MetaFinding::Person("Artist")];
        let file = [
            udta(b"\xa9xyz", "+63.4300+010.3900/"),
            udta(b"\xa9ART", "Kari"),
        ]
        .concat();
        assert_eq!(scan_video(&file).found, both);
        let file = [
            ilst(b"\xa9xyz", "+63.4300+010.3900/"),
            ilst(b"\xa9aut", "Ola"),
        ]
        .concat();
        assert_eq!(scan_video(&file).found, both);
        assert_eq!(scan_video(&file).names, [("Artist", "Ola".to_string())]);
        // Apple's key names the place; empty values name nothing.
        assert_eq!(
            scan_video(b"keys....mdtacom.apple.quicktime.location.ISO6709").found,
            [MetaFinding::Gps]
        );
        let empty = [
            ilst(b"\xa9xyz", ""),
            udta(b"\xa9ART", ""),
            ilst(b"\xa9ART", ""),
        ]
        .concat();
        assert_eq!(scan_video(&empty), Meta::default());
        // Cut anywhere, it does not panic.
        for cut in 0..file.len() {
            let _ = scan_video(&file[..cut]);
        }
    }

    #[test]
    fn heic_carries_exif_as_an_item() {
        // An ISO media file: `ftyp`, then boxes; the EXIF item's data (a
        // 4-byte offset, "Exif\0\0", the TIFF structure) in `mdat`.
        let tiff = tiff(false, true, Some("Kari Nordmann"), None);
        let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
        heic.extend(b"\0\0\0\x10meta\0\0\0\0Exif\0\0xx");
        heic.extend(b"\0\0\0\0mdat\0\0\0\x06Exif\0\0");
        heic.extend(&tiff);
        assert_eq!(
            scan(&heic).found,
            [MetaFinding::Gps, MetaFinding::Person("Artist")]
        );
        // Not an ISO media file: the search is not made.
        assert_eq!(scan(&heic[8..]).found, []);
    }

    #[test]
    fn png_and_webp_carry_exif_too() {
        let block = tiff(true, true, None, None);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [
            (&b"IHDR"[..], &[0u8; 13][..]),
            (b"eXIf", &block),
            (b"IEND", &[]),
        ] {
            png.extend((data.len() as u32).to_be_bytes());
            png.extend(kind);
            png.extend(data);
            png.extend([0; 4]);
        }
        assert_eq!(scan(&png).found, [MetaFinding::Gps]);
        let mut webp = b"RIFF\0\0\0\0WEBP".to_vec();
        for (kind, data) in [(&b"VP8X"[..], &[0u8; 10][..]), (b"EXIF", &block)] {
            webp.extend(kind);
            webp.extend((data.len() as u32).to_le_bytes());
            webp.extend(data);
            if data.len() % 2 == 1 {
                webp.push(0);
            }
        }
        assert_eq!(scan(&webp).found, [MetaFinding::Gps]);
        // A TIFF file is its own block.
        assert_eq!(scan(&block).found, [MetaFinding::Gps]);
    }

    #[test]
    fn xmp_packets_are_read_for_gps_and_the_creator() {
        let xmp = |body: &str| {
            let mut f = vec![0xff, 0xd8, 0xff, 0xe1, 0, 0];
            f.extend(b"http://ns.adobe.com/xap/1.0/\0");
            f.extend(format!("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><rdf:Description>{body}</rdf:Description></rdf:RDF></x:xmpmeta>").bytes());
            f
        };
        assert_eq!(
            scan(&xmp("<exif:GPSLatitude>59,55.2N</exif:GPSLatitude>")).found,
            [MetaFinding::Gps]
        );
        assert_eq!(
            scan(&xmp(
                "<dc:creator><rdf:Seq><rdf:li>Kari Nordmann</rdf:li></rdf:Seq></dc:creator>"
            )),
            Meta {
                found: vec![MetaFinding::Person("dc:creator")],
                names: vec![("dc:creator", "Kari Nordmann".to_string())],
            }
        );
        assert_eq!(
            scan(&xmp(
                "<dc:creator><rdf:Seq><rdf:li> </rdf:li></rdf:Seq></dc:creator><xmp:CreatorTool>Kamera</xmp:CreatorTool>"
            )),
            Meta::default()
        );
        // GPS outside the packet is not the packet's.
        let mut outside = xmp("");
        outside.extend(b"GPSLatitude");
        assert_eq!(scan(&outside).found, []);
    }

    #[test]
    fn damaged_blocks_find_nothing_and_never_panic() {
        let whole = jpeg(&tiff(true, true, Some("Kari Nordmann"), Some("Ola")));
        for cut in 0..whole.len() {
            let _ = scan(&whole[..cut]);
        }
        let mut bad = whole.clone();
        for at in 10..bad.len() {
            let keep = bad[at];
            bad[at] = 0xff;
            let _ = scan(&bad);
            bad[at] = keep;
        }
        assert_eq!(scan(b"not an image"), Meta::default());
        assert_eq!(scan(&[0xff, 0xd8, 0xff]), Meta::default());
    }
}
