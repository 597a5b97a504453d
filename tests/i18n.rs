//! The interface in Russian: the window switched with its language picker shows its Russian
//! labels and no English label of the catalogue is left anywhere in it; the legend an
//! export draws is in Russian; `--lang ru` changes the export's furniture and nothing else.

use std::collections::BTreeMap;
use std::process::{Command, Output};

use bordermap::app::App;
use bordermap::i18n::{Lang, text_in};
use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};

fn harness() -> Harness<'static, App> {
    Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .with_pixels_per_point(1.0)
        .with_theme(egui::Theme::Light)
        .build_ui_state(|ui, app: &mut App| app.frame(ui), App::new(None))
}

/// Every message without arguments whose English differs from its Russian: id → English.
fn english_only() -> BTreeMap<String, String> {
    let source = include_str!("../assets/i18n/en.ftl");
    let mut out = BTreeMap::new();
    for line in source.lines() {
        let Some((id, value)) = line.split_once(" = ") else {
            continue;
        };
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            || value.contains('{')
        {
            continue;
        }
        let en = text_in(Lang::En, id, None);
        if en != text_in(Lang::Ru, id, None) {
            out.insert(id.to_string(), en);
        }
    }
    out
}

/// Every label in the window's accessibility tree.
fn labels(h: &Harness<'static, App>) -> Vec<String> {
    h.query_all(By::new())
        .filter_map(|n| n.accesskit_node().label())
        .collect()
}

#[test]
fn the_window_in_russian_has_no_english_label_left() {
    let english = english_only();
    assert!(english.len() > 40, "{} messages", english.len());
    let mut h = harness();
    h.run_steps(4);
    h.get_by_label("Export… (Ctrl+E)");
    h.get_by_label("Legend");
    // The picker: "Language", then "Русский".
    h.get_by_label("Language").click();
    h.run_steps(2);
    h.get_by_label("Русский").click_accesskit();
    h.run_steps(4);
    for label in [
        "Экспорт… (Ctrl+E)",
        "Открыть… (Ctrl+O)",
        "Подложка",
        "Язык",
        "Легенда",
        "Анклав",
        "Район конфликта",
        "Киргизско-таджикская граница",
    ] {
        h.get_by_label(label);
    }
    let all = labels(&h);
    let left: Vec<&String> = all
        .iter()
        .filter(|l| english.values().any(|e| e == *l))
        .collect();
    assert!(left.is_empty(), "English labels left in Russian: {left:?}");
    // The choice is kept with the session.
    assert_eq!(h.state().session().lang.as_deref(), Some("ru"));
    // And back to English.
    h.get_by_label("Язык").click();
    h.run_steps(2);
    h.get_by_label("English").click_accesskit();
    h.run_steps(4);
    h.get_by_label("Export… (Ctrl+E)");
    assert!(h.query_by_label("Легенда").is_none());
}

#[test]
fn a_session_in_russian_opens_in_russian() {
    let dir = std::env::temp_dir().join(format!("bordermap-i18n-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("session.json");
    std::fs::write(&path, r#"{"lang": "ru"}"#).unwrap();
    let store = bordermap::session::SessionStore::at(&path);
    let mut h = Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut App| app.frame(ui), App::new(Some(store)));
    h.run_steps(4);
    h.get_by_label("Легенда");
    h.get_by_label("Экспорт… (Ctrl+E)");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The legend as an export draws it (not interactive: no buttons), in Russian.
#[test]
fn the_exported_legend_is_in_russian() {
    let mut h = Harness::builder()
        .with_size(vec2(300.0, 500.0))
        .build_ui(|ui| {
            bordermap::i18n::set_lang(Lang::Ru);
            bordermap::map::furniture::legend_ui(ui, false, &[], true);
        });
    h.run_steps(2);
    for label in [
        "Легенда",
        "Киргизско-таджикская граница",
        "Другие границы",
        "Анклав",
        "Зона эвакуации (приблизительно)",
        "Местоположение оценочное",
        "Область точности места",
    ] {
        h.get_by_label(label);
    }
    assert!(h.query_by_label("Legend").is_none());
    assert!(h.query_by_label("Enclave").is_none());
}

fn export(lang: &str, out: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bordermap"))
        .args([
            "export",
            "--lang",
            lang,
            "--size",
            "800x600",
            "--at",
            "2022-09-16T12:00:00+06:00",
            "--out",
        ])
        .arg(out)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run bordermap export")
}

/// `--lang ru` changes the furniture's words (legend at the top left, time at the top right,
/// scale and attribution at the bottom) and not one pixel of the map between them.
#[test]
fn export_lang_changes_only_the_furniture() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("i18n-export");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (en, ru) = (dir.join("en.png"), dir.join("ru.png"));
    for (lang, path) in [("en", &en), ("ru", &ru)] {
        let out = export(lang, path);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let a = image::open(&en).unwrap().to_rgba8();
    let b = image::open(&ru).unwrap().to_rgba8();
    assert_eq!(a.dimensions(), b.dimensions());
    let (w, h) = a.dimensions();
    let differs = |x0: u32, y0: u32, x1: u32, y1: u32| {
        (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .filter(|&(x, y)| a.get_pixel(x, y) != b.get_pixel(x, y))
            .count()
    };
    // The legend (top left) and the time label (top right) are in other words.
    assert!(differs(0, 0, 260, 300) > 200, "legend unchanged");
    assert!(differs(w - 300, 0, w, 50) > 50, "time label unchanged");
    // The middle of the map is the same map.
    assert_eq!(
        differs(280, 120, w - 20, h - 80),
        0,
        "the map itself changed"
    );
    let bad = export("xx", &dir.join("xx.png"));
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--lang"));
}
