//! Page selections as users write them: `1-3,7,10-` (from 10 to the end), `-3` (1 to 3),
//! `last` or `z` (the last page), `5-1` (backwards), `all`; pages count from 1. A selection
//! may repeat a page (for duplication) and is refused when it names a page the document lacks.

use crate::error::PdfError;

/// Most pages one selection may list, repeats included.
const MAX_SELECTED: usize = 100_000;

/// The 1-based page numbers `spec` selects in a document of `count` pages, in order.
pub fn parse(spec: &str, count: usize, field: &str) -> Result<Vec<usize>, PdfError> {
    let bad = |what: String| PdfError::invalid(field, what);
    let number = |s: &str| -> Result<usize, PdfError> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("last") || s.eq_ignore_ascii_case("z") {
            return Ok(count);
        }
        let n: usize = s.parse().map_err(|_| {
            bad(format!(
                "{s:?} is not a page number; write pages like 1-3,7,10- (last or z for the last page)"
            ))
        })?;
        if n == 0 || n > count {
            return Err(bad(format!(
                "page {n} is not in the document, which has {count} page{}",
                if count == 1 { "" } else { "s" }
            )));
        }
        Ok(n)
    };
    let spec = spec.trim();
    if spec.is_empty() {
        return Err(bad("is empty; write pages like 1-3,7,10- (or all)".into()));
    }
    if spec.eq_ignore_ascii_case("all") {
        return Ok((1..=count).collect());
    }
    let mut out = Vec::new();
    for part in spec.split(',') {
        let part = part.trim();
        let (a, b) = match part.split_once('-') {
            None => {
                let n = number(part)?;
                (n, n)
            }
            Some((a, b)) => {
                let a = if a.trim().is_empty() { 1 } else { number(a)? };
                let b = if b.trim().is_empty() {
                    count
                } else {
                    number(b)?
                };
                (a, b)
            }
        };
        let run = if a <= b { b - a + 1 } else { a - b + 1 };
        if out.len() + run > MAX_SELECTED {
            return Err(bad(format!("selects more than {MAX_SELECTED} pages")));
        }
        if a <= b {
            out.extend(a..=b);
        } else {
            out.extend((b..=a).rev());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use flowforge_kit::DomainError;

    use super::*;

    #[test]
    fn ranges_open_ends_last_and_backwards() {
        assert_eq!(
            parse("1-3,7,10-", 12, "pages").unwrap(),
            [1, 2, 3, 7, 10, 11, 12]
        );
        assert_eq!(parse("-2, last", 5, "pages").unwrap(), [1, 2, 5]);
        assert_eq!(parse("3-1", 5, "pages").unwrap(), [3, 2, 1]);
        assert_eq!(parse("all", 3, "pages").unwrap(), [1, 2, 3]);
        assert_eq!(parse("2,2", 3, "pages").unwrap(), [2, 2]);
        assert_eq!(parse("z-1", 3, "pages").unwrap(), [3, 2, 1]);
    }

    #[test]
    fn pages_outside_the_document_and_nonsense_are_named() {
        let e = parse("1-4", 3, "pages").unwrap_err();
        assert_eq!(e.field(), "pages");
        assert_eq!(e.hint(), "page 4 is not in the document, which has 3 pages");
        assert!(parse("0", 3, "pages").is_err());
        assert!(parse("a-b", 3, "pages").is_err());
        assert!(parse("", 3, "pages").is_err());
        assert!(parse("1-100000,1-100000", 100_000, "pages").is_err());
    }
}
