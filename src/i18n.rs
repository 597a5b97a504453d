//! The interface's language: every label of the window and of the exported furniture is a
//! message of a Fluent file, `assets/i18n/<code>.ftl`, one file per language (English and
//! Russian; Kyrgyz or Tajik would be one more file and one more [`Lang`]). Russian plurals
//! ("1 событие", "3 события", "5 событий") come from Fluent's plural rules.
//!
//! The language is per thread: the window's thread (and each test's) sets its own, and a
//! worker thread the window starts (an export, a video) is given the window's language. A
//! new thread starts in [`default_lang`], which `main` sets from `--lang`, the session or the
//! system locale. No egui here: the model's and the exports' text use it too.
//!
//! Event titles and summaries are data, not interface: they stay in the language of the
//! data (the bundled events are in English).

use std::cell::Cell;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

pub use fluent_bundle::FluentArgs;
use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (the default, and the fallback for any message missing elsewhere).
    #[default]
    En,
    /// Russian.
    Ru,
}

impl Lang {
    /// Every language, in the picker's order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// Its code, as `--lang` and the session take it.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ru => "ru",
        }
    }

    /// Its own name, as the picker shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Ru => "Русский",
        }
    }

    /// The language of a code or locale (`ru`, `ru-RU`, `ru_RU.UTF-8`, `en-GB`), if known.
    pub fn parse(text: &str) -> Option<Self> {
        let code = text
            .trim()
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language the system's locale asks for, English when it names none we have.
    pub fn from_system() -> Self {
        sys_locale::get_locales()
            .find_map(|l| Self::parse(&l))
            .unwrap_or_default()
    }

    /// Its Fluent file.
    fn source(self) -> &'static str {
        match self {
            Self::En => include_str!("../assets/i18n/en.ftl"),
            Self::Ru => include_str!("../assets/i18n/ru.ftl"),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

static DEFAULT: AtomicU8 = AtomicU8::new(0);

thread_local! {
    static CURRENT: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// The language new threads start in.
pub fn default_lang() -> Lang {
    Lang::ALL[usize::from(DEFAULT.load(Ordering::Relaxed)).min(Lang::ALL.len() - 1)]
}

/// Sets the language new threads start in (and this thread's).
pub fn set_default_lang(lang: Lang) {
    DEFAULT.store(lang.index() as u8, Ordering::Relaxed);
    set_lang(lang);
}

/// This thread's language.
pub fn lang() -> Lang {
    CURRENT.with(|c| c.get()).unwrap_or_else(default_lang)
}

/// Sets this thread's language.
pub fn set_lang(lang: Lang) {
    CURRENT.with(|c| c.set(Some(lang)));
}

type Bundle = FluentBundle<FluentResource>;

/// The bundles, one per language, parsed once.
fn bundles() -> &'static [Bundle] {
    static BUNDLES: OnceLock<Vec<Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        Lang::ALL
            .iter()
            .map(|&lang| {
                let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
                let mut bundle = Bundle::new_concurrent(vec![id]);
                // No Unicode isolation marks around arguments: egui draws them as boxes.
                bundle.set_use_isolating(false);
                let resource = match FluentResource::try_new(lang.source().to_string()) {
                    Ok(r) => r,
                    Err((r, errors)) => {
                        log::error!("{}.ftl: {errors:?}", lang.code());
                        r
                    }
                };
                if let Err(errors) = bundle.add_resource(resource) {
                    log::error!("{}.ftl: {errors:?}", lang.code());
                }
                bundle
            })
            .collect()
    })
}

/// The message `id` in `lang`, with `args`; English when `lang` lacks it, the id itself when
/// no language has it (a test keeps every id used in the code in every file).
pub fn text_in(lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
    let bundles = bundles();
    for l in [lang, Lang::En] {
        let bundle = &bundles[l.index()];
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, args, &mut errors);
            if !errors.is_empty() {
                log::warn!("message {id} in {}: {errors:?}", l.code());
            }
            return text.into_owned();
        }
    }
    log::warn!("no message {id}");
    id.to_string()
}

/// The message `id` in this thread's language.
pub fn text(id: &str, args: Option<&FluentArgs>) -> String {
    text_in(lang(), id, args)
}

/// A message of the interface in the current language: `tr!("top-open")`, or with
/// arguments `tr!("problems-count", n = 3)`.
#[macro_export]
macro_rules! tr {
    ($id:literal) => {
        $crate::i18n::text($id, None)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::FluentArgs::new();
        $( args.set(stringify!($name), $value); )+
        $crate::i18n::text($id, Some(&args))
    }};
}

/// A month's name as a date says it ("18 September 2022" / "18 сентября 2022"), `month`
/// 1..=12.
pub fn month_in_date(month: i8) -> String {
    const IDS: [&str; 12] = [
        "month-1", "month-2", "month-3", "month-4", "month-5", "month-6", "month-7", "month-8",
        "month-9", "month-10", "month-11", "month-12",
    ];
    let i = usize::try_from(month.clamp(1, 12) - 1).unwrap_or(0);
    text(IDS[i], None)
}

/// A date in words in the current language: "18 September 2022", "18 сентября 2022 г.".
pub fn long_date(date: jiff::civil::Date) -> String {
    let mut args = FluentArgs::new();
    args.set("day", date.day());
    args.set("month", month_in_date(date.month()));
    args.set("year", date.year().to_string());
    text("date-long", Some(&args))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(lang: Lang) -> BTreeSet<String> {
        let resource = FluentResource::try_new(lang.source().to_string())
            .unwrap_or_else(|(_, e)| panic!("{}.ftl does not parse: {e:?}", lang.code()));
        resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_language_has_every_message() {
        let en = ids(Lang::En);
        assert!(en.len() > 20);
        for lang in Lang::ALL {
            let have = ids(lang);
            let missing: Vec<_> = en.difference(&have).collect();
            let extra: Vec<_> = have.difference(&en).collect();
            assert!(missing.is_empty(), "{}.ftl lacks {missing:?}", lang.code());
            assert!(
                extra.is_empty(),
                "{}.ftl has unknown {extra:?}",
                lang.code()
            );
        }
    }

    /// Every `tr!("id"...)` and `text("id"...)` of the code is a message of every file.
    #[test]
    fn every_id_in_the_code_is_a_message() {
        let en = ids(Lang::En);
        let mut unknown = Vec::new();
        let mut used = 0;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Ok(source) = std::fs::read_to_string(&path) else {
                    continue;
                };
                for (i, _) in source.match_indices("tr!(\"") {
                    // Not `include_str!("…")`, not a doc comment's example.
                    let before = source[..i].chars().next_back().unwrap_or(' ');
                    let line = source[..i].rsplit('\n').next().unwrap_or("");
                    if before.is_alphanumeric() || before == '_' || line.trim().starts_with("//") {
                        continue;
                    }
                    let rest = &source[i + 5..];
                    let id = &rest[..rest.find('"').unwrap_or(0)];
                    used += 1;
                    if !en.contains(id) {
                        unknown.push(format!("{}: {id}", path.display()));
                    }
                }
            }
        }
        assert!(used > 0);
        assert!(unknown.is_empty(), "ids with no message: {unknown:?}");
    }

    #[test]
    fn russian_plurals_and_months() {
        let n = |lang, n: usize| {
            let mut args = FluentArgs::new();
            args.set("n", n);
            text_in(lang, "events-count", Some(&args))
        };
        assert_eq!(n(Lang::En, 1), "1 event");
        assert_eq!(n(Lang::En, 5), "5 events");
        assert_eq!(n(Lang::Ru, 1), "1 событие");
        assert_eq!(n(Lang::Ru, 3), "3 события");
        assert_eq!(n(Lang::Ru, 5), "5 событий");
        assert_eq!(n(Lang::Ru, 21), "21 событие");
        let date = jiff::civil::date(2022, 9, 18);
        set_lang(Lang::Ru);
        assert_eq!(long_date(date), "18 сентября 2022");
        set_lang(Lang::En);
        assert_eq!(long_date(date), "18 September 2022");
    }

    #[test]
    fn codes_and_locales() {
        assert_eq!(Lang::parse("ru_RU.UTF-8"), Some(Lang::Ru));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("RU"), Some(Lang::Ru));
        assert_eq!(Lang::parse("ky"), None);
        assert_eq!(
            text_in(Lang::Ru, "no-such-message", None),
            "no-such-message"
        );
    }
}
