//! Offline place search: the viewer's Ctrl+K box and `--center NAME`.
//!
//! Names (bundled places, event titles, names of features in user layers) and queries are
//! both reduced by [`fold`] to a *search key*, so that Latin and Cyrillic spellings, accents
//! and the common romanisations of Kyrgyz, Tajik, Uzbek and Russian names meet:
//! "Vorukh", "voruh", "VORUKH" and "Ворух" all have the key `voruh`.
//!
//! # Folding rules ([`fold`]), in order
//!
//! 1. **Lower case** (Unicode).
//! 2. **Cyrillic to Latin**: Russian as in BGN/PCGN-like practice (х→kh, ц→ts, ч→ch, ш→sh,
//!    щ→shch, ж→zh, й→y, ы→y, ё→yo, ю→yu, я→ya, э→e, ъ and ь dropped), the Kyrgyz letters
//!    ң→ng, ө→o, ү→u, the Tajik letters ғ→gh, ӣ→i, қ→q, ӯ→u, ҳ→h, ҷ→j, Uzbek ў→o, and a few
//!    Kazakh/Ukrainian/Serbian letters (ә→a, ұ→u, һ→h, і→i, ї→yi, є→ye, ґ→g, ј→j, џ→dzh).
//! 3. **Latin diacritics removed**: é→e, ö→o, ü→u, ā→a, ō→o, ı→i, ğ→g, ñ→n, …; the Turkic
//!    and Slavic hushing letters keep their sound: ş/ș/š→sh, ç/č→ch, ž→zh; ß→ss, æ→ae,
//!    œ→oe, ø→o, ŋ→ng, þ→th. Combining marks (U+0300–U+036F and the other combining blocks)
//!    and invisible format characters (zero-width joiners, soft hyphen, BOM) are dropped.
//! 4. **Apostrophes and modifier letters dropped** (' ’ ‘ ‛ ` ´ ′ ʹ ʻ ʼ ʽ ʾ ʿ ˈ): "Qal'acha"
//!    → `qalacha` (→ `kalacha`), "So'x" → `sox` (→ `soh`), "Khoja A'lo" → `hoja alo`.
//! 5. Every other character that is not a letter or digit (hyphens, punctuation, spaces,
//!    emoji, symbols) is a **word separator**; runs of separators become one space, and the
//!    key has no leading or trailing space. Letters and digits of other scripts are kept.
//! 6. **Spelling variants**, per word, scanning left to right: `dzh`, `dj`, `zh` → `j`
//!    (so Джангаил = Dzhangail = Djangail = `jangail`, and Kyrgyz ж meets the `j` of
//!    Latin spellings); `kh` → `h`, `x` → `h` (Khujand = Hujand = Xujand); `gh` → `g`;
//!    `q` → `k`; `tz` → `ts`; `ou` → `u`; `w` → `v`; `y` → `i` everywhere (so y/i/iy/yi
//!    between vowels, ya/ia, yu/iu and Kyzyl/Kizil meet).
//! 7. **Doubled letters collapsed** within a word (`ll` → `l`, `ii` → `i`, Lakkon = Lakon).
//! 8. A word that then starts with `ie` loses the `i` (word-initial ye/e: Yergai = Ergai).
//!
//! Matching compares the *compact* key: the key without its spaces, with doubled letters
//! collapsed again across the joins, so "Kok-Tash", "Kok Tash" and "Koktash" are all
//! `koktash`. The positions where the words of the name began are kept, to tell a match at
//! the start of a word from one inside a word.
//!
//! Pairs that folding alone does not join are found by the fuzzy pass: edit distance on the
//! compact keys (bytes), at most 1 for queries of 4–7 key characters, at most 2 for 8 or
//! more, none for shorter ones, against the whole name or any of its word-starting tails, as
//! a whole or (for queries of 5 key bytes or more, which may be unfinished words) as a
//! prefix. It finds Kum-Mazar/Kum-Mazor, Jani-Ayil (`janiail`)/Jangail (`jangail`),
//! Chon-Alai/Chong-Alai (ң→ng), Shohimardon/Shakhimardan, Tojikiston/Tajikistan. Some names
//! differ too much for either: Kyrgyz Өзгөн (`ozgon`) and Russian Узген (`uzgen`) are two
//! names of one town, and such pairs need both names pushed for the item.
//!
//! # Ranking
//!
//! [`MatchKind::Exact`] (same compact key) > [`MatchKind::Prefix`] (the name starts with the
//! query) > [`MatchKind::WordPrefix`] (a word of the name starts with it) >
//! [`MatchKind::Inside`] > [`MatchKind::Fuzzy`]; within a kind by score (penalties for
//! generic words of the query missing from the name, words out of order, edit distance),
//! then the shorter compact key, then push order. A multi-word query matches a name that
//! contains all its words, as one run or in any order; generic geographic words of the
//! query ("enclave", "village", "river", "район", …) may be missing from the name at a small
//! cost, so "Vorukh enclave" finds "Vorukh". While the user is still typing a word, a last
//! letter that may begin a digraph (k of kh, z of zh, d of dj/dzh, o of ou) also matches its
//! folded form, so "Voruk" already finds "Vorukh" as a prefix.
//!
//! # Cost
//!
//! Names and keys are stored in two flat strings with end offsets; per name there are also a
//! 24-byte bag (bytes present once, twice, and adjacent pairs, as 64-bit sets), the 64-bit
//! set of word starts, the key's first byte and the item: about 45 bytes plus the name and
//! its key. A search is one linear pass in chunks: a tight loop over the bags drops the names
//! that cannot contain the query nor be within the edit bound, and only the rest are
//! compared. Matches are pruned as they come: once `limit` distinct items are held, a name
//! must beat the worst of them, so work that can only find worse kinds is skipped (no inside
//! search once the results are all prefixes, no fuzzy pass once there are `limit` better
//! items; this changes no result). The fuzzy pass uses Myers' bit-parallel edit distance
//! with early exit. Queries whose compact key is longer than 64 bytes get no fuzzy pass.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::sync::OnceLock;

/// How a name matched a query, worst to best (the derived order ranks them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// Within the edit-distance bound of the query, without containing it.
    Fuzzy,
    /// The query appears inside a word of the name.
    Inside,
    /// A word of the name (not the first) starts with the query.
    WordPrefix,
    /// The name starts with the query.
    Prefix,
    /// The name's key is the query's key.
    Exact,
}

/// One result of [`PlaceIndex::search`].
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The caller's item, as given to [`PlaceIndex::push`].
    pub item: u32,
    /// The matched name: its index in push order (see [`PlaceIndex::name`]).
    pub name: u32,
    /// Higher is better; comparable between hits of one search only.
    pub score: u32,
    /// How the name matched.
    pub kind: MatchKind,
}

/// The search key of a text (see the module documentation for the exact rules): lower case,
/// Cyrillic transliterated, diacritics and apostrophes removed, spelling variants folded,
/// words separated by single spaces.
pub fn fold(text: &str) -> String {
    let mut raw = Vec::with_capacity(text.len());
    transliterate(text, &mut raw);
    let mut out = String::with_capacity(raw.len());
    let mut word = Vec::new();
    for chunk in raw.split(|&c| c == ' ') {
        if chunk.is_empty() {
            continue;
        }
        fold_word(chunk, &mut word);
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.iter());
    }
    out
}

/// Steps 1 to 5: lower case, transliteration, diacritics, apostrophes, separators. The
/// result holds words separated by single spaces (possibly with a trailing one).
fn transliterate(text: &str, out: &mut Vec<char>) {
    for upper in text.chars() {
        for c in upper.to_lowercase() {
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    out.push(c);
                } else if c != '\'' && c != '`' {
                    separator(out);
                }
            } else if let Some(s) = cyrillic(c).or_else(|| latin(c)) {
                out.extend(s.chars());
            } else if is_dropped(c) {
            } else if c.is_alphanumeric() {
                out.push(c);
            } else {
                separator(out);
            }
        }
    }
}

fn separator(out: &mut Vec<char>) {
    if out.last().is_some_and(|&c| c != ' ') {
        out.push(' ');
    }
}

/// Apostrophes, modifier letters, combining marks and invisible format characters.
fn is_dropped(c: char) -> bool {
    matches!(
        c,
        '’' | '‘'
            | '‛'
            | '´'
            | '′'
            | 'ʹ'
            | 'ʺ'
            | 'ʻ'
            | 'ʼ'
            | 'ʽ'
            | 'ʾ'
            | 'ʿ'
            | 'ˈ'
            | 'ˊ'
            | 'ˋ'
            | '\u{00AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Lower-case Cyrillic letters in Latin.
fn cyrillic(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ѐ' => "e",
        'ё' => "yo",
        'ж' => "zh",
        'з' => "z",
        'и' | 'ѝ' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        // Kyrgyz.
        'ң' => "ng",
        'ө' => "o",
        'ү' => "u",
        // Tajik.
        'ғ' => "gh",
        'ӣ' => "i",
        'қ' => "q",
        'ӯ' => "u",
        'ҳ' => "h",
        'ҷ' => "j",
        // Uzbek.
        'ў' => "o",
        // Kazakh, Ukrainian, Belarusian, Serbian, Macedonian.
        'ә' => "a",
        'ұ' => "u",
        'һ' => "h",
        'і' => "i",
        'ї' => "yi",
        'є' => "ye",
        'ґ' | 'ѓ' => "g",
        'ј' => "j",
        'џ' => "dzh",
        'ђ' => "dj",
        'ћ' => "ch",
        'љ' => "lj",
        'њ' => "nj",
        'ќ' => "k",
        'ѕ' => "dz",
        _ => return None,
    })
}

/// Lower-case Latin letters with diacritics, without them.
fn latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ạ' | 'ả' | 'ə' => {
            "a"
        }
        'æ' => "ae",
        'ç' | 'č' | 'ć' | 'ĉ' => "ch",
        'ċ' => "c",
        'ď' | 'đ' | 'ð' | 'ḍ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ẽ' => "e",
        'ƒ' => "f",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' | 'ǧ' | 'ǵ' => "g",
        'ĥ' | 'ħ' | 'ḥ' | 'ḫ' | 'ẖ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' | 'ị' => "i",
        'ĳ' => "ij",
        'ĵ' | 'ǰ' => "j",
        'ķ' | 'ḳ' | 'ǩ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' | 'ḷ' => "l",
        'ṃ' => "m",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ṇ' => "n",
        'ŋ' => "ng",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ǒ' | 'ọ' | 'ỏ' | 'ơ' => {
            "o"
        }
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' | 'ṛ' => "r",
        'ś' | 'ŝ' | 'ṣ' => "s",
        'ş' | 'ș' | 'š' => "sh",
        'ß' => "ss",
        'ţ' | 'ț' | 'ť' | 'ŧ' | 'ṭ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' | 'ụ' | 'ủ' | 'ư' => {
            "u"
        }
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' | 'ỳ' | 'ỹ' => "y",
        'ź' | 'ż' | 'ẓ' => "z",
        'ž' => "zh",
        _ => return None,
    })
}

/// Steps 6 to 8 on one word.
fn fold_word(word: &[char], out: &mut Vec<char>) {
    out.clear();
    let at = |i: usize| word.get(i).copied().unwrap_or(' ');
    let mut i = 0;
    while i < word.len() {
        let (c, n) = match (at(i), at(i + 1), at(i + 2)) {
            ('d', 'z', 'h') => ('j', 3),
            ('d', 'j', _) | ('z', 'h', _) => ('j', 2),
            ('k', 'h', _) => ('h', 2),
            ('g', 'h', _) => ('g', 2),
            ('t', 'z', _) => {
                push_single(out, 't');
                ('s', 2)
            }
            ('o', 'u', _) => ('u', 2),
            ('x', _, _) => ('h', 1),
            ('q', _, _) => ('k', 1),
            ('w', _, _) => ('v', 1),
            ('y', _, _) => ('i', 1),
            (c, _, _) => (c, 1),
        };
        push_single(out, c);
        i += n;
    }
    if out.len() > 1 && out[0] == 'i' && out[1] == 'e' {
        out.remove(0);
    }
}

/// Pushes `c` unless it doubles the last letter.
fn push_single(out: &mut Vec<char>, c: char) {
    if out.last() != Some(&c) {
        out.push(c);
    }
}

/// The compact key of a folded key (spaces removed, doubled letters collapsed across the
/// joins) and the bit set of byte positions (below 64) where its words start.
fn compact(key: &str) -> (String, u64) {
    let mut out = String::with_capacity(key.len());
    let mut starts = 0u64;
    let mut prev = None;
    let mut word_start = true;
    for c in key.chars() {
        if c == ' ' {
            word_start = true;
            continue;
        }
        let pos = if prev == Some(c) {
            out.len() - c.len_utf8()
        } else {
            let pos = out.len();
            out.push(c);
            prev = Some(c);
            pos
        };
        if word_start && pos < 64 {
            starts |= 1 << pos;
        }
        word_start = false;
    }
    (out, starts)
}

/// The bytes of a key as three 64-bit sets: the byte values present once or more, and twice
/// or more (one bit per ASCII letter and digit, other bytes hashed into the remaining bits),
/// and the pairs of adjacent bytes present (hashed). A string contains another only if its
/// bag is a superset. Each edit costs a pattern at most one of its byte bits and at most two
/// of its pairs, which bounds the edit distance from below.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Bag {
    once: u64,
    twice: u64,
    pairs: u64,
}

impl Bag {
    fn of(bytes: &[u8]) -> Self {
        let mut bag = Self::default();
        for &b in bytes {
            let bit = bag_bit(b);
            bag.twice |= bag.once & bit;
            bag.once |= bit;
        }
        for pair in bytes.windows(2) {
            if let [a, b] = *pair {
                bag.pairs |= pair_bit(a, b);
            }
        }
        bag
    }

    /// Whether a string with bag `self` may be within `max` edits of one with bag `text`.
    #[inline]
    fn near(self, text: Self, max: u32) -> bool {
        if max == 0 {
            return self.within(text);
        }
        let once = self.once & !text.once;
        let twice = self.twice & !text.twice;
        at_most(once, max)
            && at_most(twice, max)
            && at_most(self.pairs & !text.pairs, 2 * max)
            && once.count_ones() + twice.count_ones() <= max
    }

    /// Whether a string with bag `self` may be inside one with bag `text`.
    fn within(self, text: Self) -> bool {
        self.once & !text.once == 0
            && self.twice & !text.twice == 0
            && self.pairs & !text.pairs == 0
    }
}

/// Whether `bits` has at most `n` bits set (cheap for small `n`, without a popcount
/// instruction).
#[inline]
fn at_most(mut bits: u64, n: u32) -> bool {
    for _ in 0..n {
        if bits == 0 {
            return true;
        }
        bits &= bits - 1;
    }
    bits == 0
}

fn pair_bit(a: u8, b: u8) -> u64 {
    let h = u64::from(a).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ u64::from(b).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    1 << (h >> 58)
}

fn bag_bit(b: u8) -> u64 {
    let bit = match b {
        b'a'..=b'z' => b - b'a',
        b'0'..=b'9' => 26 + b - b'0',
        _ => 36 + b % 28,
    };
    1 << bit
}

/// A searchable list of names, each pointing to a caller's item (an index into the caller's
/// own `Vec`).
#[derive(Clone, Debug, Default)]
pub struct PlaceIndex {
    /// The names as pushed, concatenated.
    names: String,
    /// End of each name in `names`.
    name_ends: Vec<u32>,
    /// The compact keys, concatenated.
    keys: String,
    /// End of each key in `keys`.
    key_ends: Vec<u32>,
    /// Per name: the bit set of key positions (below 64) where a word starts.
    starts: Vec<u64>,
    /// Per name: the [`Bag`] of its key.
    bags: Vec<Bag>,
    /// Per name: the first byte of its key (0 if empty).
    firsts: Vec<u8>,
    /// Per name: the caller's item.
    items: Vec<u32>,
}

/// Base scores of the kinds; penalties subtract less than the gap between two kinds.
const KIND_BASE: u32 = 10_000;
/// Score lost per generic query word missing from the name.
const MISSING_WORD: u32 = 1_000;
/// Score lost when the query words are found apart or out of order.
const WORDS_APART: u32 = 500;
/// Score lost per edit in a fuzzy match.
const PER_EDIT: u32 = 2_000;
/// Score lost by a fuzzy match of a prefix of the name only.
const FUZZY_PREFIX: u32 = 1_000;
/// Score lost by a fuzzy match that starts at a later word of the name.
const FUZZY_LATER_WORD: u32 = 500;

fn base(kind: MatchKind) -> u32 {
    (kind as u32 + 1) * KIND_BASE
}

impl PlaceIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a name for item `item` (an item may have several names: a name and its
    /// alternative names or Cyrillic spelling). Names are numbered in push order. A name
    /// that would take the stored text past 4 GiB is stored empty and never matches.
    pub fn push(&mut self, name: &str, item: u32) {
        let key = fold(name);
        let (key, starts) = compact(&key);
        let fits = |buf: &str, add: &str| {
            buf.len()
                .checked_add(add.len())
                .is_some_and(|n| u32::try_from(n).is_ok())
        };
        let (name, key, starts) = if fits(&self.names, name) && fits(&self.keys, &key) {
            (name, key, starts)
        } else {
            ("", String::new(), 0)
        };
        self.names.push_str(name);
        self.name_ends.push(self.names.len() as u32);
        self.keys.push_str(&key);
        self.key_ends.push(self.keys.len() as u32);
        self.starts.push(starts);
        self.bags.push(Bag::of(key.as_bytes()));
        self.firsts
            .push(key.as_bytes().first().copied().unwrap_or(0));
        self.items.push(item);
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no name was pushed.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The name as pushed (for display); empty for an index out of range.
    pub fn name(&self, name: u32) -> &str {
        let i = name as usize;
        let (Some(&end), start) = (self.name_ends.get(i), self.start_of(&self.name_ends, i)) else {
            return "";
        };
        self.names.get(start..end as usize).unwrap_or("")
    }

    /// The caller's item of a name, if the name exists.
    pub fn item(&self, name: u32) -> Option<u32> {
        self.items.get(name as usize).copied()
    }

    /// The compact search key of a name (its [`fold`] without spaces); empty for an index
    /// out of range.
    pub fn key(&self, name: u32) -> &str {
        let i = name as usize;
        let (Some(&end), start) = (self.key_ends.get(i), self.start_of(&self.key_ends, i)) else {
            return "";
        };
        self.keys.get(start..end as usize).unwrap_or("")
    }

    /// Approximate heap memory of the index, in bytes.
    pub fn memory_bytes(&self) -> usize {
        self.names.capacity()
            + self.keys.capacity()
            + 4 * (self.name_ends.capacity() + self.key_ends.capacity() + self.items.capacity())
            + 8 * self.starts.capacity()
            + 24 * self.bags.capacity()
            + self.firsts.capacity()
    }

    /// Releases spare capacity after the last push.
    pub fn shrink_to_fit(&mut self) {
        self.names.shrink_to_fit();
        self.name_ends.shrink_to_fit();
        self.keys.shrink_to_fit();
        self.key_ends.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.bags.shrink_to_fit();
        self.firsts.shrink_to_fit();
        self.items.shrink_to_fit();
    }

    fn start_of(&self, ends: &[u32], i: usize) -> usize {
        match i.checked_sub(1) {
            Some(prev) => ends.get(prev).map_or(0, |&e| e as usize),
            None => 0,
        }
    }

    /// The best `limit` distinct items for `query`, best first (an item found by several of
    /// its names appears once, with its best match). An empty or whitespace query (or one
    /// with no letters or digits) finds nothing.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        if limit == 0 {
            return Vec::new();
        }
        let Some(query) = Query::new(query) else {
            return Vec::new();
        };
        let keys = self.keys.as_bytes();
        let mut top = Top::new(limit);
        let mut passed = Vec::with_capacity(CHUNK);
        for (c, bags) in self.bags.chunks(CHUNK).enumerate() {
            let first = c * CHUNK;
            // A tight pass over the bags, then the names that passed.
            let floor = top.floor();
            passed.clear();
            if floor >= MatchKind::Prefix {
                // Only names that start like a phrase can still make it.
                let firsts = self.firsts.get(first..first + bags.len()).unwrap_or(&[]);
                for (j, b) in firsts.iter().enumerate() {
                    if query.firsts.contains(b) {
                        passed.push(first + j);
                    }
                }
            } else {
                let gates = query.gates(floor);
                for (j, bag) in bags.iter().enumerate() {
                    if gates.iter().any(|g| g.bag.near(*bag, g.max)) {
                        passed.push(first + j);
                    }
                }
            }
            for &i in &passed {
                let start = i
                    .checked_sub(1)
                    .and_then(|p| self.key_ends.get(p))
                    .map_or(0, |&e| e as usize);
                let end = self.key_ends.get(i).map_or(start, |&e| e as usize);
                let key = keys.get(start..end).unwrap_or(&[]);
                let (Some(&bag), Some(&starts)) = (self.bags.get(i), self.starts.get(i)) else {
                    continue;
                };
                if let Some((kind, score)) = query.matches(key, bag, starts, top.floor()) {
                    top.offer(Found {
                        kind,
                        score,
                        len: key.len() as u32,
                        name: i as u32,
                        item: self.items.get(i).copied().unwrap_or(0),
                    });
                }
            }
        }
        top.finish()
    }
}

/// Names per pass of the bag test.
const CHUNK: usize = 4096;

/// A bag test that a name must pass for a closer look: within `max` edits of `bag`.
#[derive(Clone, Copy)]
struct Gate {
    bag: Bag,
    max: u32,
}

/// A matched name, before the selection.
#[derive(Clone, Copy)]
struct Found {
    kind: MatchKind,
    score: u32,
    len: u32,
    name: u32,
    item: u32,
}

/// Best first: kind, score, shorter key, push order.
fn best_first(a: &Found, b: &Found) -> Ordering {
    b.kind
        .cmp(&a.kind)
        .then(b.score.cmp(&a.score))
        .then(a.len.cmp(&b.len))
        .then(a.name.cmp(&b.name))
}

/// The matches of a search, pruned as they come to those that may still make the best
/// `limit` distinct items.
struct Top {
    found: Vec<Found>,
    limit: usize,
    /// Prune when `found` reaches this length.
    next_prune: usize,
    /// Once the matches hold `limit` distinct items: the match of the `limit`-th, which
    /// every further match must beat.
    bar: Option<Found>,
}

impl Top {
    fn new(limit: usize) -> Self {
        Self {
            found: Vec::new(),
            limit,
            next_prune: limit.max(16),
            bar: None,
        }
    }

    /// The worst kind a new match may have to be kept.
    fn floor(&self) -> MatchKind {
        self.bar.as_ref().map_or(MatchKind::Fuzzy, |b| b.kind)
    }

    fn offer(&mut self, found: Found) {
        if let Some(bar) = &self.bar
            && best_first(&found, bar) != Ordering::Less
        {
            return;
        }
        self.found.push(found);
        if self.found.len() >= self.next_prune {
            self.prune();
        }
    }

    /// Sorts the matches and, once they hold `limit` distinct items, drops those after the
    /// `limit`-th distinct item's best match (nothing worse can be among the results).
    fn prune(&mut self) {
        self.found.sort_unstable_by(best_first);
        let mut seen = HashSet::with_capacity(self.limit.min(self.found.len()));
        let mut cut = None;
        for (i, f) in self.found.iter().enumerate() {
            if seen.insert(f.item) && seen.len() == self.limit {
                cut = Some(i);
                break;
            }
        }
        if let Some(i) = cut {
            self.bar = self.found.get(i).copied();
            self.found.truncate(i + 1);
        }
        self.next_prune = self.found.len().saturating_mul(2).max(self.limit.max(16));
    }

    fn finish(self) -> Vec<Hit> {
        best_distinct(self.found, self.limit)
    }
}

/// The best `limit` hits with distinct items.
fn best_distinct(mut found: Vec<Found>, limit: usize) -> Vec<Hit> {
    let mut take = limit.saturating_mul(2).max(16);
    loop {
        let all = take >= found.len();
        if !all {
            found.select_nth_unstable_by(take, best_first);
        }
        let n = take.min(found.len());
        let top = &mut found[..n];
        top.sort_unstable_by(best_first);
        let mut seen = HashSet::with_capacity(limit.min(top.len()));
        let mut hits = Vec::with_capacity(limit.min(top.len()));
        for f in top.iter() {
            if seen.insert(f.item) {
                hits.push(Hit {
                    item: f.item,
                    name: f.name,
                    score: f.score,
                    kind: f.kind,
                });
                if hits.len() == limit {
                    return hits;
                }
            }
        }
        if all {
            return hits;
        }
        take = take.saturating_mul(4);
    }
}

/// A string to find as one run in the compact key.
struct Phrase {
    bytes: Vec<u8>,
    bag: Bag,
    /// The best kind this phrase may give.
    cap: MatchKind,
    penalty: u32,
}

impl Phrase {
    fn new(bytes: Vec<u8>, cap: MatchKind, penalty: u32) -> Self {
        Self {
            bag: Bag::of(&bytes),
            bytes,
            cap,
            penalty,
        }
    }

    /// How the phrase occurs in a key, if it does as `floor` or better.
    fn kind(&self, key: &[u8], key_bag: Bag, starts: u64, floor: MatchKind) -> Option<MatchKind> {
        if self.cap < floor || !self.bag.within(key_bag) {
            return None;
        }
        let kind = occurrence(&self.bytes, key, starts, floor)?;
        Some(kind.min(self.cap))
    }
}

/// The best occurrence of `needle` in `key`: exact, at the start, at a word start, inside;
/// occurrences worse than `floor` are not looked for.
fn occurrence(needle: &[u8], key: &[u8], starts: u64, floor: MatchKind) -> Option<MatchKind> {
    let (&first, _) = needle.split_first()?;
    if key.len() < needle.len() {
        return None;
    }
    if starts_with(key, needle) {
        return Some(if key.len() == needle.len() {
            MatchKind::Exact
        } else {
            MatchKind::Prefix
        });
    }
    if floor > MatchKind::WordPrefix {
        return None;
    }
    if floor == MatchKind::WordPrefix {
        let mut bits = starts & !1;
        while bits != 0 {
            let pos = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if key.get(pos..).is_some_and(|tail| starts_with(tail, needle)) {
                return Some(MatchKind::WordPrefix);
            }
        }
        return None;
    }
    let mut inside = false;
    let last = key.len() - needle.len();
    for pos in 1..=last {
        if key.get(pos) == Some(&first) && key.get(pos..).is_some_and(|t| starts_with(t, needle)) {
            if pos < 64 && starts & (1 << pos) != 0 {
                return Some(MatchKind::WordPrefix);
            }
            inside = true;
        }
    }
    inside.then_some(MatchKind::Inside)
}

/// `hay.starts_with(needle)` without a call to `memcmp` (the keys are short).
#[inline]
fn starts_with(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay.iter().zip(needle).all(|(a, b)| a == b)
}

/// A query word to find anywhere in the key, with the alternative spelling of an
/// unfinished last word.
struct Word {
    forms: Vec<Phrase>,
}

/// A fuzzy pattern: the query's compact key for the bit-parallel edit distance.
struct Fuzzy {
    /// Per byte value, the bits of the pattern positions holding it.
    peq: Box<[u64; 256]>,
    len: usize,
    bag: Bag,
    max: u32,
    /// Whether a prefix of a name's tail may match (patterns of 5 key bytes or more).
    prefixes: bool,
    penalty: u32,
}

impl Fuzzy {
    fn new(pattern: &[u8], penalty: u32) -> Option<Self> {
        let chars = std::str::from_utf8(pattern).ok()?.chars().count();
        let max = match chars {
            0..=3 => return None,
            4..=7 => 1,
            _ => 2,
        };
        if pattern.len() > 64 {
            return None;
        }
        let mut peq = Box::new([0u64; 256]);
        for (i, &b) in pattern.iter().enumerate() {
            peq[b as usize] |= 1 << i;
        }
        Some(Self {
            peq,
            len: pattern.len(),
            bag: Bag::of(pattern),
            max,
            prefixes: pattern.len() >= 5,
            penalty,
        })
    }

    /// The score of the best fuzzy match of the pattern against the key or one of its
    /// word-starting tails, whole or as a prefix, if within the bound.
    #[inline]
    fn score(&self, key: &[u8], key_bag: Bag, starts: u64) -> Option<u32> {
        if !self.bag.near(key_bag, self.max) {
            return None;
        }
        self.score_near(key, starts)
    }

    /// [`Fuzzy::score`] past the bag test.
    #[inline(never)]
    fn score_near(&self, key: &[u8], starts: u64) -> Option<u32> {
        if key.len() + (self.max as usize) < self.len {
            return None;
        }
        let mut best: Option<u32> = None;
        let mut bits = starts | 1;
        while bits != 0 {
            let pos = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let Some(tail) = key.get(pos..) else {
                break;
            };
            if tail.len() + (self.max as usize) < self.len {
                break;
            }
            if !self.prefixes && tail.len() > self.len + self.max as usize {
                continue;
            }
            let Some((whole, prefix)) = self.distance(tail) else {
                continue;
            };
            let later = if pos == 0 { 0 } else { FUZZY_LATER_WORD };
            let cost = match whole {
                Some(d) => d * PER_EDIT + later,
                None if self.prefixes => prefix * PER_EDIT + FUZZY_PREFIX + later,
                None => continue,
            };
            best = Some(best.map_or(cost, |b| b.min(cost)));
        }
        let cost = best?;
        Some(
            base(MatchKind::Fuzzy)
                .saturating_sub(cost)
                .saturating_sub(self.penalty),
        )
    }

    /// Myers' bit-parallel edit distance between the pattern and `text` (whole, if within
    /// the bound) and between the pattern and the closest prefix of `text`; `None` if no
    /// prefix is within the bound.
    fn distance(&self, text: &[u8]) -> Option<(Option<u32>, u32)> {
        let m = self.len;
        let top = 1u64 << (m - 1);
        let max = self.max as usize;
        let mut vp = u64::MAX;
        let mut vn = 0u64;
        let mut d = m;
        let mut best = m;
        for (j, &c) in text.iter().enumerate() {
            if j >= m + max {
                // D[m][j] >= j - m > max from here on; the whole text is out of bound.
                return (best <= max).then_some((None, best as u32));
            }
            let eq = self.peq[c as usize];
            let x = eq | vn;
            let d0 = ((eq & vp).wrapping_add(vp) ^ vp) | x;
            let hp = vn | !(d0 | vp);
            let hn = vp & d0;
            if hp & top != 0 {
                d += 1;
            } else if hn & top != 0 {
                d -= 1;
            }
            let x = (hp << 1) | 1;
            vn = x & d0;
            vp = (hn << 1) | !(x | d0);
            best = best.min(d);
            let left = text.len() - j - 1;
            if best > max && d > max + left {
                return None;
            }
        }
        (best <= max).then_some(((d <= max).then_some(d as u32), best as u32))
    }
}

/// Generic geographic words that a query may name but a name may lack ("Vorukh enclave").
const GENERIC: &[&str] = &[
    "enclave",
    "exclave",
    "anklav",
    "enklav",
    "village",
    "selo",
    "kishlak",
    "qishloq",
    "town",
    "city",
    "gorod",
    "shahr",
    "shahri",
    "district",
    "rayon",
    "nohiya",
    "region",
    "oblast",
    "viloyat",
    "province",
    "river",
    "reka",
    "darya",
    "daryo",
    "jamoat",
    "lake",
    "ozero",
    "canal",
    "kanal",
    "pass",
    "pereval",
    "mountain",
    "gora",
    "valley",
    "анклав",
    "село",
    "кишлак",
    "посёлок",
    "поселок",
    "город",
    "район",
    "область",
    "вилоят",
    "ноҳия",
    "шаҳр",
    "деҳа",
    "река",
    "озеро",
    "канал",
    "перевал",
];

fn generic_keys() -> &'static HashSet<String> {
    static KEYS: OnceLock<HashSet<String>> = OnceLock::new();
    KEYS.get_or_init(|| GENERIC.iter().map(|w| fold(w)).collect())
}

/// A prepared query.
struct Query {
    /// The bag tests of the phrases and words, then those of the fuzzy patterns.
    gates: Vec<Gate>,
    /// How many of `gates` are not fuzzy.
    exact_gates: usize,
    /// The first bytes of the phrases.
    firsts: Vec<u8>,
    phrases: Vec<Phrase>,
    /// The required words, for a match in any order (two or more words only).
    words: Vec<Word>,
    words_penalty: u32,
    fuzzy: Vec<Fuzzy>,
}

impl Query {
    fn new(text: &str) -> Option<Self> {
        let key = fold(text);
        if key.is_empty() {
            return None;
        }
        // The last letter typed may begin a digraph that the next keystroke folds.
        let open = text
            .chars()
            .last()
            .and_then(|c| c.to_lowercase().next())
            .filter(|&c| c.is_ascii_alphanumeric());
        let alternative = |word: &str| -> Option<Vec<u8>> {
            let mut bytes = word.as_bytes().to_vec();
            match open? {
                'k' => *bytes.last_mut()? = b'h',
                'z' if bytes.ends_with(b"dz") => {
                    bytes.truncate(bytes.len() - 2);
                    bytes.push(b'j');
                }
                'z' | 'd' => *bytes.last_mut()? = b'j',
                'o' => *bytes.last_mut()? = b'u',
                _ => return None,
            }
            // Collapse a letter doubled by the change.
            if bytes.len() > 1 && bytes[bytes.len() - 1] == bytes[bytes.len() - 2] {
                bytes.pop();
            }
            Some(bytes)
        };

        let words: Vec<&str> = key.split(' ').collect();
        let (whole, _) = compact(&key);
        let mut phrases = vec![Phrase::new(whole.as_bytes().to_vec(), MatchKind::Exact, 0)];
        if let Some(alt) = alternative(&whole) {
            phrases.push(Phrase::new(alt, MatchKind::Prefix, 0));
        }
        let mut fuzzy: Vec<Fuzzy> = Fuzzy::new(whole.as_bytes(), 0).into_iter().collect();

        let mut words_out = Vec::new();
        let mut words_penalty = 0;
        if words.len() > 1 {
            let generic = generic_keys();
            let last = words.len() - 1;
            let is_generic = |i: usize, w: &str| {
                generic.contains(w)
                    || (i == last
                        && open.is_some()
                        && w.len() >= 3
                        && generic.iter().any(|g| g.starts_with(w)))
            };
            let required: Vec<&str> = words
                .iter()
                .enumerate()
                .filter(|&(i, w)| !is_generic(i, w))
                .map(|(_, w)| *w)
                .collect();
            let missing = (words.len() - required.len()) as u32;
            let required = if required.is_empty() {
                words.clone()
            } else {
                required
            };
            let optional_penalty = missing * MISSING_WORD;
            if missing > 0 && !required.is_empty() {
                let (joined, _) = compact(&required.join(" "));
                phrases.push(Phrase::new(
                    joined.as_bytes().to_vec(),
                    MatchKind::Exact,
                    optional_penalty,
                ));
                fuzzy.extend(Fuzzy::new(joined.as_bytes(), optional_penalty));
            }
            if required.len() > 1 {
                let n = required.len();
                for (i, w) in required.iter().enumerate() {
                    let mut forms = vec![Phrase::new(w.as_bytes().to_vec(), MatchKind::Exact, 0)];
                    if i == n - 1 && words.last() == Some(w) {
                        forms.extend(alternative(w).map(|a| Phrase::new(a, MatchKind::Prefix, 0)));
                    }
                    words_out.push(Word { forms });
                }
                words_penalty = WORDS_APART + optional_penalty;
            }
        }
        let mut gates: Vec<Gate> = phrases
            .iter()
            .map(|p| Gate { bag: p.bag, max: 0 })
            .collect();
        if let Some(p) = words_out.first().and_then(|w| w.forms.first()) {
            gates.push(Gate { bag: p.bag, max: 0 });
        }
        let exact_gates = gates.len();
        gates.extend(fuzzy.iter().map(|f| Gate {
            bag: f.bag,
            max: f.max,
        }));
        let firsts = phrases
            .iter()
            .filter_map(|p| p.bytes.first().copied())
            .collect();
        Some(Self {
            gates,
            exact_gates,
            firsts,
            phrases,
            words: words_out,
            words_penalty,
            fuzzy,
        })
    }

    /// The bag tests for matches of kind `floor` or better.
    fn gates(&self, floor: MatchKind) -> &[Gate] {
        if floor > MatchKind::Fuzzy {
            self.gates.get(..self.exact_gates).unwrap_or(&[])
        } else {
            &self.gates
        }
    }

    /// How a name's key matches, with its score, if as `floor` or better.
    fn matches(
        &self,
        key: &[u8],
        bag: Bag,
        starts: u64,
        floor: MatchKind,
    ) -> Option<(MatchKind, u32)> {
        let mut best: Option<(MatchKind, u32)> = None;
        let mut offer = |kind: MatchKind, score: u32| {
            if best.is_none_or(|b| (kind, score) > b) {
                best = Some((kind, score));
            }
        };
        for p in &self.phrases {
            if let Some(kind) = p.kind(key, bag, starts, floor) {
                offer(kind, base(kind).saturating_sub(p.penalty));
            }
        }
        if !self.words.is_empty() && floor <= MatchKind::WordPrefix {
            let mut all = Some(MatchKind::WordPrefix);
            for w in &self.words {
                let kind = w
                    .forms
                    .iter()
                    .filter_map(|p| p.kind(key, bag, starts, floor))
                    .max();
                all = match (all, kind) {
                    (Some(a), Some(k)) => Some(a.min(k)),
                    _ => None,
                };
                if all.is_none() {
                    break;
                }
            }
            if let Some(kind) = all {
                offer(kind, base(kind).saturating_sub(self.words_penalty));
            }
        }
        if best.is_some() || floor > MatchKind::Fuzzy {
            return best;
        }
        let score = self
            .fuzzy
            .iter()
            .filter_map(|f| f.score(key, bag, starts))
            .max()?;
        Some((MatchKind::Fuzzy, score))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(names: &[&str]) -> PlaceIndex {
        let mut index = PlaceIndex::new();
        for (i, n) in names.iter().enumerate() {
            index.push(n, i as u32);
        }
        index
    }

    /// The name of the best hit.
    fn top<'a>(index: &'a PlaceIndex, query: &str) -> Option<&'a str> {
        index.search(query, 5).first().map(|h| index.name(h.name))
    }

    fn finds(index: &PlaceIndex, query: &str, name: &str) -> bool {
        index
            .search(query, 20)
            .iter()
            .any(|h| index.name(h.name) == name)
    }

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
        "So'x",
        "Jani-Ayil",
        "Chon-Alai",
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
        "Internatsional",
        "Osh",
        "Kyrgyzstan",
        "Tajikistan",
        "Tup",
        "Uzgen",
        "Dzhangail",
    ];

    #[test]
    fn fold_basics() {
        assert_eq!(fold("Vorukh"), "voruh");
        assert_eq!(fold("VORUKH"), "voruh");
        assert_eq!(fold("Ворух"), "voruh");
        assert_eq!(fold("Kok-Tash"), "kok tash");
        assert_eq!(fold("  Kok -- Tash!  "), "kok tash");
        assert_eq!(fold("Qal'acha"), "kalacha");
        assert_eq!(fold("Қалъача"), "kalacha");
        assert_eq!(fold("Калача"), "kalacha");
        assert_eq!(fold("Kalacha"), "kalacha");
        assert_eq!(fold("Худжанд"), "hujand");
        assert_eq!(fold("Хуҷанд"), "hujand");
        assert_eq!(fold("Khujand"), "hujand");
        assert_eq!(fold("Xo‘jand"), "hojand");
        assert_eq!(fold("Лейлек"), "leilek");
        assert_eq!(fold("Leylek"), "leilek");
        assert_eq!(fold("Leilek"), "leilek");
        assert_eq!(fold("Сох"), "soh");
        assert_eq!(fold("So'x"), "soh");
        assert_eq!(fold("Sokh"), "soh");
        assert_eq!(fold("Ош"), "osh");
        assert_eq!(fold("Кыргызстан"), fold("Kyrgyzstan"));
        assert_eq!(fold("Kyrgyzstan"), "kirgizstan");
        assert_eq!(fold("Тоҷикистон"), "tojikiston");
        assert_eq!(fold("Tojikiston"), "tojikiston");
        assert_eq!(fold("Чоң-Алай"), "chong alai");
        assert_eq!(fold("Chong-Alay"), "chong alai");
        assert_eq!(fold("Өзгөн"), "ozgon");
        assert_eq!(fold("Özgön"), "ozgon");
        assert_eq!(fold("Түп"), "tup");
        assert_eq!(fold("Джангаил"), "jangail");
        assert_eq!(fold("Dzhangail"), "jangail");
        assert_eq!(fold("Djangail"), "jangail");
        assert_eq!(fold("Jangail"), "jangail");
        assert_eq!(fold("Jani-Ayil"), "jani ail");
        assert_eq!(fold("Khoja A'lo"), "hoja alo");
        assert_eq!(fold("Hoja Alo"), "hoja alo");
        assert_eq!(fold("Ходжа Аъло"), "hoja alo");
        assert_eq!(fold("Ghafurov"), "gafurov");
        assert_eq!(fold("Ғафуров"), "gafurov");
        assert_eq!(fold("Гафуров"), "gafurov");
        assert_eq!(fold("Lakkon"), "lakon");
        assert_eq!(fold("Somoniyon"), fold("Сомониён"));
        assert_eq!(fold("Internatsional"), fold("Интернационал"));
        assert_eq!(fold("Shakhimardan"), fold("Шахимардан"));
        assert_eq!(fold("Shohimardon"), fold("Шоҳимардон"));
        assert_eq!(fold("Yergai"), fold("Ергай"));
        assert_eq!(fold("Tort-Kocho"), fold("Төрт-Көчө"));
        assert_eq!(fold("Chyr-Dobo"), fold("Чыр-Добо"));
        assert_eq!(fold("Kyzyl-Kiya"), fold("Kizil-Kia"));
        assert_eq!(fold("Şahrisabz"), "shahrisabz");
        assert_eq!(fold("Çorku"), "chorku");
        assert_eq!(fold("Ağdaş"), "agdash");
        assert_eq!(fold("Istiklol"), fold("İstiklol"));
        assert_eq!(fold("Ānzob"), "anzob");
        assert_eq!(fold("Ёшлик"), "ioshlik");
        assert_eq!(fold(""), "");
        assert_eq!(fold(" - ' "), "");
    }

    #[test]
    fn transliterated_queries_find_latin_names() {
        let idx = index(PLACES);
        for (query, name) in [
            ("Ворух", "Vorukh"),
            ("Исфара", "Isfara"),
            ("Худжанд", "Khujand"),
            ("Хуҷанд", "Khujand"),
            ("Баткен", "Batken"),
            ("Лейлек", "Leilek"),
            ("Сох", "So'x"),
            ("Кок-Таш", "Kok-Tash"),
            ("Ош", "Osh"),
            ("Қалъача", "Qal'acha"),
            ("Калача", "Qal'acha"),
            ("Кыргызстан", "Kyrgyzstan"),
            ("Тоҷикистон", "Tajikistan"),
            ("Түп", "Tup"),
            ("Чоң-Алай", "Chon-Alai"),
            ("Джангаил", "Dzhangail"),
            ("Төрт-Көчө", "Tort-Kocho"),
            ("Сомониён", "Somoniyon"),
            ("Гафуров", "Ghafurov"),
        ] {
            assert_eq!(top(&idx, query), Some(name), "{query}");
        }
        // Kyrgyz Өзгөн and Russian Узген are two names, not two spellings.
        assert!(!finds(&idx, "Өзгөн", "Uzgen"));
    }

    #[test]
    fn spelling_variants_find_each_other() {
        let idx = index(PLACES);
        for query in [
            "voruh",
            "VORUKH",
            "Vorukh enclave",
            "vorukh",
            "Voruk",
            "Ворух анклав",
        ] {
            assert_eq!(top(&idx, query), Some("Vorukh"), "{query}");
        }
        for query in ["Qalacha", "Kalacha", "Qal'acha", "Qal’acha"] {
            assert_eq!(top(&idx, query), Some("Qal'acha"), "{query}");
        }
        for query in ["Khoja A'lo", "Khoja Alo", "Hoja Alo", "Xoja A’lo", "hoja"] {
            assert_eq!(top(&idx, query), Some("Khoja A'lo"), "{query}");
        }
        for (query, name) in [
            ("Gafurov", "Ghafurov"),
            ("Leylek", "Leilek"),
            ("Jangail", "Dzhangail"),
            ("Djangail", "Dzhangail"),
            ("Sokh", "So'x"),
            ("Koktash", "Kok-Tash"),
            ("Kok Tash", "Kok-Tash"),
            ("kok tash", "Kok-Tash"),
            ("tash kok", "Kok-Tash"),
            ("Aksay", "Ak-Sai"),
            ("Lakon", "Lakkon"),
            ("Chong-Alay", "Chon-Alai"),
            ("Kum-Mazor", "Kum-Mazar"),
            ("Mazor", "Kum-Mazar"),
            ("Shakhimardan", "Shohimardon"),
            ("Tojikiston", "Tajikistan"),
            ("Kirgizstan", "Kyrgyzstan"),
            ("Ovchi Kalacha", "Ovchi-Kalacha"),
            ("Internacional", "Internatsional"),
            ("Hujand", "Khujand"),
            ("Xujand", "Khujand"),
        ] {
            assert!(finds(&idx, query, name), "{query} -> {name}");
        }
        // Jani-Ayil and Dzhangail are one place in two romanisations: fuzzy both ways.
        assert!(finds(&idx, "Jani-Ayil", "Dzhangail"));
        assert!(finds(&idx, "Джангаил", "Jani-Ayil"));
        assert_eq!(
            idx.search("Kum-Mazor", 5).first().map(|h| h.kind),
            Some(MatchKind::Fuzzy)
        );
    }

    #[test]
    fn alternative_names_of_one_item() {
        let mut idx = PlaceIndex::new();
        idx.push("Shohimardon", 0);
        idx.push("Shakhimardan", 0);
        idx.push("Шахимардан", 0);
        idx.push("Sokh", 1);
        idx.push("So'x", 1);
        idx.push("Сох", 1);
        idx.push("Leilek", 2);
        idx.push("Лейлек", 2);
        for query in ["Shohimardon", "Shakhimardan", "Шоҳимардон", "shahim"] {
            let hits = idx.search(query, 10);
            assert_eq!(hits.len(), 1, "{query}: {hits:?}");
            assert_eq!(hits[0].item, 0);
            assert_eq!(hits[0].kind.max(MatchKind::Prefix), hits[0].kind, "{query}");
        }
        let hits = idx.search("Shakhimardan", 10);
        assert_eq!(hits[0].name, 1);
        assert_eq!(hits[0].kind, MatchKind::Exact);
        let hits = idx.search("so", 10);
        assert_eq!(hits.iter().filter(|h| h.item == 1).count(), 1);
        let hits = idx.search("Лейлек", 10);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].kind, MatchKind::Exact);
        assert_eq!(idx.name(hits[0].name), "Leilek", "ties: push order");
        assert_eq!(idx.len(), 8);
        assert_eq!(idx.item(4), Some(1));
        assert_eq!(idx.name(5), "Сох");
        assert_eq!(idx.name(99), "");
        assert_eq!(idx.key(6), "leilek");
    }

    #[test]
    fn ranking() {
        let idx = index(&[
            "Kara-Bulak Kokdzhar", // word prefix, longer
            "Shakok",              // inside
            "Kokand",              // prefix
            "Tash-Kok",            // word prefix
            "Kok",                 // exact
            "Kak",                 // nothing (3 letters: no fuzzy)
        ]);
        let hits = idx.search("kok", 10);
        let kinds: Vec<_> = hits.iter().map(|h| (idx.name(h.name), h.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("Kok", MatchKind::Exact),
                ("Kokand", MatchKind::Prefix),
                ("Tash-Kok", MatchKind::WordPrefix),
                ("Kara-Bulak Kokdzhar", MatchKind::WordPrefix),
                ("Shakok", MatchKind::Inside),
            ]
        );
        assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));

        let idx = index(&[
            "Isfana",
            "Isfara-Bulak",
            "Kara-Isfara",
            "Isfara",
            "Yukari Isfarak",
        ]);
        let hits = idx.search("Isfara", 10);
        let names: Vec<_> = hits.iter().map(|h| (idx.name(h.name), h.kind)).collect();
        assert_eq!(
            names,
            vec![
                ("Isfara", MatchKind::Exact),
                ("Isfara-Bulak", MatchKind::Prefix),
                ("Kara-Isfara", MatchKind::WordPrefix),
                ("Yukari Isfarak", MatchKind::WordPrefix),
                ("Isfana", MatchKind::Fuzzy),
            ]
        );

        // Ties: shorter first, then push order.
        let idx = index(&["Batken oblast", "Batken-2", "Batkent", "Batken-1"]);
        let names: Vec<_> = idx
            .search("batk", 10)
            .iter()
            .map(|h| idx.name(h.name))
            .collect();
        assert_eq!(names, ["Batken-2", "Batkent", "Batken-1", "Batken oblast"]);

        // The limit counts distinct items.
        let mut idx = PlaceIndex::new();
        for i in 0..50 {
            idx.push(&format!("Ak-Suu {i}"), i / 10);
        }
        let hits = idx.search("ak", 3);
        assert_eq!(hits.iter().map(|h| h.item).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(idx.search("ak", 100).len(), 5);
        assert!(idx.search("ak", 0).is_empty());
    }

    #[test]
    fn multi_word_queries() {
        let idx = index(&[
            "Vorukh",
            "Vorukh enclave",
            "Vorukh Jamoat School",
            "Chorkuh",
        ]);
        let hits = idx.search("vorukh enclave", 10);
        assert_eq!(idx.name(hits[0].name), "Vorukh enclave");
        assert_eq!(hits[0].kind, MatchKind::Exact);
        assert_eq!(idx.name(hits[1].name), "Vorukh");
        assert!(hits[0].score > hits[1].score);
        // Words in any order.
        assert!(finds(&idx, "school vorukh", "Vorukh Jamoat School"));
        // An unknown word must be found.
        assert!(!finds(&idx, "vorukh market", "Vorukh"));
        // A generic word being typed is optional.
        assert!(finds(&idx, "vorukh encl", "Vorukh"));
    }

    #[test]
    fn empty_queries_find_nothing() {
        let idx = index(PLACES);
        for query in ["", " ", "\t\n", "---", "'", "😀", "\u{301}"] {
            assert!(idx.search(query, 10).is_empty(), "{query:?}");
        }
        assert!(PlaceIndex::new().search("vorukh", 10).is_empty());
        assert!(PlaceIndex::new().is_empty());
    }

    /// Myers' distance against the textbook dynamic programme.
    #[test]
    fn bit_parallel_distance_is_edit_distance() {
        fn naive(a: &[u8], b: &[u8]) -> Vec<usize> {
            // Last row: distance of `a` to every prefix of `b`.
            let mut row: Vec<usize> = (0..=b.len()).collect();
            for (i, &ca) in a.iter().enumerate() {
                let mut next = vec![i + 1; b.len() + 1];
                for (j, &cb) in b.iter().enumerate() {
                    next[j + 1] = (row[j] + usize::from(ca != cb))
                        .min(row[j + 1] + 1)
                        .min(next[j] + 1);
                }
                row = next;
            }
            row
        }
        let mut seed = 1u64;
        let mut rnd = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for _ in 0..5000 {
            let m = 4 + rnd(20) as usize;
            let n = rnd(30) as usize;
            let a: Vec<u8> = (0..m).map(|_| b'a' + rnd(4) as u8).collect();
            let b: Vec<u8> = (0..n).map(|_| b'a' + rnd(4) as u8).collect();
            let f = Fuzzy::new(&a, 0).unwrap();
            let row = naive(&a, &b);
            let whole = row[n];
            let best = *row.iter().min().unwrap();
            let max = f.max as usize;
            let expect =
                (best <= max).then_some(((whole <= max).then_some(whole as u32), best as u32));
            assert_eq!(f.distance(&b), expect, "{:?} {:?}", a, b);
        }
    }

    #[test]
    fn no_panic_on_hostile_input() {
        let mut seed = 7u64;
        let mut rnd = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut idx = index(PLACES);
        let pools: [&[u32]; 5] = [
            &[0x20, 0x7e],
            &[0x0400, 0x04ff],
            &[0x0300, 0x036f],
            &[0x0590, 0x06ff],
            &[0x1f300, 0x1faff],
        ];
        let mut strings = Vec::new();
        for _ in 0..2000 {
            let len = rnd(30) as usize;
            let s: String = (0..len)
                .filter_map(|_| {
                    if rnd(3) == 0 {
                        return char::from_u32(rnd(0x11_0000) as u32);
                    }
                    let pool = pools[rnd(pools.len() as u64) as usize];
                    char::from_u32(pool[0] + rnd(u64::from(pool[1] - pool[0] + 1)) as u32)
                })
                .collect();
            strings.push(s);
        }
        strings.push("\u{202E}ворух\u{202C} مرحبا שלום".into());
        strings.push("e\u{301}\u{302}\u{303}\u{304}".repeat(1000));
        strings.push("👨‍👩‍👧‍👦🇰🇬🇹🇯".repeat(100));
        strings.push("ş".repeat(40));
        strings.push("İ".repeat(70));
        strings.push("\u{10410}\u{10410}".into());
        strings.push("Kok-Tash ".repeat(12_000));
        strings.push("а".repeat(100_000));
        for (i, s) in strings.iter().enumerate() {
            let _ = fold(s);
            idx.push(s, 1000 + i as u32);
        }
        for s in &strings {
            for limit in [1, 10] {
                let hits = idx.search(s, limit);
                assert!(hits.len() <= limit);
            }
        }
        for query in ["vorukh", "a", "kok tash", "isfara", "x", "аааааааааа"] {
            let _ = idx.search(query, 20);
            let all = idx.search(query, usize::MAX);
            let mut items: Vec<u32> = all.iter().map(|h| h.item).collect();
            items.sort_unstable();
            items.dedup();
            assert_eq!(items.len(), all.len(), "{query}: distinct items");
        }
        // Every name and key stays retrievable.
        for i in 0..idx.len() as u32 {
            let _ = idx.name(i);
            let _ = idx.key(i);
        }
        let at = strings
            .iter()
            .position(|s| s == "\u{10410}\u{10410}")
            .unwrap();
        assert_eq!(idx.name((PLACES.len() + at) as u32), "\u{10410}\u{10410}");
        assert_eq!(idx.key((PLACES.len() + at) as u32), "\u{10438}");
    }
}
