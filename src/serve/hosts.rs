//! Which URLs the service may call. A request names the URLs to fetch the
//! plan from and to report to; a payload must not be able to make the
//! service send its access token, or any request, anywhere else. So every
//! URL must be on the `--tfc-host` host (the plan's redirect also on an
//! `--archivist-host`), over https unless the host is a loopback address,
//! with no user name or password in it.

use std::net::IpAddr;

/// A host, with the port when one was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    name: String,
    port: Option<u16>,
}

impl Host {
    /// `HOST` or `HOST:PORT` (`[::1]:PORT` for IPv6).
    pub fn parse(text: &str) -> Result<Host, String> {
        let url = url::Url::parse(&format!("https://{text}/"))
            .ok()
            .filter(|u| u.path() == "/" && u.username().is_empty() && u.query().is_none());
        let url = url.ok_or_else(|| {
            format!(
                "expected HOST or HOST:PORT, e.g. `app.terraform.io`, got `{}`",
                cname_preflight::display::shown(text)
            )
        })?;
        let name = url.host_str().unwrap_or_default().to_ascii_lowercase();
        // Url drops the default port; an explicit 443 means the same.
        Ok(Host {
            name,
            port: url.port(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl std::fmt::Display for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}:{port}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

impl Host {
    fn matches(&self, url: &url::Url) -> bool {
        let name = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let port = url.port_or_known_default();
        name == self.name && port == Some(self.port.unwrap_or(default_port(url.scheme())))
    }
}

fn default_port(scheme: &str) -> u16 {
    if scheme == "http" { 80 } else { 443 }
}

/// Whether `url` names a loopback host: only there is plain http allowed.
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// The URL `text` when it is allowed: absolute, https (http on a loopback
/// host), no credentials, on one of `hosts`. The error says why not, with
/// the host shown escaped and shortened (it comes from a payload).
pub fn allowed(text: &str, hosts: &[&Host]) -> Result<url::Url, String> {
    let url = url::Url::parse(text).map_err(|e| format!("not a URL ({e})"))?;
    let shown_host = || {
        let host = url.host_str().unwrap_or("?");
        let shown = match url.port_or_known_default() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        cname_preflight::display::shown(&shown)
    };
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        other => {
            return Err(format!(
                "`{}` URLs are refused: https is required",
                cname_preflight::display::shown(other)
            ));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("URLs with a user name or password are refused".into());
    }
    if !hosts.iter().any(|h| h.matches(&url)) {
        let names: Vec<String> = hosts.iter().map(|h| format!("`{h}`")).collect();
        return Err(format!(
            "host `{}` is not {}",
            shown_host(),
            names.join(" or ")
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_configured_host_over_https_is_allowed() {
        let tfc = Host::parse("app.terraform.io").unwrap();
        let hosts = [&tfc];
        assert!(
            allowed(
                "https://app.terraform.io/api/v2/plans/p/json-output",
                &hosts
            )
            .is_ok()
        );
        assert!(allowed("https://APP.terraform.io:443/x", &hosts).is_ok());
        assert!(allowed("http://app.terraform.io/x", &hosts).is_err());
        assert!(allowed("https://app.terraform.io:8443/x", &hosts).is_err());
        assert!(allowed("https://app.terraform.io.evil.example/x", &hosts).is_err());
        assert!(allowed("https://evil.example/x", &hosts).is_err());
        assert!(allowed("https://u:p@app.terraform.io/x", &hosts).is_err());
        assert!(allowed("file:///etc/passwd", &hosts).is_err());
        assert!(allowed("/relative", &hosts).is_err());
    }

    #[test]
    fn plain_http_is_allowed_on_loopback_only() {
        let local = Host::parse("127.0.0.1:8080").unwrap();
        assert!(allowed("http://127.0.0.1:8080/x", &[&local]).is_ok());
        assert!(allowed("http://127.0.0.1:8081/x", &[&local]).is_err());
        let lan = Host::parse("10.0.0.1:8080").unwrap();
        assert!(allowed("http://10.0.0.1:8080/x", &[&lan]).is_err());
        assert!(allowed("https://10.0.0.1:8080/x", &[&lan]).is_ok());
    }

    #[test]
    fn a_host_flag_is_a_host_and_nothing_more() {
        assert!(Host::parse("app.terraform.io/path").is_err());
        assert!(Host::parse("user@app.terraform.io").is_err());
        assert!(Host::parse("").is_err());
        assert_eq!(Host::parse("TFE.example:8443").unwrap().port, Some(8443));
    }
}
