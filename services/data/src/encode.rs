//! Encodings: base64, base64url (unpadded), hex, URL component (RFC 3986 unreserved kept), URL
//! form (`+` for space), and HTML entities (named ones HTML documents commonly carry, and numeric
//! ones). Decoding is strict: what is not valid in the encoding is an error naming the position.

use base64::Engine;

flowforge_kit::wire_enum! {
    /// An encoding.
    pub enum Encoding {
        /// Standard base64 with padding (RFC 4648 §4).
        Base64 = "base64",
        /// URL-safe base64 without padding (RFC 4648 §5); decoding accepts padding too.
        Base64Url = "base64url",
        /// Lowercase hexadecimal; decoding accepts either case.
        Hex = "hex",
        /// Percent-encoding of a URL component (everything but A-Z a-z 0-9 - . _ ~).
        Url = "url" | "uri" | "url-component",
        /// application/x-www-form-urlencoded: as `url`, with `+` for space.
        Form = "form" | "url-form",
        /// HTML entities: & < > " ' escaped; decoding reads named and numeric entities.
        Html = "html" | "html-entities",
    }
}

/// Encode text.
pub fn encode(data: &str, enc: Encoding) -> String {
    match enc {
        Encoding::Base64 => base64::engine::general_purpose::STANDARD.encode(data),
        Encoding::Base64Url => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data),
        Encoding::Hex => hex::encode(data),
        Encoding::Url => flowforge_kit::http::percent_encode(data),
        Encoding::Form => flowforge_kit::http::percent_encode(data).replace("%20", "+"),
        Encoding::Html => {
            let mut out = String::with_capacity(data.len());
            for c in data.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&#39;"),
                    c => out.push(c),
                }
            }
            out
        }
    }
}

fn utf8(bytes: Vec<u8>, what: &str) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "decodes to bytes that are not UTF-8 text (at byte {} of the {what} output)",
            e.utf8_error().valid_up_to()
        )
    })
}

fn percent_decode(s: &str, plus_is_space: bool) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hexpair = b
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                let v = hexpair
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| {
                        format!(
                            "`%` at position {} is not followed by two hex digits",
                            i + 1
                        )
                    })?;
                out.push(v);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    utf8(out, "percent-decoded")
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "deg" => '°',
        "times" => '×',
        "divide" => '÷',
        "laquo" => '«',
        "raquo" => '»',
        "middot" => '·',
        "bull" => '•',
        "sect" => '§',
        "para" => '¶',
        _ => return None,
    })
}

fn html_decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let decoded = tail.find(';').filter(|&end| end <= 12).and_then(|end| {
            let name = &tail[1..end];
            let c = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
            } else if let Some(num) = name.strip_prefix('#') {
                num.parse::<u32>().ok().and_then(char::from_u32)
            } else {
                entity(name)
            };
            c.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            // Not an entity: kept as written, as browsers do.
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decode text.
pub fn decode(data: &str, enc: Encoding) -> Result<String, String> {
    match enc {
        Encoding::Base64 => {
            let cleaned: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(cleaned)
                .map_err(|e| format!("is not base64: {e}"))?;
            utf8(bytes, "base64")
        }
        Encoding::Base64Url => {
            let trimmed = data.trim().trim_end_matches('=');
            let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(trimmed)
                .map_err(|e| format!("is not base64url: {e}"))?;
            utf8(bytes, "base64url")
        }
        Encoding::Hex => {
            let bytes = hex::decode(data.trim()).map_err(|e| format!("is not hex: {e}"))?;
            utf8(bytes, "hex")
        }
        Encoding::Url => percent_decode(data, false),
        Encoding::Form => percent_decode(data, true),
        Encoding::Html => Ok(html_decode(data)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_answers() {
        let s = "Grüße & <tags> \"q\" 'a' 1+1=2/?";
        for e in [
            Encoding::Base64,
            Encoding::Base64Url,
            Encoding::Hex,
            Encoding::Url,
            Encoding::Form,
            Encoding::Html,
        ] {
            assert_eq!(decode(&encode(s, e), e).unwrap(), s, "{e}");
        }
        // RFC 4648 §10 test vectors.
        assert_eq!(encode("foobar", Encoding::Base64), "Zm9vYmFy");
        assert_eq!(encode("fo", Encoding::Base64), "Zm8=");
        assert_eq!(encode("\u{fb}\u{ff}", Encoding::Base64Url), "w7vDvw");
        assert_eq!(encode("a b&c", Encoding::Form), "a+b%26c");
        assert_eq!(encode("a b", Encoding::Url), "a%20b");
        assert_eq!(
            decode(
                "&lt;p&gt; &amp;amp; &#169; &#x263A; &bogus; & x",
                Encoding::Html
            )
            .unwrap(),
            "<p> &amp; © ☺ &bogus; & x"
        );
    }

    #[test]
    fn bad_input_says_what_and_where() {
        assert!(
            decode("%zz", Encoding::Url)
                .unwrap_err()
                .contains("position 1")
        );
        assert!(decode("abc", Encoding::Hex).unwrap_err().contains("hex"));
        assert!(
            decode("!!", Encoding::Base64)
                .unwrap_err()
                .contains("base64")
        );
        assert!(
            decode("/w==", Encoding::Base64)
                .unwrap_err()
                .contains("UTF-8")
        );
    }
}
