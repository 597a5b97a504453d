//! Place search (the Ctrl+K box and `--center NAME`) over a huge user layer: 100,000
//! generated names (Latin and Cyrillic syllables with hyphens, apostrophes and numbers, like
//! "Kyzyl-Bulak", "Ак-Суу", "Khoja A'lo 12") plus the bundled place names. Times building
//! the index, then types each query of several sets one keystroke at a time (a search for
//! every prefix, as a user typing) and prints mean, p95 and max per keystroke.
//! Target: every keystroke under 5 ms.
//!
//! `cargo bench --bench place_search` (set `BORDERMAP_BENCH_NAMES` to change the count, and
//! `BORDERMAP_BENCH_SLOWEST=1` to list the slowest keystrokes, best of 5 runs each).

use std::hint::black_box;
use std::time::{Duration, Instant};

use bordermap::instruments::search::{PlaceIndex, fold};

/// Results asked for per keystroke, as the search box shows.
const LIMIT: usize = 20;
/// Times each query set is typed (after one warm-up pass).
const ROUNDS: usize = 3;

const LATIN: &[&str] = &[
    "ak", "kara", "kyzyl", "bu", "lak", "tash", "kok", "suu", "sai", "khoja", "dzhan", "qal",
    "a'lo", "ma", "zar", "do", "bo", "kum", "chor", "kuh", "is", "fa", "ra", "vo", "rukh", "bat",
    "ken", "ley", "lek", "sokh", "ov", "chi", "jar", "bog", "ton", "gul", "mar", "don", "khu",
    "jand", "sur", "kand", "kon", "tort", "cho", "o'", "sha", "hi", "gha", "fu", "rov", "ter",
    "mez", "bek", "abad", "yol", "tepa", "su", "ar", "yk", "ba", "tyr", "nar", "uz",
];
const CYRILLIC: &[&str] = &[
    "ак",
    "кара",
    "кызыл",
    "бу",
    "лак",
    "таш",
    "көк",
    "суу",
    "сай",
    "хожа",
    "джан",
    "қал",
    "ма",
    "зар",
    "до",
    "бо",
    "кум",
    "чор",
    "кӯҳ",
    "ис",
    "фа",
    "ра",
    "во",
    "рух",
    "бат",
    "кен",
    "лей",
    "лек",
    "сох",
    "ов",
    "чи",
    "жар",
    "боғ",
    "тон",
    "гул",
    "мар",
    "дон",
    "ху",
    "ҷанд",
    "сур",
    "канд",
    "кон",
    "төрт",
    "чө",
    "ша",
    "ҳи",
    "ғо",
    "фу",
    "ров",
    "тер",
    "абад",
    "ёл",
    "тепа",
    "ар",
    "ың",
    "ба",
    "тыр",
    "нар",
    "үз",
];
const PLACES: &[&str] = &[
    "Vorukh",
    "Kok-Tash",
    "Ak-Sai",
    "Isfara",
    "Khujand",
    "Batken",
    "Ovchi-Kalacha",
    "Khoja A'lo",
    "Qal'acha",
    "Shohimardon",
    "Shakhimardan",
    "So'x",
    "Sokh",
    "Jani-Ayil",
    "Dzhangail",
    "Джангаил",
    "Chon-Kara",
    "Чон-Кара",
    "Somoniyon",
    "Tort-Kocho",
    "Chyr-Dobo",
    "Kum-Mazar",
    "Histevarz",
    "Ghafurov",
    "Bogiston",
    "Lakkon",
    "Surkh",
    "Kulkand",
    "Chorkuh",
    "Leilek",
    "Leylek",
    "Лейлек",
    "Internatsional",
    "Ворух",
];

/// A small deterministic generator (PCG-style LCG).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn generate(count: usize) -> Vec<String> {
    let mut rng = Lcg(20_220_916);
    let mut names = Vec::with_capacity(count);
    while names.len() < count {
        let syllables = if rng.below(2) == 0 { LATIN } else { CYRILLIC };
        let words = 1 + rng.below(3).min(1) + usize::from(rng.below(6) == 0);
        let mut name = String::new();
        for w in 0..words {
            if w > 0 {
                name.push(if rng.below(3) == 0 { ' ' } else { '-' });
            }
            let mut word = String::new();
            for _ in 0..1 + rng.below(3) {
                word.push_str(syllables[rng.below(syllables.len())]);
            }
            name.push_str(&capitalised(&word));
        }
        if rng.below(5) == 0 {
            name.push_str(&format!(" {}", 1 + rng.below(40)));
        }
        names.push(name);
    }
    names
}

struct Stats {
    mean: f64,
    p95: f64,
    max: f64,
}

fn stats(mut times: Vec<Duration>) -> Stats {
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let n = times.len().max(1);
    let total: Duration = times.iter().sum();
    Stats {
        mean: ms(total) / n as f64,
        p95: times
            .get((n * 95).div_ceil(100).saturating_sub(1))
            .map_or(0.0, |&d| ms(d)),
        max: times.last().map_or(0.0, |&d| ms(d)),
    }
}

/// Every prefix of the query, one keystroke at a time.
fn keystrokes(query: &str) -> impl Iterator<Item = &str> {
    query
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .filter_map(|end| query.get(..end))
}

fn main() {
    let count = std::env::var("BORDERMAP_BENCH_NAMES")
        .ok()
        .and_then(|s| s.trim().replace('_', "").parse().ok())
        .unwrap_or(100_000usize);
    let generated = generate(count.saturating_sub(PLACES.len()));
    let names: Vec<&str> = PLACES
        .iter()
        .copied()
        .chain(generated.iter().map(String::as_str))
        .take(count)
        .collect();
    let text_bytes: usize = names.iter().map(|n| n.len()).sum();
    println!(
        "place search: {} names ({:.1} MB of text), e.g. {:?}",
        names.len(),
        text_bytes as f64 / 1e6,
        names.iter().skip(PLACES.len()).take(6).collect::<Vec<_>>()
    );

    let start = Instant::now();
    let mut index = PlaceIndex::new();
    for (i, name) in names.iter().enumerate() {
        index.push(name, i as u32 / 2);
    }
    index.shrink_to_fit();
    let build = start.elapsed();
    println!(
        "build: {:.0} ms for {} names, index memory {:.1} MB ({:.0} bytes per name)",
        build.as_secs_f64() * 1e3,
        index.len(),
        index.memory_bytes() as f64 / 1e6,
        index.memory_bytes() as f64 / index.len().max(1) as f64
    );

    let sets: &[(&str, &[&str])] = &[
        ("short prefixes", &["a", "ka", "kyz", "k", "b", "su", "ak-"]),
        (
            "full names",
            &[
                "Kyzyl-Bulak",
                "Khoja A'lo",
                "Vorukh enclave",
                "Kok-Tash",
                "Isfara",
                "Shakhimardan",
                "Tort-Kocho 12",
            ],
        ),
        (
            "cyrillic",
            &[
                "Ворух",
                "Кызыл-Булак",
                "Хуҷанд",
                "Ак-Суу",
                "Чоң-Алай",
                "Джангаил",
            ],
        ),
        (
            "misspelled (fuzzy)",
            &[
                "Kyzil-Bulok",
                "Khojja Aloo",
                "Shohimardan",
                "Isfarra",
                "Batkin",
                "Leylak",
                "Kum-Mazor",
                "Internacional",
            ],
        ),
        (
            "no match",
            &[
                "zzzzqqqqxxxxwwww",
                "Qwertyuiopasdfgh",
                "xyzzy plugh",
                "19283746",
                "Flughafen Munchen",
                "Ээээээээээээ",
            ],
        ),
    ];

    // Warm-up pass.
    for (_, queries) in sets {
        for q in *queries {
            for prefix in keystrokes(q) {
                black_box(index.search(prefix, LIMIT));
            }
        }
    }

    if std::env::var_os("BORDERMAP_BENCH_SLOWEST").is_some() {
        let mut each = Vec::new();
        for (_, queries) in sets {
            for q in *queries {
                for prefix in keystrokes(q) {
                    let best = (0..5)
                        .map(|_| {
                            let t = Instant::now();
                            black_box(index.search(prefix, LIMIT));
                            t.elapsed()
                        })
                        .min()
                        .unwrap_or_default();
                    each.push((best, prefix));
                }
            }
        }
        each.sort_unstable_by(|a, b| b.cmp(a));
        for (t, prefix) in each.iter().take(12) {
            println!(
                "  slowest keystrokes (best of 5): {:.3} ms {prefix:?}",
                t.as_secs_f64() * 1e3
            );
        }
    }

    let mut worst = 0.0f64;
    let mut all = Vec::new();
    println!(
        "{:<20} {:>6} {:>9} {:>9} {:>9}   first hits of the full query",
        "per keystroke", "keys", "mean ms", "p95 ms", "max ms"
    );
    for (label, queries) in sets {
        let mut times = Vec::new();
        for _ in 0..ROUNDS {
            for q in *queries {
                for prefix in keystrokes(q) {
                    let t = Instant::now();
                    let hits = index.search(prefix, LIMIT);
                    times.push(t.elapsed());
                    black_box(hits);
                }
            }
        }
        all.extend_from_slice(&times);
        let keys = times.len();
        let s = stats(times);
        worst = worst.max(s.max);
        let q = queries.last().copied().unwrap_or("");
        let shown: Vec<String> = index
            .search(q, 3)
            .iter()
            .map(|h| format!("{} ({:?})", index.name(h.name), h.kind))
            .collect();
        println!(
            "{label:<20} {keys:>6} {:>9.3} {:>9.3} {:>9.3}   {q:?} [{}] -> {}",
            s.mean,
            s.p95,
            s.max,
            fold(q),
            shown.join(", ")
        );
    }
    let s = stats(all);
    println!(
        "{:<20} {:>6} {:>9.3} {:>9.3} {:>9.3}",
        "all", "", s.mean, s.p95, s.max
    );
    println!(
        "max per keystroke {:.3} ms: {} the 5 ms target",
        worst,
        if worst < 5.0 { "within" } else { "OVER" }
    );
}
