//! Decoding an input's bytes into text: UTF-8 with or without a byte order
//! mark, UTF-16 (LE or BE) with one, UTF-16LE without; binary plans and
//! empty files are refused with what to do instead.

use crate::error::InputError;
use crate::source::{Excerpt, Source};

/// Decodes raw bytes: UTF-8 with or without BOM, UTF-16 (LE or BE) with
/// BOM, UTF-16LE without BOM. Refuses binary plans and empty files.
pub fn decode(name: &str, mut bytes: Vec<u8>) -> Result<Source, InputError> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Err(InputError::BinaryPlan {
            path: name.to_string(),
        });
    }
    let text = if bytes.starts_with(&[0xFF, 0xFE]) {
        decode_utf16(name, &bytes[2..], u16::from_le_bytes)?
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        decode_utf16(name, &bytes[2..], u16::from_be_bytes)?
    } else if bytes.len() >= 2 && bytes[0] != 0 && bytes[1] == 0 {
        decode_utf16(name, &bytes, u16::from_le_bytes)?
    } else {
        if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                // Show what is valid before the bad byte.
                let text = String::from_utf8_lossy(&bytes).into_owned();
                return Err(InputError::Encoding {
                    path: name.to_string(),
                    src: Excerpt::at(&Source::new(name, text), at, 1),
                    span: (at, 1).into(),
                });
            }
        }
    };
    if text.trim().is_empty() {
        return Err(InputError::Empty {
            path: name.to_string(),
        });
    }
    Ok(Source::new(name, text))
}

fn decode_utf16(name: &str, bytes: &[u8], word: fn([u8; 2]) -> u16) -> Result<String, InputError> {
    let units = bytes
        .chunks(2)
        .map(|c| word([c[0], *c.get(1).unwrap_or(&0)]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|e| InputError::Utf16 {
            path: name.to_string(),
            detail: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_and_utf16() {
        let s = decode("p", b"\xEF\xBB\xBF{\"a\":1}".to_vec()).unwrap();
        assert_eq!(s.text, "{\"a\":1}");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "{\r\n\"a\": 1}\r\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let s = decode("p", utf16).unwrap();
        assert_eq!(s.text, "{\r\n\"a\": 1}\r\n");
    }

    #[test]
    fn refuses_zip_and_empty() {
        assert!(matches!(
            decode("p", b"PK\x03\x04rest".to_vec()),
            Err(InputError::BinaryPlan { .. })
        ));
        assert!(matches!(
            decode("p", b" \n".to_vec()),
            Err(InputError::Empty { .. })
        ));
    }
}
