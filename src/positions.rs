//! Ascending positions in some list, kept as a count when they are all of it: a layer of a
//! million points has a million point features, a million dated ones and, its events all
//! lasting a day, one duration class of a million, and listing `0..n` took 4 MB each time.

/// Positions `0, 1, ..` in ascending order: all of `0..n`, or a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Positions {
    /// Every position below the count.
    All(u32),
    /// These, ascending.
    Listed(Vec<u32>),
}

impl Default for Positions {
    fn default() -> Self {
        Self::All(0)
    }
}

impl Positions {
    /// `positions` (ascending), as a count when they are `0..n`, else with no spare room.
    pub fn new(mut positions: Vec<u32>) -> Self {
        let all = positions
            .last()
            .is_none_or(|&last| last as usize + 1 == positions.len());
        // Ascending and distinct, with the last at `len - 1`: they are `0..len`.
        if all && positions.windows(2).all(|w| w[0] < w[1]) {
            return Self::All(positions.len() as u32);
        }
        positions.shrink_to_fit();
        Self::Listed(positions)
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        match self {
            Self::All(n) => *n as usize,
            Self::Listed(v) => v.len(),
        }
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`th position.
    pub fn get(&self, i: usize) -> Option<u32> {
        match self {
            Self::All(n) => (i < *n as usize).then_some(i as u32),
            Self::Listed(v) => v.get(i).copied(),
        }
    }

    /// The positions of `range` (of this list's own indices), in order.
    pub fn range(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = u32> + '_ {
        let end = range.end.min(self.len());
        let range = range.start.min(end)..end;
        let (all, listed) = match self {
            Self::All(_) => (range.start as u32..range.end as u32, &[][..]),
            Self::Listed(v) => (0..0, &v[range]),
        };
        all.chain(listed.iter().copied())
    }

    /// Every position, in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.range(0..self.len())
    }

    /// Adds `position`, which must be above every one kept: still a count while it is the
    /// next of `0..n`.
    pub fn push(&mut self, position: u32) {
        match self {
            Self::All(n) if position == *n => *n += 1,
            Self::All(n) => {
                let mut listed: Vec<u32> = (0..*n).collect();
                listed.push(position);
                *self = Self::Listed(listed);
            }
            Self::Listed(v) => v.push(position),
        }
    }

    /// Where `position` is among them (`Ok`), or where it would go (`Err`).
    pub fn binary_search(&self, position: u32) -> Result<usize, usize> {
        match self {
            Self::All(n) if position < *n => Ok(position as usize),
            Self::All(n) => Err(*n as usize),
            Self::Listed(v) => v.binary_search(&position),
        }
    }

    /// The number of leading positions for which `pred` holds (it must hold for a prefix).
    pub fn partition_point(&self, mut pred: impl FnMut(u32) -> bool) -> usize {
        match self {
            Self::All(n) => {
                let (mut lo, mut hi) = (0u32, *n);
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    if pred(mid) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                lo as usize
            }
            Self::Listed(v) => v.partition_point(|&p| pred(p)),
        }
    }

    /// Bytes kept.
    pub fn memory_bytes(&self) -> usize {
        match self {
            Self::All(_) => 0,
            Self::Listed(v) => v.capacity() * 4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_of_them_is_a_count_and_reads_as_the_list_would() {
        let all = Positions::new((0..1000).collect());
        assert_eq!(all, Positions::All(1000));
        assert_eq!(all.memory_bytes(), 0);
        let listed = Positions::new(vec![0, 2, 3, 7]);
        assert!(matches!(listed, Positions::Listed(_)));
        // Not `0..n`, though as long, or a repeat.
        assert!(matches!(Positions::new(vec![1, 2]), Positions::Listed(_)));
        assert!(matches!(
            Positions::new(vec![0, 0, 2]),
            Positions::Listed(_)
        ));
        assert_eq!(Positions::new(Vec::new()), Positions::All(0));
        // Pushed one by one: a count while they are `0..n`, a list from the first gap.
        let mut pushed = Positions::default();
        for p in [0, 1, 2] {
            pushed.push(p);
        }
        assert_eq!(pushed, Positions::All(3));
        pushed.push(7);
        assert_eq!(pushed, Positions::Listed(vec![0, 1, 2, 7]));
        for (p, list) in [
            (&all, (0..1000).collect::<Vec<u32>>()),
            (&listed, vec![0, 2, 3, 7]),
        ] {
            assert_eq!(p.len(), list.len());
            assert_eq!(p.iter().collect::<Vec<_>>(), list);
            assert_eq!(p.range(1..3).collect::<Vec<_>>(), list[1..3]);
            assert_eq!(p.range(2..5000).count(), list.len() - 2);
            assert_eq!(p.get(3), list.get(3).copied());
            assert_eq!(p.get(list.len()), None);
            for x in [0, 1, 3, 6, 7, 999, 1000, 5000] {
                assert_eq!(p.binary_search(x), list.binary_search(&x), "{x}");
            }
            for cut in [0, 1, 3, 5, 999, 2000] {
                assert_eq!(
                    p.partition_point(|x| x < cut),
                    list.partition_point(|&x| x < cut)
                );
            }
        }
    }
}
