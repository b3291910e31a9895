//! The run task request's signature: `X-TFC-Task-Signature` is the
//! hex-encoded HMAC-SHA512 of the request body under the task's HMAC key
//! ("Request Headers", https://developer.hashicorp.com/terraform/cloud-docs/api-docs/run-tasks/run-tasks-integration).
//! Where the key comes from, and the constant-time comparison.

use hmac::{KeyInit, Mac};

type HmacSha512 = hmac::Hmac<sha2::Sha512>;

/// The shared key; its bytes are never printed (`Debug` hides them).
pub struct Key(Vec<u8>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

/// The key: `--hmac-key-file` (one trailing line break dropped) wins over
/// the `CNAME_PREFLIGHT_HMAC_KEY` value; an empty key is refused, as it
/// signs nothing.
pub fn key(
    file: Option<&std::path::Path>,
    variable: Option<String>,
) -> Result<Option<Key>, String> {
    let bytes = match (file, variable) {
        (Some(path), _) => {
            let mut bytes = std::fs::read(path).map_err(|e| {
                format!(
                    "cannot read the HMAC key file `{}`: {e}",
                    cname_preflight::display::escaped(&path.to_string_lossy())
                )
            })?;
            if bytes.ends_with(b"\n") {
                bytes.pop();
                if bytes.ends_with(b"\r") {
                    bytes.pop();
                }
            }
            bytes
        }
        (None, Some(value)) => value.into_bytes(),
        (None, None) => return Ok(None),
    };
    if bytes.is_empty() {
        return Err("the HMAC key is empty".into());
    }
    Ok(Some(Key(bytes)))
}

/// Whether `header` is the body's signature under `key`: hex decoded, then
/// compared in constant time (`Mac::verify_slice`).
pub fn verify(key: &Key, body: &[u8], header: Option<&[u8]>) -> bool {
    let Some(signature) = header.and_then(|h| hex::decode(h.trim_ascii()).ok()) else {
        return false;
    };
    let Ok(mut mac) = HmacSha512::new_from_slice(&key.0) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&signature).is_ok()
}

/// The signature of `body` under `key`, as HCP Terraform sends it (for
/// tests and the stand-in).
#[cfg(test)]
pub fn sign(key: &[u8], body: &[u8]) -> String {
    let mut mac = HmacSha512::new_from_slice(key).expect("any key length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_body_and_key() {
        let key = Key(b"secret".to_vec());
        let good = sign(b"secret", b"{}");
        assert!(verify(&key, b"{}", Some(good.as_bytes())));
        assert!(verify(&key, b"{}", Some(good.to_uppercase().as_bytes())));
        assert!(!verify(&key, b"{ }", Some(good.as_bytes())));
        assert!(!verify(
            &Key(b"other".to_vec()),
            b"{}",
            Some(good.as_bytes())
        ));
        assert!(!verify(&key, b"{}", Some(&good.as_bytes()[..64])));
        assert!(!verify(&key, b"{}", Some(b"")));
        assert!(!verify(&key, b"{}", Some(b"zz")));
        assert!(!verify(&key, b"{}", None));
    }

    #[test]
    fn the_key_file_loses_one_line_break_and_may_not_be_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, "k\n").unwrap();
        let k = key(Some(&path), Some("ignored".into())).unwrap().unwrap();
        assert_eq!(k.0, b"k");
        std::fs::write(&path, "\n").unwrap();
        assert!(key(Some(&path), None).is_err());
        assert!(key(None, Some(String::new())).is_err());
        assert!(key(None, None).unwrap().is_none());
    }
}
