//! Variable sets read straight into slots: each name is stored once and each set is a row of
//! values in name order, so 10,000 sets cost 10,000 small vectors instead of 10,000 hash maps
//! with their own copies of the names.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// Sets of variable values, by slot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VariableSets {
    /// Every name seen, in first-seen order.
    pub names: Vec<String>,
    /// One row per set; `rows[i][j]` is the value of `names[j]` in set i (absent: `None`).
    pub rows: Vec<Vec<Option<f64>>>,
}

impl VariableSets {
    /// How many sets.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Whether any set names `n`.
    pub fn names(&self, n: &str) -> bool {
        self.names.iter().any(|x| x == n)
    }

    /// The value of `n` in set `i`.
    pub fn get(&self, i: usize, n: &str) -> Option<f64> {
        let j = self.names.iter().position(|x| x == n)?;
        self.rows.get(i)?.get(j).copied().flatten()
    }
}

struct SetsVisitor;

impl<'de> Visitor<'de> for SetsVisitor {
    type Value = VariableSets;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of objects mapping variable names to numbers")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<VariableSets, A::Error> {
        let mut out = VariableSets::default();
        while let Some(row) = seq.next_element_seed(RowSeed(&mut out.names))? {
            out.rows.push(row);
        }
        Ok(out)
    }
}

struct RowSeed<'a>(&'a mut Vec<String>);

impl<'de> de::DeserializeSeed<'de> for RowSeed<'_> {
    type Value = Vec<Option<f64>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = Vec<Option<f64>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object mapping variable names to numbers")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut row = vec![None; self.0.len()];
        while let Some(j) = map.next_key_seed(KeySeed(&mut *self.0))? {
            if row.len() <= j {
                row.resize(j + 1, None);
            }
            row[j] = Some(map.next_value::<f64>()?);
        }
        Ok(row)
    }
}

/// A key as its slot: looked up without allocating, stored only when new.
struct KeySeed<'a>(&'a mut Vec<String>);

impl<'de> de::DeserializeSeed<'de> for KeySeed<'_> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a variable name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        Ok(match self.0.iter().position(|x| x == v) {
            Some(j) => j,
            None => {
                self.0.push(v.to_string());
                self.0.len() - 1
            }
        })
    }
}

impl<'de> Deserialize<'de> for VariableSets {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(SetsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_once_rows_by_slot() {
        let s: VariableSets =
            serde_json::from_str(r#"[{"x":1,"y":2},{"y":3},{"z":4,"x":5}]"#).unwrap();
        assert_eq!(s.names, ["x", "y", "z"]);
        assert_eq!(s.get(0, "y"), Some(2.0));
        assert_eq!(s.get(1, "x"), None);
        assert_eq!(s.get(2, "x"), Some(5.0));
        assert_eq!(s.get(0, "z"), None);
        assert!(serde_json::from_str::<VariableSets>(r#"[{"x":"a"}]"#).is_err());
        assert!(serde_json::from_str::<VariableSets>(r#"{"x":1}"#).is_err());
    }
}
