//! Sharing the served site in a workshop: the address participants open
//! (this machine as the network reaches it, or the one `--network-url`
//! names), checked once, and a page's address on it, which [`crate::qr`]
//! draws in the terminal under "On the network at" and as the SVG
//! ([`QR`]) the trainer's page shows full screen for the room to scan.

/// The QR code of a page on the network address: `?path=/a/b/`, the
/// page's path as the browser sends it (percent-encoded).
pub const QR: &str = "/__vinn/qr.svg";

/// The longest path a QR code is made for (a served path is far shorter).
const MAX_PATH: usize = 1024;

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

#[cfg(test)]
mod tests {
    use super::*;

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
