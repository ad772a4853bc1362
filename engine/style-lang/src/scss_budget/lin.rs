//! Sizes as linear forms:
//! `c + f·G + Σ g_v·V + Σ pᵢ·Pᵢ + Σ pool_d·M_d + Σ item_d·I_d`.
//!
//! `G` is the largest global variable when a body starts running, `V` the
//! global variable `$v` a body reads without assigning it, `Pᵢ` the
//! size of the body's i-th argument, `M_d` the largest variable a loop at
//! depth `d` carries from one iteration to the next, `I_d` the total size
//! of the items an `@each` at depth `d` walks. All coefficients are
//! non-negative, so componentwise sums and maxima are upper bounds, and
//! every operation saturates instead of overflowing.

/// How many bytes a number, colour or boolean takes: Sass prints numbers
/// with at most 10 decimals (`33.3333333333%`).
pub(super) const SCALAR_BYTES: u64 = 16;

/// Argument dimensions a body keeps apart; later arguments share the last
/// one (a sum of sizes under one coefficient is still an upper bound).
pub(super) const MAX_PARAM_DIMS: usize = 16;

/// Globals a form names apart; more fold into `G`, which bounds them all.
const MAX_GLOBAL_DIMS: usize = 16;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Lin {
    pub c: u64,
    pub f: u64,
    /// Per global read (sorted by name).
    pub g: Vec<(u32, u64)>,
    pub p: Vec<u64>,
    pub pool: Vec<u64>,
    pub item: Vec<u64>,
    /// A number, colour or boolean: at most [`SCALAR_BYTES`], whatever the
    /// coefficients say.
    pub scalar: bool,
    /// How many items the value (a list or map) has, when known: a
    /// literal, or the larger of two literals. Any arithmetic forgets it.
    pub items: Option<u64>,
    /// The size of its largest item, when known (a literal list or map):
    /// what one `@each` iteration or one `map-get` can see.
    pub max_item: Option<u64>,
    /// The integer it is, when it is a literal one (a `@for` bound).
    pub int: Option<i64>,
}

fn add_sparse(into: &mut Vec<(u32, u64)>, from: &[(u32, u64)], max: bool) -> u64 {
    for &(name, coef) in from {
        match into.binary_search_by_key(&name, |(n, _)| *n) {
            Ok(i) => {
                into[i].1 = if max {
                    into[i].1.max(coef)
                } else {
                    into[i].1.saturating_add(coef)
                };
            }
            Err(i) => into.insert(i, (name, coef)),
        }
    }
    // Past the cap, the largest-named rest folds into `G`.
    let mut folded = 0u64;
    while into.len() > MAX_GLOBAL_DIMS {
        if let Some((_, coef)) = into.pop() {
            folded = folded.saturating_add(coef);
        }
    }
    folded
}

fn add_vec(into: &mut Vec<u64>, from: &[u64]) {
    if into.len() < from.len() {
        into.resize(from.len(), 0);
    }
    for (a, b) in into.iter_mut().zip(from) {
        *a = a.saturating_add(*b);
    }
}

fn max_vec(into: &mut Vec<u64>, from: &[u64]) {
    if into.len() < from.len() {
        into.resize(from.len(), 0);
    }
    for (a, b) in into.iter_mut().zip(from) {
        *a = (*a).max(*b);
    }
}

fn take(v: &mut [u64], index: usize) -> u64 {
    v.get_mut(index).map_or(0, std::mem::take)
}

/// `base^exp`, saturating (at most 64 multiplications for `base >= 2`).
pub(super) fn sat_pow(base: u64, exp: u64) -> u64 {
    match base {
        0 => u64::from(exp == 0),
        1 => 1,
        _ => {
            let mut out = 1u64;
            for _ in 0..exp {
                out = out.saturating_mul(base);
                if out == u64::MAX {
                    break;
                }
            }
            out
        }
    }
}

impl Lin {
    pub fn constant(c: u64) -> Lin {
        Lin {
            c,
            ..Lin::default()
        }
    }

    pub fn scalar() -> Lin {
        Lin {
            c: SCALAR_BYTES,
            scalar: true,
            ..Lin::default()
        }
    }

    pub fn param(index: usize) -> Lin {
        let mut p = vec![0; index.min(MAX_PARAM_DIMS - 1) + 1];
        p[index.min(MAX_PARAM_DIMS - 1)] = 1;
        Lin {
            p,
            ..Lin::default()
        }
    }

    pub fn free_global() -> Lin {
        Lin {
            f: 1,
            ..Lin::default()
        }
    }

    /// The global `$name` as found when the body starts.
    pub fn global(name: u32) -> Lin {
        Lin {
            g: vec![(name, 1)],
            ..Lin::default()
        }
    }

    pub fn pool(depth: usize) -> Lin {
        let mut pool = vec![0; depth + 1];
        pool[depth] = 1;
        Lin {
            pool,
            ..Lin::default()
        }
    }

    pub fn item(depth: usize) -> Lin {
        let mut item = vec![0; depth + 1];
        item[depth] = 1;
        Lin {
            item,
            ..Lin::default()
        }
    }

    /// The sum (a concatenation of the two values, at worst).
    pub fn add(&mut self, other: &Lin) {
        self.c = self.c.saturating_add(other.c);
        self.f = self.f.saturating_add(other.f);
        let folded = add_sparse(&mut self.g, &other.g, false);
        self.f = self.f.saturating_add(folded);
        add_vec(&mut self.p, &other.p);
        add_vec(&mut self.pool, &other.pool);
        add_vec(&mut self.item, &other.item);
        self.scalar = false;
        self.items = None;
        self.max_item = None;
        self.int = None;
    }

    pub fn add_constant(&mut self, c: u64) {
        self.c = self.c.saturating_add(c);
        self.items = None;
        self.max_item = None;
        self.int = None;
    }

    pub fn scale(&mut self, k: u64) {
        self.c = self.c.saturating_mul(k);
        self.f = self.f.saturating_mul(k);
        for (_, v) in &mut self.g {
            *v = v.saturating_mul(k);
        }
        for v in self
            .p
            .iter_mut()
            .chain(self.pool.iter_mut())
            .chain(self.item.iter_mut())
        {
            *v = v.saturating_mul(k);
        }
        if k != 1 {
            self.scalar = false;
            self.items = None;
            self.max_item = None;
            self.int = None;
        }
    }

    pub fn scaled(&self, k: u64) -> Lin {
        let mut out = self.clone();
        out.scale(k);
        out
    }

    /// An upper bound of both.
    pub fn max_with(&mut self, other: &Lin) {
        self.c = self.c.max(other.c);
        self.f = self.f.max(other.f);
        let folded = add_sparse(&mut self.g, &other.g, true);
        self.f = self.f.saturating_add(folded);
        max_vec(&mut self.p, &other.p);
        max_vec(&mut self.pool, &other.pool);
        max_vec(&mut self.item, &other.item);
        self.scalar = self.scalar && other.scalar;
        self.items = self.items.zip(other.items).map(|(a, b)| a.max(b));
        self.max_item = self.max_item.zip(other.max_item).map(|(a, b)| a.max(b));
        if self.int != other.int {
            self.int = None;
        }
    }

    pub fn take_pool(&mut self, depth: usize) -> u64 {
        take(&mut self.pool, depth)
    }

    pub fn take_item(&mut self, depth: usize) -> u64 {
        take(&mut self.item, depth)
    }

    /// Replaces `pool_d` by `value` (`coef·M_d` becomes `coef·value`).
    pub fn substitute_pool(&mut self, depth: usize, value: &Lin) {
        let coef = self.take_pool(depth);
        if coef > 0 {
            let scalar = self.scalar;
            self.add(&value.scaled(coef));
            self.scalar = scalar;
        }
    }

    /// Replaces `item_d` by `value`.
    pub fn substitute_item(&mut self, depth: usize, value: &Lin) {
        let coef = self.take_item(depth);
        if coef > 0 {
            let scalar = self.scalar;
            self.add(&value.scaled(coef));
            self.scalar = scalar;
        }
    }

    /// No symbolic part: the estimate is a number of bytes.
    pub fn is_concrete(&self) -> bool {
        self.f == 0
            && self.g.iter().all(|(_, v)| *v == 0)
            && self
                .p
                .iter()
                .chain(&self.pool)
                .chain(&self.item)
                .all(|v| *v == 0)
    }

    /// The largest coefficient of an input: a value of one byte there
    /// already yields this many.
    pub fn max_coefficient(&self) -> u64 {
        self.p
            .iter()
            .chain(&self.pool)
            .chain(&self.item)
            .chain(self.g.iter().map(|(_, v)| v))
            .copied()
            .fold(self.f, u64::max)
    }

    /// The same form with the constant dropped (what depends on inputs).
    pub fn symbolic(&self) -> Lin {
        Lin {
            c: 0,
            scalar: false,
            items: None,
            max_item: None,
            int: None,
            ..self.clone()
        }
    }

    /// Past `limit` with inputs of one byte each: the estimate or one of
    /// its coefficients.
    pub fn exceeds(&self, limit: u64) -> bool {
        !self.scalar && (self.c > limit || self.max_coefficient() > limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturating_arithmetic() {
        assert_eq!(sat_pow(2, 10), 1024);
        assert_eq!(sat_pow(2, 1_000_000), u64::MAX);
        assert_eq!(sat_pow(1, 1_000_000), 1);
        let mut a = Lin::param(1);
        a.add(&Lin::constant(3));
        a.add(&Lin::param(1));
        assert_eq!((a.c, a.p.clone()), (3, vec![0, 2]));
        a.scale(u64::MAX);
        assert_eq!(a.c, u64::MAX);
        let mut b = Lin::pool(0);
        b.add(&Lin::constant(5));
        b.substitute_pool(0, &Lin::constant(7));
        assert_eq!(b.c, 12);
        assert!(b.is_concrete());
        assert!(Lin::param(20).p.len() == MAX_PARAM_DIMS);
    }
}
