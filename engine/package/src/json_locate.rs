//! Finds where a value sits in a JSON text, so a diagnostic about a value
//! (`pages` is not an array; entry 2 is not a string) can point at it.
//! A small scanner, tolerant of anything serde_json accepted.

/// One step of a path into a JSON document.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonStep<'a> {
    Key(&'a str),
    Index(usize),
}

/// The byte offset of the value at `path` in `text`, if the text parses that far.
pub fn locate(text: &str, path: &[JsonStep]) -> Option<usize> {
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    s.ws();
    s.find(path)
}

struct Scanner<'t> {
    b: &'t [u8],
    i: usize,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    /// At a value: returns the offset of the value at `path` below it.
    fn find(&mut self, path: &[JsonStep]) -> Option<usize> {
        let Some(step) = path.first() else {
            return Some(self.i);
        };
        match (self.b.get(self.i)?, step) {
            (b'{', JsonStep::Key(key)) => {
                self.i += 1;
                loop {
                    self.ws();
                    if self.b.get(self.i)? == &b'}' {
                        return None;
                    }
                    let k = self.string()?;
                    self.ws();
                    if self.b.get(self.i)? != &b':' {
                        return None;
                    }
                    self.i += 1;
                    self.ws();
                    if k == *key {
                        return self.find(&path[1..]);
                    }
                    self.skip_value()?;
                    self.ws();
                    if self.b.get(self.i)? == &b',' {
                        self.i += 1;
                    }
                }
            }
            (b'[', JsonStep::Index(n)) => {
                self.i += 1;
                let mut index = 0;
                loop {
                    self.ws();
                    if self.b.get(self.i)? == &b']' {
                        return None;
                    }
                    if index == *n {
                        return self.find(&path[1..]);
                    }
                    self.skip_value()?;
                    index += 1;
                    self.ws();
                    if self.b.get(self.i)? == &b',' {
                        self.i += 1;
                    }
                }
            }
            _ => None,
        }
    }

    /// Reads a string literal; returns its raw content (escapes kept).
    fn string(&mut self) -> Option<String> {
        if self.b.get(self.i)? != &b'"' {
            return None;
        }
        let start = self.i + 1;
        self.i += 1;
        while *self.b.get(self.i)? != b'"' {
            if self.b[self.i] == b'\\' {
                self.i += 1;
            }
            self.i += 1;
        }
        let s = String::from_utf8_lossy(&self.b[start..self.i]).into_owned();
        self.i += 1;
        Some(s)
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.b.get(self.i)? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.b.get(self.i)? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                while self.i < self.b.len() && !matches!(self.b[self.i], b',' | b'}' | b']') {
                    self.i += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values() {
        let t = "{\n  \"a\": {\"x\": [1, \"two\", {\"y\": 3}]},\n  \"pages\": 42\n}";
        assert_eq!(
            &t[locate(t, &[JsonStep::Key("pages")]).unwrap()..][..2],
            "42"
        );
        let i = locate(
            t,
            &[JsonStep::Key("a"), JsonStep::Key("x"), JsonStep::Index(1)],
        )
        .unwrap();
        assert_eq!(&t[i..i + 5], "\"two\"");
        assert_eq!(locate(t, &[JsonStep::Key("nope")]), None);
    }
}
