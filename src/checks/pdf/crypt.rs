//! Opening a PDF its owner restricted: the standard security handler.
//!
//! A PDF can be encrypted with two passwords: a user password that opens
//! it and an owner password that lifts its restrictions (printing,
//! copying). Restricted offers and tender documents usually carry an owner
//! password alone: any reader opens them with the empty user password, and
//! so does the guard. This module owns making the file's key from the
//! empty password (revisions 2–4: MD5 and RC4; 5 and 6: SHA-2 and AES-256),
//! checking that it opens the file, and decrypting an object's strings and
//! streams (RC4, AES-128 or AES-256 in CBC mode). A file that needs a user
//! password stays closed.

use aes::cipher::{Array, BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use md5::{Digest, Md5};
use rc4::{Rc4, StreamCipher};
use sha2::{Sha256, Sha384, Sha512};

use super::{Dict, Obj};

/// The 32 bytes a password is padded with (PDF 32000-1, 7.6.3.3).
const PAD: [u8; 32] = [
    0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08,
    0x2e, 0x2e, 0x00, 0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c, 0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
];

/// How strings or streams are encrypted.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Method {
    Identity,
    Rc4,
    /// AES-128, its key made per object.
    AesV2,
    /// AES-256 with the file's key.
    AesV3,
}

/// The key and methods that open an encrypted PDF.
#[derive(Debug)]
pub struct Crypt {
    key: Vec<u8>,
    strings: Method,
    streams: Method,
    /// Whether the XMP metadata stream is encrypted too.
    pub metadata: bool,
}

impl Crypt {
    /// Opens the PDF whose encryption dictionary is `dict` and whose file
    /// identifier's first part is `id` with the empty user password: None
    /// when it needs another, or another security handler.
    pub fn open(dict: &Dict, id: &[u8]) -> Option<Crypt> {
        let number = |k: &[u8]| dict.get(k).and_then(Obj::number);
        let string = |k: &[u8]| match dict.get(k) {
            Some(Obj::String(s)) => Some(s.as_slice()),
            _ => None,
        };
        if dict.get(b"Filter").and_then(Obj::name) != Some(b"Standard") {
            return None;
        }
        let v = number(b"V").unwrap_or(0.0) as u32;
        let r = number(b"R").unwrap_or(0.0) as u32;
        let metadata = dict.get(b"EncryptMetadata") != Some(&Obj::Bool(false));
        let (strings, streams, len) = match v {
            1 => (Method::Rc4, Method::Rc4, 5),
            2 | 3 => {
                let bits = number(b"Length").unwrap_or(40.0) as usize;
                (Method::Rc4, Method::Rc4, (bits / 8).clamp(5, 16))
            }
            4 | 5 => {
                let filter = |k: &[u8]| crypt_filter(dict, k);
                let (strings, streams) = (filter(b"StrF")?, filter(b"StmF")?);
                let len = if v == 5 { 32 } else { 16 };
                (strings, streams, len)
            }
            _ => return None,
        };
        let u = string(b"U")?;
        let o = string(b"O")?;
        let key = match r {
            2..=4 => {
                let p = number(b"P")? as i64 as u32;
                let key = key_r4(o, p, id, r, len, metadata);
                (user_check_r4(&key, id, r)? == u.get(..if r == 2 { 32 } else { 16 })?)
                    .then_some(key)?
            }
            5 | 6 => {
                let hash = |salt: &[u8]| {
                    if r == 5 {
                        Sha256::digest([&b""[..], salt].concat()).to_vec()
                    } else {
                        hash_2b(b"", salt, b"")
                    }
                };
                if hash(u.get(32..40)?) != u.get(..32)? {
                    return None;
                }
                let ue = string(b"UE")?;
                let mut key = ue.get(..32)?.to_vec();
                aes_cbc_decrypt(&hash(u.get(40..48)?), &[0; 16], &mut key)?;
                key
            }
            _ => return None,
        };
        Some(Crypt {
            key,
            strings,
            streams,
            metadata,
        })
    }

    /// A string of object `number` (generation `generation`), decrypted.
    pub fn string(&self, number: u32, generation: u16, data: &[u8]) -> Option<Vec<u8>> {
        self.decrypt(self.strings, number, generation, data)
    }

    /// A stream's data of object `number` (generation `generation`), decrypted.
    pub fn stream(&self, number: u32, generation: u16, data: &[u8]) -> Option<Vec<u8>> {
        self.decrypt(self.streams, number, generation, data)
    }

    fn decrypt(
        &self,
        method: Method,
        number: u32,
        generation: u16,
        data: &[u8],
    ) -> Option<Vec<u8>> {
        let object_key = |salt: &[u8]| {
            let mut h = Md5::new();
            h.update(&self.key);
            h.update(&number.to_le_bytes()[..3]);
            h.update(generation.to_le_bytes());
            h.update(salt);
            let k = h.finalize();
            k[..(self.key.len() + 5).min(16)].to_vec()
        };
        match method {
            Method::Identity => Some(data.to_vec()),
            Method::Rc4 => Some(rc4(&object_key(b""), data)),
            Method::AesV2 | Method::AesV3 => {
                let key = if method == Method::AesV2 {
                    object_key(b"sAlT")
                } else {
                    self.key.clone()
                };
                let (iv, body) = data.split_at_checked(16)?;
                let mut out = body[..body.len() - body.len() % 16].to_vec();
                aes_cbc_decrypt(&key, iv, &mut out)?;
                // PKCS#7 padding, when it is well formed.
                if let Some(&n) = out.last()
                    && (1..=16).contains(&n)
                    && out.len() >= usize::from(n)
                    && out[out.len() - usize::from(n)..].iter().all(|&b| b == n)
                {
                    out.truncate(out.len() - usize::from(n));
                }
                Some(out)
            }
        }
    }
}

/// The method of the crypt filter `/StrF` or `/StmF` names.
fn crypt_filter(dict: &Dict, key: &[u8]) -> Option<Method> {
    let name = dict.get(key).and_then(Obj::name).unwrap_or(b"Identity");
    if name == b"Identity" {
        return Some(Method::Identity);
    }
    let filters = match dict.get(b"CF")? {
        Obj::Dict(d) => d,
        _ => return None,
    };
    let filter = match filters.get(name)? {
        Obj::Dict(d) => d,
        _ => return None,
    };
    match filter.get(b"CFM").and_then(Obj::name).unwrap_or(b"None") {
        b"V2" => Some(Method::Rc4),
        b"AESV2" => Some(Method::AesV2),
        b"AESV3" => Some(Method::AesV3),
        b"None" => Some(Method::Identity),
        _ => None,
    }
}

/// The file key of revisions 2–4 for the empty user password (7.6.3.3,
/// algorithm 2): `len` bytes, sixteen at most (an MD5 hash's; a damaged
/// file can pair revision 4 with version 5's 32).
fn key_r4(o: &[u8], p: u32, id: &[u8], r: u32, len: usize, metadata: bool) -> Vec<u8> {
    let len = len.min(16);
    let mut h = Md5::new();
    h.update(PAD);
    h.update(&o[..o.len().min(32)]);
    h.update(p.to_le_bytes());
    h.update(id);
    if r >= 4 && !metadata {
        h.update([0xff; 4]);
    }
    let mut key = h.finalize().to_vec();
    if r >= 3 {
        for _ in 0..50 {
            key = Md5::digest(&key[..len]).to_vec();
        }
    }
    key.truncate(len);
    key
}

/// What `/U` holds when `key` is the key of the empty user password
/// (algorithms 4 and 5): all 32 bytes for revision 2, the first 16 after.
fn user_check_r4(key: &[u8], id: &[u8], r: u32) -> Option<Vec<u8>> {
    if r == 2 {
        return Some(rc4(key, &PAD));
    }
    let mut x = Md5::new();
    x.update(PAD);
    x.update(id);
    let mut x = rc4(key, &x.finalize());
    for i in 1..=19u8 {
        let k: Vec<u8> = key.iter().map(|b| b ^ i).collect();
        x = rc4(&k, &x);
    }
    Some(x)
}

fn rc4(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    if let Ok(mut cipher) = Rc4::new_from_slice(key) {
        cipher.apply_keystream(&mut out);
    }
    out
}

/// Decrypts `data` (whole blocks) in place with AES-128 or AES-256 (by
/// `key`'s length) in CBC mode from `iv`.
fn aes_cbc_decrypt(key: &[u8], iv: &[u8], data: &mut [u8]) -> Option<()> {
    let mut prev: [u8; 16] = iv.try_into().ok()?;
    let mut each = |decrypt: &dyn Fn(&mut Array<u8, aes::cipher::consts::U16>)| {
        for chunk in data.chunks_exact_mut(16) {
            let mut block = Array::try_from(&*chunk).expect("16 bytes");
            let cipher_text: [u8; 16] = block.into();
            decrypt(&mut block);
            for (out, (p, v)) in chunk.iter_mut().zip(prev.iter().zip(block.iter())) {
                *out = p ^ v;
            }
            prev = cipher_text;
        }
    };
    match key.len() {
        16 => {
            let c = aes::Aes128::new_from_slice(key).ok()?;
            each(&|b| c.decrypt_block(b));
        }
        32 => {
            let c = aes::Aes256::new_from_slice(key).ok()?;
            each(&|b| c.decrypt_block(b));
        }
        _ => return None,
    }
    Some(())
}

/// Encrypts `data` (whole blocks) in place with AES-128 in CBC mode.
fn aes128_cbc_encrypt(key: &[u8], iv: &[u8], data: &mut [u8]) {
    let (Ok(c), Ok(mut prev)) = (aes::Aes128::new_from_slice(key), <[u8; 16]>::try_from(iv)) else {
        return;
    };
    for chunk in data.chunks_exact_mut(16) {
        for (b, p) in chunk.iter_mut().zip(prev) {
            *b ^= p;
        }
        let mut block = Array::try_from(&*chunk).expect("16 bytes");
        c.encrypt_block(&mut block);
        chunk.copy_from_slice(&block);
        prev = block.into();
    }
}

/// The hash of revision 6 (ISO 32000-2, 7.6.4.3.4, algorithm 2.B).
fn hash_2b(password: &[u8], salt: &[u8], udata: &[u8]) -> Vec<u8> {
    let mut k = Sha256::digest([password, salt, udata].concat()).to_vec();
    let mut round = 0usize;
    loop {
        let k1 = [password, &k, udata].concat().repeat(64);
        let mut e = k1;
        aes128_cbc_encrypt(&k[..16], &k[16..32], &mut e);
        let sum: u32 = e[..16].iter().map(|&b| u32::from(b)).sum();
        k = match sum % 3 {
            0 => Sha256::digest(&e).to_vec(),
            1 => Sha384::digest(&e).to_vec(),
            _ => Sha512::digest(&e).to_vec(),
        };
        round += 1;
        let last = usize::from(*e.last().unwrap_or(&0));
        if round >= 64 && last + 32 <= round {
            break;
        }
    }
    k.truncate(32);
    k
}
