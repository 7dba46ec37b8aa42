//! Holder keys as the readers keep them: 64-bit hashes for the fast path (in memory, or sorted
//! runs in unnamed temporary files merged at the end), 128-bit fingerprints for the full reader.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hash::{Hash, Hasher};

/// A 64-bit hash of a key in a domain (folded multiplications, as in aHash's fallback), for the
/// fast path. Two keys with the same hash only send the file to the full reader, which compares
/// keys with 128-bit fingerprints: a collision costs time, never a wrong verdict.
pub(crate) fn hash_key(domain: usize, key: &[u8]) -> u64 {
    const K: u64 = 0x5851_F42D_4C95_7F2D;
    fn fold(a: u64, b: u64) -> u64 {
        let p = u128::from(a) * u128::from(b);
        (p as u64) ^ ((p >> 64) as u64)
    }
    let mut h = fold(domain as u64 ^ 0x243F_6A88_85A3_08D3, K ^ key.len() as u64);
    let mut chunks = key.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = fold(h ^ w, K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = fold(h ^ u64::from_le_bytes(w), K);
    }
    fold(h, 0x9E37_79B9_7F4A_7C15)
}

/// A 128-bit fingerprint of a holder key (two SipHash runs), for the full reader: equal keys
/// always match, and two different keys collide with a probability far below that of a disk
/// error.
pub(crate) fn fingerprint(key: &str) -> u128 {
    let half = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        key.hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// Keys held in memory before a run is written, by default (4 MiB).
pub(crate) const SPILL_FROM: usize = 1 << 19;

/// The fast path's holder key hashes and the one question asked of them: is any there twice?
/// Beyond a bound (command line), they are written in sorted runs to unnamed temporary files
/// and compared at the end by a merge, so memory does not grow with the number of operations.
pub(crate) struct Keys {
    mem: Vec<u64>,
    runs: Vec<run::Run>,
    /// Beyond this many keys in memory, write a run (`usize::MAX`: never).
    cap: usize,
    /// A key came twice within a run already written.
    twice: bool,
}

impl Keys {
    pub(crate) fn in_memory() -> Keys {
        Keys::from_vec(Vec::new())
    }

    pub(crate) fn from_vec(mem: Vec<u64>) -> Keys {
        Keys {
            mem,
            runs: Vec::new(),
            cap: usize::MAX,
            twice: false,
        }
    }

    /// Keys that go to temporary files beyond `cap` in memory (where there are files).
    pub(crate) fn spilling(cap: usize) -> Keys {
        Keys {
            cap: if run::AVAILABLE {
                cap.max(2)
            } else {
                usize::MAX
            },
            ..Keys::in_memory()
        }
    }

    pub(crate) fn push(&mut self, key: u64) {
        self.mem.push(key);
        if self.mem.len() >= self.cap {
            self.spill();
        }
    }

    fn spill(&mut self) {
        self.mem.sort_unstable();
        if has_neighbours(&self.mem) {
            self.twice = true;
        }
        match run::Run::write(&self.mem) {
            Ok(r) => {
                self.runs.push(r);
                self.mem.clear();
            }
            // No room for a file: the keys stay in memory.
            Err(_) => self.cap = usize::MAX,
        }
    }

    /// The keys, when none was written to a file (the browser's pieces are exchanged so).
    pub(crate) fn into_vec(self) -> Option<Vec<u64>> {
        self.runs.is_empty().then_some(self.mem)
    }

    /// Whether the keys of all these sets are distinct (`false` also when a run cannot be
    /// read back: the full reader then decides).
    pub(crate) fn all_distinct(sets: Vec<Keys>) -> bool {
        let mut sources = Vec::new();
        for mut set in sets {
            if set.twice {
                return false;
            }
            set.mem.sort_unstable();
            if has_neighbours(&set.mem) {
                return false;
            }
            if !set.mem.is_empty() {
                sources.push(Source::Memory(set.mem.into_iter()));
            }
            for r in set.runs {
                match r.reader() {
                    Ok(reader) => sources.push(Source::File(reader)),
                    Err(_) => return false,
                }
            }
        }
        if sources.len() <= 1 {
            return true;
        }
        let mut heap = BinaryHeap::with_capacity(sources.len());
        for (i, s) in sources.iter_mut().enumerate() {
            match s.next() {
                Ok(Some(k)) => heap.push(Reverse((k, i))),
                Ok(None) => {}
                Err(()) => return false,
            }
        }
        let mut previous = None;
        while let Some(Reverse((k, i))) = heap.pop() {
            if previous == Some(k) {
                return false;
            }
            previous = Some(k);
            match sources[i].next() {
                Ok(Some(next)) => heap.push(Reverse((next, i))),
                Ok(None) => {}
                Err(()) => return false,
            }
        }
        true
    }
}

impl Keys {
    /// The hashes that `sets` hold twice, or that `extra` (sorted) holds too, sorted: the
    /// operations with one of them are for the full reader to compare. `None` when a run
    /// cannot be read back.
    pub(crate) fn repeated(sets: Vec<Keys>, extra: &[u64]) -> Option<Vec<u64>> {
        let mut sources = Vec::new();
        for mut set in sets {
            set.mem.sort_unstable();
            sources.push(Source::Memory(set.mem.into_iter()));
            for r in set.runs {
                sources.push(Source::File(r.reader().ok()?));
            }
        }
        let mut heap = BinaryHeap::with_capacity(sources.len());
        for (i, s) in sources.iter_mut().enumerate() {
            if let Some(k) = s.next().ok()? {
                heap.push(Reverse((k, i)));
            }
        }
        let mut found = Vec::new();
        let mut current: Option<(u64, usize)> = None;
        let close = |current: Option<(u64, usize)>, found: &mut Vec<u64>| {
            if let Some((k, n)) = current {
                if n > 1 || extra.binary_search(&k).is_ok() {
                    found.push(k);
                }
            }
        };
        while let Some(Reverse((k, i))) = heap.pop() {
            match &mut current {
                Some((c, n)) if *c == k => *n += 1,
                _ => {
                    close(current, &mut found);
                    current = Some((k, 1));
                }
            }
            if let Some(next) = sources[i].next().ok()? {
                heap.push(Reverse((next, i)));
            }
        }
        close(current, &mut found);
        Some(found)
    }
}

fn has_neighbours(sorted: &[u64]) -> bool {
    sorted.windows(2).any(|w| w[0] == w[1])
}

/// A sorted sequence of keys.
enum Source {
    Memory(std::vec::IntoIter<u64>),
    File(run::Reader),
}

impl Source {
    fn next(&mut self) -> Result<Option<u64>, ()> {
        match self {
            Source::Memory(it) => Ok(it.next()),
            Source::File(r) => r.next(),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod run {
    use std::fs::File;
    use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
    use std::sync::atomic::{AtomicU64, Ordering};

    pub(super) const AVAILABLE: bool = true;

    /// Sorted keys in a temporary file that has no name: it goes away with its handle.
    pub(super) struct Run(File);

    pub(super) struct Reader(BufReader<File>);

    impl Run {
        pub(super) fn write(sorted: &[u64]) -> std::io::Result<Run> {
            static NEXT: AtomicU64 = AtomicU64::new(0);
            let path = std::env::temp_dir().join(format!(
                "tom-cles-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)?;
            // Unnamed from now on (Unix); elsewhere the removal may wait for the handle.
            let _ = std::fs::remove_file(&path);
            let mut out = BufWriter::with_capacity(1 << 16, file);
            for k in sorted {
                out.write_all(&k.to_le_bytes())?;
            }
            let file = out.into_inner().map_err(|e| e.into_error())?;
            Ok(Run(file))
        }

        pub(super) fn reader(mut self) -> std::io::Result<Reader> {
            self.0.seek(SeekFrom::Start(0))?;
            Ok(Reader(BufReader::with_capacity(1 << 16, self.0)))
        }
    }

    impl Reader {
        pub(super) fn next(&mut self) -> Result<Option<u64>, ()> {
            let mut word = [0u8; 8];
            match self.0.read_exact(&mut word) {
                Ok(()) => Ok(Some(u64::from_le_bytes(word))),
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
                Err(_) => Err(()),
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod run {
    pub(super) const AVAILABLE: bool = false;

    /// No files in the browser: never written.
    pub(super) enum Run {}

    pub(super) enum Reader {}

    impl Run {
        pub(super) fn write(_: &[u64]) -> std::io::Result<Run> {
            Err(std::io::ErrorKind::Unsupported.into())
        }

        pub(super) fn reader(self) -> std::io::Result<Reader> {
            match self {}
        }
    }

    impl Reader {
        pub(super) fn next(&mut self) -> Result<Option<u64>, ()> {
            match *self {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(cap: usize, values: impl IntoIterator<Item = u64>) -> Keys {
        let mut k = Keys::spilling(cap);
        for v in values {
            k.push(v);
        }
        k
    }

    #[test]
    fn twice_is_found_in_memory_in_runs_and_across_sets() {
        for cap in [2, 3, 7, 1000, usize::MAX] {
            let spread = |i: u64| i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            assert!(Keys::all_distinct(vec![keys(cap, (0..500).map(spread))]));
            // The same key in one run, in two runs, in a run and in memory.
            for (a, b) in [(10, 11), (10, 400), (3, 499)] {
                let values = (0..500).map(|i| if i == b { spread(a) } else { spread(i) });
                assert!(
                    !Keys::all_distinct(vec![keys(cap, values)]),
                    "{cap} {a} {b}"
                );
            }
            // Two sets (two parts of a file).
            let first = keys(cap, (0..300).map(spread));
            let second = keys(cap, (300..600).map(spread));
            assert!(Keys::all_distinct(vec![first, second]));
            let first = keys(cap, (0..300).map(spread));
            let second = keys(cap, (299..600).map(spread));
            assert!(!Keys::all_distinct(vec![first, second]));
        }
    }

    #[test]
    fn repeated_keys_are_found_in_memory_in_runs_across_sets_and_with_the_extra_ones() {
        let spread = |i: u64| i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        for cap in [2, 3, 7, 1000, usize::MAX] {
            let none = Keys::repeated(vec![keys(cap, (0..500).map(spread))], &[]).unwrap();
            assert!(none.is_empty());
            let values = (0..500).map(|i| {
                if i == 400 || i == 7 {
                    spread(10)
                } else {
                    spread(i)
                }
            });
            let twice = Keys::repeated(vec![keys(cap, values)], &[]).unwrap();
            assert_eq!(twice, vec![spread(10)]);
            let first = keys(cap, (0..300).map(spread));
            let second = keys(cap, (299..600).map(spread));
            let mut extra = vec![spread(5), spread(1000)];
            extra.sort_unstable();
            let mut both = vec![spread(5), spread(299)];
            both.sort_unstable();
            assert_eq!(Keys::repeated(vec![first, second], &extra).unwrap(), both);
        }
    }

    #[test]
    fn runs_are_written_only_beyond_the_bound() {
        let k = keys(4, 0..10);
        assert_eq!(k.runs.len(), 2);
        assert_eq!(k.mem.len(), 2);
        assert!(k.into_vec().is_none());
        assert_eq!(keys(usize::MAX, 0..10).into_vec().unwrap().len(), 10);
    }

    #[test]
    fn holder_key_hashes_differ_by_domain_and_content() {
        assert_ne!(hash_key(0, b"M0000001"), hash_key(1, b"M0000001"));
        assert_ne!(hash_key(0, b"M0000001"), hash_key(0, b"M0000002"));
        assert_ne!(hash_key(0, b"M000000"), hash_key(0, b"M000000\0"));
        assert_eq!(
            hash_key(3, b"durand|marie|1984-03-12"),
            hash_key(3, b"durand|marie|1984-03-12")
        );
    }
}
