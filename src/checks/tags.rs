//! What a sound recording's tags say.
//!
//! An interview recorded on a phone or a dictaphone carries, beside the
//! sound, a title, the speaker's or the recorder's name, comments and
//! pictures (a cover, a photo of who speaks): as much a way back to a
//! person as a name in a case's text. This module owns reading them: an
//! MP3's ID3 tags (ID3v2.2–2.4, and version 1 at the end), a WAV file's
//! `LIST`/`INFO`, `bext` and `iXML` chunks (and an ID3 tag inside one),
//! and the Vorbis comments of Ogg Vorbis, Opus and FLAC files, with FLAC's
//! and Ogg's pictures ([`read`]). It is pure (bytes in, fields out) and
//! never trusts the bytes: every length is checked, and a damaged tag
//! gives what could be read before the damage.

use std::borrow::Cow;

use super::metadata::MetaFinding;

/// A sound recording's format, as its first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Mp3,
    Wav,
    /// Ogg Vorbis or Opus.
    Ogg,
    Flac,
}

impl Format {
    /// The format of the recording in `bytes` (an MP3 unless its first
    /// bytes say otherwise: an MP3 may start with its sound).
    pub fn of(bytes: &[u8]) -> Format {
        let after_id3 = id3_len(bytes).and_then(|n| bytes.get(n..)).unwrap_or(bytes);
        if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WAVE") {
            Format::Wav
        } else if bytes.starts_with(b"OggS") {
            Format::Ogg
        } else if after_id3.starts_with(b"fLaC") {
            Format::Flac
        } else {
            Format::Mp3
        }
    }

    /// What its tags are called.
    fn tags(self) -> &'static str {
        match self {
            Format::Mp3 => "ID3 tags",
            Format::Wav => "INFO, bext or iXML chunks",
            Format::Ogg | Format::Flac => "Vorbis comments",
        }
    }

    /// A command that removes the tags of `file` (pictures and all).
    fn removal(self, file: &str) -> String {
        let ending = file.rsplit_once('.').map_or("", |(_, e)| e);
        match self {
            Format::Mp3 => format!("`id3v2 --delete-all {file}`"),
            Format::Flac => {
                format!("`metaflac --remove --block-type=VORBIS_COMMENT,PICTURE {file}`")
            }
            Format::Wav | Format::Ogg => format!(
                "`ffmpeg -i {file} -map_metadata -1 -c copy renset.{ending}`, and that file in its place"
            ),
        }
    }

    /// What a finding in the recording's tags is (a person named as its
    /// artist, composer or author), and how to remove them, for `file`.
    pub fn message(self, _: MetaFinding, file: &str) -> String {
        format!(
            "the recording names a person as its artist, composer or author in its {}: a case study must not lead back to a person; remove them, e.g. {}",
            self.tags(),
            self.removal(file)
        )
    }

    /// What a finding in a picture among the recording's tags is, and how
    /// to remove the pictures, for `file`.
    pub fn picture_message(self, finding: MetaFinding, file: &str) -> String {
        let what = match finding {
            MetaFinding::Gps => {
                "carries the GPS position where it was taken (EXIF): a case study must not lead back to a customer".to_string()
            }
            MetaFinding::Person(field) => format!(
                "names a person in its metadata field `{field}`: a case study must not lead back to a person"
            ),
        };
        let removal = match self {
            Format::Mp3 => format!("`eyeD3 --remove-all-images {file}`"),
            Format::Flac => format!("`metaflac --remove --block-type=PICTURE {file}`"),
            _ => self.removal(file),
        };
        format!(
            "a picture in the recording's {} (its cover, or a photo) {what}; remove the pictures, e.g. {removal}",
            self.tags()
        )
    }
}

/// A recording's tags.
#[derive(Debug)]
pub struct Tags<'a> {
    /// The recording's format, as its first bytes say.
    pub format: Format,
    /// Each value with its field's id (`TPE1`, `IART`, `ARTIST`; a
    /// picture's description as `APIC`), each value once, in order.
    pub values: Vec<(String, String)>,
    /// Each picture with the ending its format has (`jpg`, `png`, …), to be
    /// read as image files are.
    pub pictures: Vec<(&'static str, Cow<'a, [u8]>)>,
}

impl<'a> Tags<'a> {
    /// Each of `text`'s values (a tag may hold several, NUL-separated)
    /// under `id`, unless it is empty or there already.
    fn add(&mut self, id: &str, text: &str) {
        for value in text.split('\0') {
            let value = value.trim();
            if !value.is_empty() && !self.values.iter().any(|(_, v)| v == value) {
                self.values.push((id.to_string(), value.to_string()));
            }
        }
    }

    fn picture(&mut self, mime: &str, data: Cow<'a, [u8]>) {
        if let Some(ending) = picture_ending(mime, &data) {
            self.pictures.push((ending, data));
        }
    }
}

/// The tags of the recording in `bytes`, as its format keeps them. `bytes`
/// may be the file's first and last megabytes only.
pub fn read(bytes: &[u8]) -> Tags<'_> {
    let mut tags = Tags {
        format: Format::of(bytes),
        values: Vec::new(),
        pictures: Vec::new(),
    };
    match tags.format {
        Format::Mp3 => id3(bytes, &mut tags),
        Format::Wav => riff(bytes, &mut tags),
        Format::Ogg => ogg(bytes, &mut tags),
        Format::Flac => flac(bytes, &mut tags),
    }
    tags
}

/// Whether a field (by its id in any of the formats) names a person as
/// the recording's maker: its artists, composer, lyricist or author, a
/// WAV's artist, engineer, technician or commissioner.
pub fn is_artist(id: &str) -> bool {
    matches!(
        id,
        "TPE1"
            | "TPE2"
            | "TPE3"
            | "TPE4"
            | "TCOM"
            | "TEXT"
            | "TOLY"
            | "TOPE"
            | "TP1"
            | "TP2"
            | "TP3"
            | "TP4"
            | "TCM"
            | "TXT"
            | "TOL"
            | "TOA"
            | "IART"
            | "IENG"
            | "ITCH"
            | "ICMS"
            | "ARTIST"
            | "ALBUMARTIST"
            | "ALBUM ARTIST"
            | "PERFORMER"
            | "COMPOSER"
            | "LYRICIST"
            | "AUTHOR"
            | "CONDUCTOR"
            | "ARRANGER"
    )
}

/// The ending of a picture by its MIME type (or ID3v2.2's three letters),
/// or by its own first bytes where that is unclear; `None` for what is no
/// picture vinn reads.
fn picture_ending(mime: &str, data: &[u8]) -> Option<&'static str> {
    Some(
        match mime.to_ascii_lowercase().trim_start_matches("image/") {
            "jpeg" | "jpg" => "jpg",
            "png" => "png",
            "gif" => "gif",
            "webp" => "webp",
            "tiff" | "tif" => "tiff",
            _ if data.starts_with(&[0xff, 0xd8]) => "jpg",
            _ if data.starts_with(b"\x89PNG") => "png",
            _ => return None,
        },
    )
}

/// A little-endian 32-bit length at `at`.
fn le32(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
}

/// A big-endian 32-bit length at `at`.
fn be32(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize)
}

/// `len` bytes at `at`, if they are there.
fn slice(b: &[u8], at: usize, len: usize) -> Option<&[u8]> {
    b.get(at..at.checked_add(len)?)
}

/// Text that should be UTF-8, read as Latin-1 where it is not.
fn text_of(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => latin1(b),
    }
}

/// The length of the ID3v2 tag at the start of `bytes`, its header
/// included.
fn id3_len(bytes: &[u8]) -> Option<usize> {
    let head = bytes.get(..10).filter(|h| h.starts_with(b"ID3"))?;
    Some(
        10 + head[6..10]
            .iter()
            .fold(0usize, |n, &c| n << 7 | usize::from(c & 0x7f)),
    )
}

/// A WAV file's `LIST`/`INFO` values (by their ids: `INAM`, `IART`,
/// `ICMT`, …), its `bext` chunk's description, originator and reference,
/// its `iXML` chunk's text, and an ID3 tag in an `id3 ` chunk. The chunks
/// are walked from the start; a `LIST` or `id3 ` chunk after the sound
/// (where most tools put it) is found by its header when the sound's
/// chunk reaches past the bytes read.
fn riff<'a>(bytes: &'a [u8], tags: &mut Tags<'a>) {
    let mut chunks: Vec<(&[u8], &[u8])> = Vec::new();
    let mut at = 12;
    let mut walked_to_end = false;
    while let (Some(id), Some(size)) = (bytes.get(at..at + 4), le32(bytes, at + 4)) {
        let Some(data) = slice(bytes, at + 8, size) else {
            break;
        };
        chunks.push((id, data));
        at += 8 + size + (size & 1);
        walked_to_end = at >= bytes.len();
    }
    if !walked_to_end {
        for id in [&b"LIST"[..], b"id3 ", b"ID3 "] {
            for start in memchr::memmem::find_iter(bytes, id) {
                let Some(size) = le32(bytes, start + 4) else {
                    continue;
                };
                let data = &bytes[start + 8..bytes.len().min(start + 8 + size)];
                let known = if id == b"LIST" {
                    data.starts_with(b"INFO")
                } else {
                    data.starts_with(b"ID3")
                };
                if known && !chunks.iter().any(|(_, d)| d.as_ptr() == data.as_ptr()) {
                    chunks.push((id, data));
                }
            }
        }
    }
    for (id, data) in chunks {
        match id {
            b"LIST" if data.starts_with(b"INFO") => {
                let mut at = 4;
                while let (Some(sub), Some(size)) = (data.get(at..at + 4), le32(data, at + 4)) {
                    let Some(value) = slice(data, at + 8, size).or_else(|| data.get(at + 8..))
                    else {
                        break;
                    };
                    tags.add(&latin1(sub), &text_of(value));
                    at += 8 + size + (size & 1);
                }
            }
            b"bext" => {
                for (field, range) in [
                    ("Description", 0..256),
                    ("Originator", 256..288),
                    ("OriginatorReference", 288..320),
                ] {
                    if let Some(v) = data.get(range) {
                        tags.add(field, &text_of(v));
                    }
                }
            }
            b"iXML" => {
                // Its elements' text, one value each.
                let xml = text_of(data);
                let mut text = String::new();
                let mut inside = false;
                for c in xml.chars() {
                    match c {
                        '<' => {
                            inside = true;
                            text.push('\0');
                        }
                        '>' => inside = false,
                        _ if !inside => text.push(c),
                        _ => {}
                    }
                }
                tags.add("iXML", &text);
            }
            b"id3 " | b"ID3 " => id3(data, tags),
            _ => {}
        }
    }
}

/// The packets of an Ogg file's first logical stream, put together from
/// its pages, as far as the first `wanted` packets.
fn ogg_packets(bytes: &[u8], wanted: usize) -> Vec<Vec<u8>> {
    let mut packets: Vec<Vec<u8>> = Vec::new();
    let mut open = Vec::new();
    let mut serial = None;
    let mut at = 0;
    while packets.len() < wanted && bytes.get(at..at + 4) == Some(b"OggS") {
        let Some(&count) = bytes.get(at + 26) else {
            break;
        };
        let Some(table) = slice(bytes, at + 27, usize::from(count)) else {
            break;
        };
        let page_serial = le32(bytes, at + 14);
        let mut data = at + 27 + usize::from(count);
        let mine = *serial.get_or_insert(page_serial) == page_serial;
        for &len in table {
            let Some(part) = slice(bytes, data, usize::from(len)) else {
                return packets;
            };
            if mine {
                open.extend_from_slice(part);
                if len < 255 {
                    packets.push(std::mem::take(&mut open));
                }
            }
            data += usize::from(len);
        }
        at = data;
    }
    packets
}

/// An Ogg Vorbis or Opus file's comments (its second packet), and the
/// pictures among them.
fn ogg(bytes: &[u8], tags: &mut Tags<'_>) {
    let packets = ogg_packets(bytes, 2);
    let Some(comments) = packets.get(1) else {
        return;
    };
    let body = if let Some(rest) = comments.strip_prefix(b"\x03vorbis") {
        rest
    } else if let Some(rest) = comments.strip_prefix(b"OpusTags") {
        rest
    } else {
        return;
    };
    vorbis_comments(body, tags);
}

/// A Vorbis comment block: a vendor string, then `KEY=value` entries,
/// each after its little-endian length. A picture (`METADATA_BLOCK_PICTURE`,
/// FLAC's picture block in base64) is read as one.
fn vorbis_comments(b: &[u8], tags: &mut Tags<'_>) {
    let Some(vendor) = le32(b, 0) else {
        return;
    };
    let mut at = 4 + vendor;
    let Some(count) = le32(b, at) else {
        return;
    };
    at += 4;
    for _ in 0..count.min(10_000) {
        let Some(len) = le32(b, at) else {
            return;
        };
        let Some(entry) = slice(b, at + 4, len) else {
            return;
        };
        at += 4 + len;
        let entry = text_of(entry);
        let Some((key, value)) = entry.split_once('=') else {
            continue;
        };
        let key = key.to_ascii_uppercase();
        if key == "METADATA_BLOCK_PICTURE" || key == "COVERART" {
            if let Some(block) = super::datauri::base64(value) {
                if key == "COVERART" {
                    tags.picture("", Cow::Owned(block));
                } else {
                    flac_picture(&block, tags);
                }
            }
            continue;
        }
        tags.add(&key, value);
    }
}

/// A FLAC picture block: its type, MIME type, description and the image,
/// lengths big-endian (also inside an Ogg comment, decoded: so the image
/// is copied out).
fn flac_picture(b: &[u8], tags: &mut Tags<'_>) {
    let Some(mime_len) = be32(b, 4) else {
        return;
    };
    let Some(mime) = slice(b, 8, mime_len) else {
        return;
    };
    let at = 8 + mime_len;
    let Some(desc_len) = be32(b, at) else {
        return;
    };
    let Some(desc) = slice(b, at + 4, desc_len) else {
        return;
    };
    tags.add("APIC", &text_of(desc));
    let at = at + 4 + desc_len + 16;
    let Some(len) = be32(b, at) else {
        return;
    };
    let Some(data) = slice(b, at + 4, len) else {
        return;
    };
    tags.picture(&latin1(mime), Cow::Owned(data.to_vec()));
}

/// A FLAC file's Vorbis comments and pictures, from its metadata blocks
/// (after an ID3 tag some tools put before it).
fn flac(bytes: &[u8], tags: &mut Tags<'_>) {
    let start = id3_len(bytes).unwrap_or(0);
    let mut at = start + 4;
    while let Some(&head) = bytes.get(at) {
        let Some(len) = bytes
            .get(at + 1..at + 4)
            .map(|l| usize::from(l[0]) << 16 | usize::from(l[1]) << 8 | usize::from(l[2]))
        else {
            return;
        };
        let Some(block) = slice(bytes, at + 4, len) else {
            return;
        };
        match head & 0x7f {
            4 => vorbis_comments(block, tags),
            6 => flac_picture(block, tags),
            _ => {}
        }
        if head & 0x80 != 0 {
            return;
        }
        at += 4 + len;
    }
}

/// An MP3's ID3 tags into `tags`: each value with its frame's id (`TPE1`,
/// `TIT2`, `COMM`; ID3v1's fields as the same ids; a picture's description
/// as `APIC`) and each picture (`APIC`, 2.2's `PIC`). Both versions of
/// ID3v2's frames (2.2's three-letter ids, 2.3's and 2.4's four) and
/// ID3v1's block at the end are read; text is decoded from Latin-1, UTF-16
/// or UTF-8 as each frame says.
fn id3<'a>(bytes: &'a [u8], tags: &mut Tags<'a>) {
    for (id, data) in id3_frames(bytes) {
        if let Some(text) = id3_text(&id, data) {
            tags.add(&id, &text);
        } else if let Some(picture) = id3_picture(&id, data) {
            tags.add("APIC", &picture.description);
            tags.pictures
                .push((picture.ending, Cow::Borrowed(picture.data)));
        }
    }
    // ID3v1: 128 bytes at the end, fields of Latin-1 padded with NULs.
    if let Some(v1) = bytes
        .len()
        .checked_sub(128)
        .map(|at| &bytes[at..])
        .filter(|b| b.starts_with(b"TAG"))
    {
        for (id, range) in [
            ("TIT2", 3..33),
            ("TPE1", 33..63),
            ("TALB", 63..93),
            ("COMM", 97..127),
        ] {
            tags.add(id, &latin1(&v1[range]));
        }
    }
}

/// The frames of an ID3v2 tag at the start of `bytes`: each frame's id
/// and its data (after its header), in order.
fn id3_frames(bytes: &[u8]) -> Vec<(String, &[u8])> {
    let mut out = Vec::new();
    let Some(head) = bytes.get(..10).filter(|h| h.starts_with(b"ID3")) else {
        return out;
    };
    let major = head[3];
    let syncsafe = |b: &[u8]| {
        b.iter()
            .fold(0usize, |n, &c| n << 7 | usize::from(c & 0x7f))
    };
    let plain = |b: &[u8]| b.iter().fold(0usize, |n, &c| n << 8 | usize::from(c));
    let end = (10 + syncsafe(&head[6..10])).min(bytes.len());
    let mut at = 10;
    if head[5] & 0x40 != 0 {
        // An extended header: its size, counting itself in 2.4 only.
        let size = bytes.get(10..14).map_or(0, |b| match major {
            4 => syncsafe(b),
            _ => plain(b) + 4,
        });
        at += size;
    }
    let (id_len, header) = if major == 2 { (3, 6) } else { (4, 10) };
    while at + header <= end {
        let id = &bytes[at..at + id_len];
        if !id
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            break;
        }
        let size_bytes = &bytes[at + id_len..at + id_len + id_len];
        let size = if major == 4 {
            syncsafe(size_bytes)
        } else {
            plain(size_bytes)
        };
        let Some(data) = bytes.get(at + header..(at + header).saturating_add(size).min(end)) else {
            break;
        };
        out.push((String::from_utf8_lossy(id).into_owned(), data));
        at += header + size;
    }
    out
}

/// A picture frame's parts.
struct Id3Picture<'a> {
    ending: &'static str,
    description: String,
    data: &'a [u8],
}

/// An `APIC` frame's (or 2.2's `PIC`) picture: text encoding, the
/// format (a MIME type, or 2.2's three letters), the picture's type, a
/// description ended as its encoding ends text, then the image.
fn id3_picture<'a>(id: &str, data: &'a [u8]) -> Option<Id3Picture<'a>> {
    let (&encoding, rest) = data.split_first()?;
    let (format, rest) = match id {
        "APIC" => {
            let nul = rest.iter().position(|&b| b == 0)?;
            (latin1(&rest[..nul]).to_ascii_lowercase(), &rest[nul + 1..])
        }
        "PIC" => (latin1(rest.get(..3)?).to_ascii_lowercase(), rest.get(3..)?),
        _ => return None,
    };
    let rest = rest.get(1..)?; // the picture's type
    let wide = matches!(encoding, 1 | 2);
    let end = if wide {
        rest.chunks_exact(2).position(|c| c == [0, 0])? * 2
    } else {
        rest.iter().position(|&b| b == 0)?
    };
    let description = id3_decode(encoding, &rest[..end]);
    let picture = rest.get(end + if wide { 2 } else { 1 }..)?;
    let ending = picture_ending(&format, picture)?;
    Some(Id3Picture {
        ending,
        description,
        data: picture,
    })
}

/// The text of an ID3 frame `id` (`data` after its header), if it holds
/// text: a text frame's values, a user-defined one's description and
/// value, a comment's or a transcript's (`USLT`) description and text.
fn id3_text(id: &str, data: &[u8]) -> Option<String> {
    let (&encoding, rest) = data.split_first()?;
    let rest = match id {
        // A language, then a description and the text.
        "COMM" | "USLT" | "COM" | "ULT" => rest.get(3..)?,
        _ if id.starts_with('T') => rest,
        _ => return None,
    };
    Some(id3_decode(encoding, rest))
}

/// Text of an ID3 frame in its `encoding`: Latin-1, UTF-16 (with a byte
/// order mark, or big-endian without), UTF-8.
fn id3_decode(encoding: u8, rest: &[u8]) -> String {
    match encoding {
        0 => latin1(rest),
        1 | 2 => {
            let big = encoding == 2 || rest.starts_with(&[0xfe, 0xff]);
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|c| {
                    if big {
                        u16::from_be_bytes([c[0], c[1]])
                    } else {
                        u16::from_le_bytes([c[0], c[1]])
                    }
                })
                .filter(|&u| u != 0xfeff)
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => String::from_utf8_lossy(rest).into_owned(),
    }
}

/// Latin-1 bytes as text.
fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| char::from(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mp3_tags_are_read_in_each_version() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/anon/documents");
        let read = |name: &str| read(&std::fs::read(format!("{dir}/{name}")).unwrap()).values;
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        // id3v2's ID3v2.3 (Latin-1) and ID3v1: each value once.
        assert_eq!(
            read("tapsintervju.mp3"),
            pairs(&[
                ("TPE1", "Kari Nordmann"),
                ("TIT2", "Tapsintervju"),
                ("COMM", "Ring Brattli Maskin"),
            ])
        );
        // eyeD3's ID3v2.4 in UTF-16.
        assert_eq!(
            read("tapsintervju-v24.mp3"),
            pairs(&[
                ("TIT2", "Samtale med Ola Nordmann"),
                ("TPE1", "Kåre Østvik"),
            ])
        );
        assert_eq!(read("tapsintervju-renset.mp3"), []);
        assert!(is_artist("TPE1") && is_artist("TP1") && !is_artist("TIT2"));
        // ID3v2.2's three-letter frames, a UTF-8 comment with its language
        // and description.
        let mut v22 = b"ID3\x02\0\0\0\0\0\x1a".to_vec();
        v22.extend(b"TP1\0\0\x05\0Kari");
        v22.extend(b"COM\0\0\x09\x03nor\0Hei");
        v22.extend([0; 4]);
        assert_eq!(
            super::read(&v22).values,
            pairs(&[("TP1", "Kari"), ("COM", "Hei")])
        );
        // Cut or damaged anywhere, it does not panic.
        let b = std::fs::read(format!("{dir}/tapsintervju-v24.mp3")).unwrap();
        for i in 0..700 {
            let _ = super::read(&b[..i]);
            let mut bad = b.clone();
            bad[i] ^= 0xff;
            let _ = super::read(&bad);
        }
    }

    fn chunk(id: &[u8], data: &[u8]) -> Vec<u8> {
        let mut c = id.to_vec();
        c.extend((data.len() as u32).to_le_bytes());
        c.extend(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    }

    #[test]
    fn a_wav_files_chunks_are_read_before_and_after_the_sound() {
        let mut info = b"INFO".to_vec();
        info.extend(chunk(b"IART", b"Kari Nordmann\0"));
        info.extend(chunk(b"ICMT", "Møte på kontoret".as_bytes()));
        let mut bext = vec![0u8; 602];
        bext[..11].copy_from_slice(b"Beskrivelse");
        bext[256..262].copy_from_slice(b"Opptak");
        let ixml = b"<BWFXML><NOTE>Notat om Ola</NOTE><PROJECT>Kunde</PROJECT></BWFXML>";
        let mut id3 = b"ID3\x03\0\0\0\0\0\x0f".to_vec();
        id3.extend(b"TIT2\0\0\0\x05\0\0\0Navn");
        // The sound's chunk says it is longer than the bytes read (the
        // middle of a long file is not read): the chunks after it are
        // found by their headers.
        let mut sound = b"data".to_vec();
        sound.extend(1_000_000u32.to_le_bytes());
        sound.extend([0; 64]);
        let mut wav = b"RIFF\0\0\0\0WAVE".to_vec();
        wav.extend(chunk(b"bext", &bext));
        wav.extend(chunk(b"iXML", ixml));
        wav.extend(sound);
        wav.extend(chunk(b"LIST", &info));
        wav.extend(chunk(b"id3 ", &id3));
        assert_eq!(Format::of(&wav), Format::Wav);
        let tags = read(&wav);
        let values: Vec<(&str, &str)> = tags
            .values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            values,
            [
                ("Description", "Beskrivelse"),
                ("Originator", "Opptak"),
                ("iXML", "Notat om Ola"),
                ("iXML", "Kunde"),
                ("IART", "Kari Nordmann"),
                ("ICMT", "Møte på kontoret"),
                ("TIT2", "Navn"),
            ]
        );
        assert!(is_artist("IART") && !is_artist("ICMT"));
        for i in 0..wav.len() {
            let _ = read(&wav[..i]);
            let mut bad = wav.clone();
            bad[i] ^= 0xff;
            let _ = read(&bad);
        }
    }

    /// An Ogg page of `serial` holding `segments` (each at most 255 bytes).
    fn ogg_page(serial: u32, segments: &[&[u8]]) -> Vec<u8> {
        let mut p = b"OggS\0\0".to_vec();
        p.extend([0; 8]);
        p.extend(serial.to_le_bytes());
        p.extend([0; 8]);
        p.push(segments.len() as u8);
        p.extend(segments.iter().map(|s| s.len() as u8));
        for s in segments {
            p.extend(*s);
        }
        p
    }

    #[test]
    fn an_ogg_files_comments_are_put_together_across_pages() {
        // The comment packet (Opus's) is 300 bytes: 255 on the second
        // page, the rest on the third; a page of another stream between.
        let mut packet = b"OpusTags".to_vec();
        packet.extend(4u32.to_le_bytes());
        packet.extend(b"test");
        packet.extend(2u32.to_le_bytes());
        let artist = b"ARTIST=Kari Nordmann";
        packet.extend((artist.len() as u32).to_le_bytes());
        packet.extend(artist);
        let long = format!("COMMENT={}", "x".repeat(300 - packet.len() - 4 - 8));
        packet.extend((long.len() as u32).to_le_bytes());
        packet.extend(long.as_bytes());
        assert_eq!(packet.len(), 300);
        let mut ogg = ogg_page(7, &[b"OpusHead"]);
        ogg.extend(ogg_page(7, &[&packet[..255]]));
        ogg.extend(ogg_page(9, &[b"other stream"]));
        ogg.extend(ogg_page(7, &[&packet[255..]]));
        assert_eq!(Format::of(&ogg), Format::Ogg);
        let tags = read(&ogg);
        assert_eq!(tags.values[0], ("ARTIST".into(), "Kari Nordmann".into()));
        assert_eq!(tags.values[1].0, "COMMENT");
        for i in 0..ogg.len() {
            let _ = read(&ogg[..i]);
            let mut bad = ogg.clone();
            bad[i] ^= 0xff;
            let _ = read(&bad);
        }
    }

    #[test]
    fn the_recordings_tools_write_are_read() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/anon/documents");
        let file = |name: &str| std::fs::read(format!("{dir}/{name}")).unwrap();
        let keys = |name: &str| -> Vec<String> {
            read(&file(name))
                .values
                .into_iter()
                .map(|(k, _)| k)
                .collect()
        };
        for (name, format) in [
            ("opptak.wav", Format::Wav),
            ("opptak.ogg", Format::Ogg),
            ("opptak.opus", Format::Ogg),
            ("opptak.flac", Format::Flac),
            ("tapsintervju.mp3", Format::Mp3),
        ] {
            assert_eq!(Format::of(&file(name)), format, "{name}");
        }
        assert!(keys("opptak.wav").contains(&"IART".to_string()));
        assert!(keys("opptak.ogg").contains(&"ARTIST".to_string()));
        assert!(keys("opptak.flac").contains(&"ARTIST".to_string()));
        for name in ["opptak.opus", "opptak.flac"] {
            let bytes = file(name);
            let pictures = read(&bytes).pictures;
            assert_eq!(pictures.len(), 1, "{name}");
            assert_eq!(pictures[0].0, "jpg", "{name}");
        }
        for name in [
            "opptak-renset.wav",
            "opptak-renset.opus",
            "opptak-renset.flac",
        ] {
            let bytes = file(name);
            let tags = read(&bytes);
            assert!(
                tags.pictures.is_empty() && !tags.values.iter().any(|(k, _)| is_artist(k)),
                "{name}: {tags:?}"
            );
        }
        // Cut or damaged anywhere, none of them panics.
        for name in ["opptak.opus", "opptak.flac"] {
            let b = file(name);
            for i in (0..b.len()).step_by(7) {
                let _ = read(&b[..i]);
                let mut bad = b.clone();
                bad[i] ^= 0xff;
                let _ = read(&bad);
            }
        }
    }
}
