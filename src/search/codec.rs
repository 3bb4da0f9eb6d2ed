//! Compact text encoding of integer lists used inside the index files.
//!
//! A number is written in base 32, most significant group first, one
//! character per group from a 64-character alphabet that is safe inside JSON
//! strings: groups that are followed by more groups use the upper half of the
//! alphabet, the last group uses the lower half. Numbers below 32 take one
//! character, below 1024 two.
//!
//! A *posting list* is a sequence of `(doc gap, score)` pairs, where the gap
//! is the distance to the previous document id minus one (the first gap is
//! the id itself). An *id list* is the same without scores.

/// The alphabet: index `g` ends a number, index `32 + g` continues it.
pub const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Append `v` to `out`.
pub fn push_num(out: &mut String, v: u32) {
    let mut groups = [0u8; 7];
    let mut n = 0;
    let mut x = v;
    loop {
        groups[n] = (x & 31) as u8;
        n += 1;
        x >>= 5;
        if x == 0 {
            break;
        }
    }
    for i in (0..n).rev() {
        let g = groups[i] as usize + if i > 0 { 32 } else { 0 };
        out.push(ALPHABET[g] as char);
    }
}

/// Decode a sequence of numbers; `None` on a foreign character or a
/// truncated number.
pub fn decode_nums(s: &str) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    let mut acc: u32 = 0;
    let mut open = false;
    for b in s.bytes() {
        let idx = ALPHABET.iter().position(|&a| a == b)? as u32;
        acc = acc.checked_mul(32)? | (idx & 31);
        if idx < 32 {
            out.push(acc);
            acc = 0;
            open = false;
        } else {
            open = true;
        }
    }
    if open { None } else { Some(out) }
}

/// Encode `(doc, score)` pairs sorted by ascending, distinct doc id.
pub fn encode_postings(list: &[(u32, u32)]) -> String {
    let mut out = String::with_capacity(list.len() * 3);
    let mut next = 0;
    for &(doc, score) in list {
        push_num(&mut out, doc - next);
        push_num(&mut out, score);
        next = doc + 1;
    }
    out
}

/// Decode a posting list written by [`encode_postings`].
pub fn decode_postings(s: &str) -> Option<Vec<(u32, u32)>> {
    let nums = decode_nums(s)?;
    if nums.len() % 2 != 0 {
        return None;
    }
    let mut next = 0u32;
    let mut out = Vec::with_capacity(nums.len() / 2);
    for pair in nums.chunks(2) {
        let doc = next.checked_add(pair[0])?;
        out.push((doc, pair[1]));
        next = doc + 1;
    }
    Some(out)
}

/// Encode ascending, distinct document ids.
pub fn encode_ids(ids: &[u32]) -> String {
    let mut out = String::with_capacity(ids.len() * 2);
    let mut next = 0;
    for &id in ids {
        push_num(&mut out, id - next);
        next = id + 1;
    }
    out
}

/// Decode an id list written by [`encode_ids`].
pub fn decode_ids(s: &str) -> Option<Vec<u32>> {
    let mut next = 0u32;
    let mut out = Vec::new();
    for gap in decode_nums(s)? {
        let id = next.checked_add(gap)?;
        out.push(id);
        next = id + 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        let vals = [0, 1, 31, 32, 1023, 1024, 65_535, 1 << 20, u32::MAX];
        let mut s = String::new();
        for v in vals {
            push_num(&mut s, v);
        }
        assert_eq!(decode_nums(&s).unwrap(), vals);
        let mut one = String::new();
        push_num(&mut one, 31);
        assert_eq!(one, "f");
        one.clear();
        push_num(&mut one, 33);
        assert_eq!(one, "hB");
    }

    #[test]
    fn postings_round_trip() {
        let list = [(0, 5), (1, 900), (7, 1), (300, 40)];
        let enc = encode_postings(&list);
        assert_eq!(decode_postings(&enc).unwrap(), list);
        assert_eq!(decode_ids(&encode_ids(&[2, 3, 90])).unwrap(), [2, 3, 90]);
        assert!(decode_nums("h").is_none());
        assert!(decode_nums("A\"").is_none());
    }
}
