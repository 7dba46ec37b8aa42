//! Proxy mode: a TLS terminator in front (nginx, `ssl_verify_client optional_no_ca`) proves the
//! card's key and forwards the certificate in a header. TOM believes that header only from the
//! proxies it trusts, and judges the card itself with the same verifier as in direct TLS.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, HeaderName};

use super::acceptor::PeerCard;
use super::verifier::CardCheck;
use crate::config::{Config, ProxyNetworks};
use crate::state::AppState;

/// The TLS version the proxy negotiated (nginx: `$ssl_protocol`).
pub const PROTOCOL_HEADER: &str = "x-ssl-protocol";
/// The client's address, appended by the proxy (nginx: `$proxy_add_x_forwarded_for`).
pub const FORWARDED_FOR_HEADER: &str = "x-forwarded-for";

/// At most this many untrusted addresses are remembered for "said once" warnings.
const WARNED_MAX: usize = 1024;

/// What TOM trusts of a reverse proxy: who it is, and where it puts the card.
#[derive(Debug)]
pub struct ProxyTrust {
    proxies: ProxyNetworks,
    cert_header: HeaderName,
    /// Untrusted addresses that sent proxy headers, already logged.
    warned: Mutex<HashSet<IpAddr>>,
    /// Trusted proxies that sent a certificate TOM cannot read, already logged.
    malformed: Mutex<HashSet<IpAddr>>,
}

impl ProxyTrust {
    pub fn from_config(config: &Config) -> anyhow::Result<Arc<Self>> {
        if config.trusted_proxies.0.iter().any(|n| n.prefix_len() == 0) {
            tracing::warn!("trusted_proxies contient 0.0.0.0/0 ou ::/0 : toute adresse peut se présenter avec n'importe quelle carte ; ne nommer que le mandataire inverse");
        }
        Ok(Arc::new(Self {
            proxies: config.trusted_proxies.clone(),
            cert_header: HeaderName::from_bytes(config.proxy_cert_header.as_bytes())?,
            warned: Mutex::new(HashSet::new()),
            malformed: Mutex::new(HashSet::new()),
        }))
    }

    /// What the request says of its client, judged per request (a proxy reuses one connection
    /// for many clients). The proxy headers are taken out of `headers` either way, so that
    /// nothing further down reads them; from an untrusted peer they are ignored, as if no card
    /// had been presented.
    pub fn peer_card(&self, peer: IpAddr, headers: &mut HeaderMap, state: &AppState) -> PeerCard {
        let peer = peer.to_canonical();
        let cert = take(headers, &self.cert_header);
        let protocol = take(headers, &HeaderName::from_static(PROTOCOL_HEADER));
        let forwarded = take(headers, &HeaderName::from_static(FORWARDED_FOR_HEADER));
        if !self.proxies.contains(peer) {
            if cert.is_some() || protocol.is_some() {
                self.warn_once(peer);
            }
            return PeerCard {
                check: Arc::new(CardCheck::absent()),
                tls_version: "inconnue",
                remote: peer,
            };
        }
        // An empty header is how proxies say « no card » (Apache, HAProxy).
        let chain = cert
            .filter(|value| !value.iter().all(u8::is_ascii_whitespace))
            .map(|value| decode_chain(&value))
            .unwrap_or_default();
        let check = super::acceptor::judge(&chain, state);
        if check.verdict == shared::diagnostic::Verdict::Malformed {
            // Most likely the proxy's configuration (another encoding of the certificate):
            // said once per proxy, not blamed on the user's card alone.
            self.warn_malformed_once(peer);
        }
        let remote = forwarded
            .as_deref()
            .and_then(client_address)
            .unwrap_or(peer);
        let tls_version = match protocol.as_deref() {
            Some(b"TLSv1.3") => "TLSv1.3",
            Some(b"TLSv1.2") => "TLSv1.2",
            _ => "inconnue",
        };
        tracing::debug!(%remote, tls = tls_version, verdict = check.verdict.code(), "requête du mandataire inverse");
        PeerCard {
            check: Arc::new(check),
            tls_version,
            remote,
        }
    }

    fn warn_malformed_once(&self, peer: IpAddr) {
        let mut warned = self.malformed.lock().unwrap_or_else(|e| e.into_inner());
        if warned.len() < WARNED_MAX && warned.insert(peer) {
            tracing::warn!(%peer, header = %self.cert_header, "certificat illisible dans l'en-tête du mandataire inverse : vérifier qu'il transmet $ssl_client_escaped_cert (PEM encodé pour une URL)");
        }
    }

    fn warn_once(&self, peer: IpAddr) {
        let mut warned = self.warned.lock().unwrap_or_else(|e| e.into_inner());
        if warned.len() < WARNED_MAX && warned.insert(peer) {
            tracing::warn!(%peer, "en-têtes de mandataire inverse venus d'une adresse qui n'est pas dans trusted_proxies : ignorés (requête traitée sans carte)");
        }
    }
}

/// Removes every `name` header and returns the last one's bytes (a client cannot slip a
/// second one in before the proxy's).
fn take(headers: &mut HeaderMap, name: &HeaderName) -> Option<Vec<u8>> {
    match headers.entry(name) {
        axum::http::header::Entry::Occupied(entry) => entry
            .remove_entry_mult()
            .1
            .last()
            .map(|v| v.as_bytes().to_vec()),
        axum::http::header::Entry::Vacant(_) => None,
    }
}

/// The certificates of a forwarded header: URL-encoded PEM (nginx's `$ssl_client_escaped_cert`,
/// the card alone), or plain PEM with its line breaks turned into spaces or tabs (older
/// `$ssl_client_cert`). Anything else is handed on as it is, for the verifier to call malformed.
fn decode_chain(value: &[u8]) -> Vec<Vec<u8>> {
    let decoded: Vec<u8> = percent_encoding::percent_decode(value).collect();
    let text = String::from_utf8_lossy(&decoded);
    let pem = rebuild_pem_lines(&text);
    let certs: Vec<Vec<u8>> = rustls_pemfile::certs(&mut pem.as_bytes())
        .filter_map(Result::ok)
        .map(|c| c.as_ref().to_vec())
        .collect();
    if certs.is_empty() {
        vec![decoded]
    } else {
        certs
    }
}

/// PEM whose lines a header folded into spaces: the markers kept, the base64 put back on lines.
fn rebuild_pem_lines(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(begin) = rest.find("-----BEGIN ") {
        let Some(open_end) = rest[begin + 11..].find("-----").map(|i| begin + 11 + i + 5) else {
            break;
        };
        let Some(end) = rest[open_end..].find("-----END ").map(|i| open_end + i) else {
            break;
        };
        let Some(close_end) = rest[end + 9..].find("-----").map(|i| end + 9 + i + 5) else {
            break;
        };
        out.push_str(&rest[begin..open_end]);
        out.push('\n');
        let body: String = rest[open_end..end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        out.push_str(&body);
        out.push('\n');
        out.push_str(&rest[end..close_end]);
        out.push('\n');
        rest = &rest[close_end..];
    }
    out
}

/// The client's address in `X-Forwarded-For`: the last entry, the one the trusted proxy added
/// (those before it come from the client and prove nothing).
fn client_address(value: &[u8]) -> Option<IpAddr> {
    std::str::from_utf8(value)
        .ok()?
        .rsplit(',')
        .next()?
        .trim()
        .parse::<IpAddr>()
        .ok()
        .map(|a| a.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUB4mlZ2SEsLW9QFmnJPCuLMGsdD8wCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----\n";

    #[test]
    fn the_last_forwarded_address_is_the_proxys_own_view() {
        assert_eq!(
            client_address(b"203.0.113.9, 198.51.100.4"),
            Some("198.51.100.4".parse().unwrap())
        );
        assert_eq!(client_address(b"n'importe quoi"), None);
    }

    #[test]
    fn a_pem_folded_on_one_line_gets_its_lines_back() {
        let folded = PEM.replace('\n', " ");
        let rebuilt = rebuild_pem_lines(&folded);
        assert!(rebuilt.starts_with("-----BEGIN CERTIFICATE-----\nMIIB"));
        assert!(rebuilt.trim_end().ends_with("-----END CERTIFICATE-----"));
        assert_eq!(rebuilt.lines().count(), 3);
    }

    #[test]
    fn a_header_that_is_no_pem_is_passed_on_for_the_verifier_to_refuse() {
        assert_eq!(decode_chain(b"abc%20def"), vec![b"abc def".to_vec()]);
    }

    #[test]
    fn repeated_proxy_headers_count_once_the_last() {
        let mut headers = HeaderMap::new();
        let name = HeaderName::from_static("x-ssl-client-cert");
        headers.append(&name, "du-client".parse().unwrap());
        headers.append(&name, "du-mandataire".parse().unwrap());
        assert_eq!(take(&mut headers, &name), Some(b"du-mandataire".to_vec()));
        assert!(headers.is_empty());
    }
}
