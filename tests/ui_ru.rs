//! The window in Russian, driven headless through egui_kittest like `tests/ui.rs`: the events
//! list, the layers, the filter bar, the inspector and the timeline show their Russian labels
//! and no English label of theirs is left.

use bordermap::app::App;
use bordermap::command::Command;
use bordermap::i18n::{Lang, text_in};
use bordermap::model::filter::Filter;
use bordermap::time::{FeatureRef, TimeCommand, TimeMode};
use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

fn harness() -> Harness<'static, App> {
    Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .with_pixels_per_point(1.0)
        .with_theme(egui::Theme::Light)
        .build_ui_state(|ui, app: &mut App| app.frame(ui), App::new(None))
}

fn command(h: &mut Harness<'static, App>, c: Command) {
    h.state_mut().push(c);
    h.state_mut().apply();
    h.run_steps(2);
}

/// The sections of the message files this test covers (the panels of l10n-a).
const SECTIONS: [&str; 5] = [
    "## Events panel",
    "## Layers panel",
    "## Filters",
    "## Inspector",
    "## Timeline",
];

/// The ids and English patterns of the messages of [`SECTIONS`], and the general messages
/// those panels use.
fn english_messages() -> Vec<(String, String)> {
    let source = include_str!("../assets/i18n/en.ftl");
    let mut out = vec![
        ("cancel".to_string(), "Cancel".to_string()),
        ("close".to_string(), "Close".to_string()),
        ("save".to_string(), "Save".to_string()),
    ];
    let mut inside = false;
    for line in source.lines() {
        if line.starts_with("## ") {
            inside = SECTIONS.iter().any(|s| line.starts_with(s));
            continue;
        }
        if !inside {
            continue;
        }
        if let Some((id, value)) = line.split_once(" = ")
            && !id.starts_with(' ')
            && !id.is_empty()
        {
            out.push((id.to_string(), value.to_string()));
        }
    }
    assert!(out.len() > 100, "{} messages", out.len());
    out
}

/// Every text of the accesskit tree: labels, values, descriptions and placeholders.
fn texts(h: &Harness<'static, App>) -> Vec<String> {
    let root = h.root();
    std::iter::once(root.accesskit_node())
        .chain(root.children_recursive().map(|n| n.accesskit_node()))
        .flat_map(|n| {
            [
                n.label(),
                n.value(),
                n.description(),
                n.placeholder().map(str::to_string),
            ]
        })
        .flatten()
        .filter(|t| !t.is_empty())
        .collect()
}

/// English text of the covered panels still shown: a message shown whole, or (for messages
/// with arguments) a long literal piece of one. Claims, figures and kinds are checked whole
/// only, as event titles and summaries (data, in English) may hold such words.
fn english_left(shown: &[String]) -> Vec<String> {
    let mut left = Vec::new();
    for (id, pattern) in english_messages() {
        let ru = text_in(Lang::Ru, &id, None);
        if id.starts_with("events-kind-") {
            // The kinds as the list's chips ("× Clash") and the inspector's badge (" Clash ")
            // show them; the map's legend (not these panels) says them bare.
            let chip_or_badge = |t: &String| {
                t.trim() != t.as_str() && t.trim() == pattern
                    || t.split_once(' ').is_some_and(|(symbol, rest)| {
                        symbol.chars().count() <= 2 && rest == pattern
                    })
            };
            if let Some(t) = shown.iter().find(|t| chip_or_badge(t)) {
                left.push(format!("{id}: {t:?}"));
            }
            continue;
        }
        if !pattern.contains('{') {
            if ru != pattern && shown.contains(&pattern) {
                left.push(format!("{id}: {pattern:?}"));
            }
            continue;
        }
        if id.starts_with("events-") {
            continue;
        }
        // The literal pieces between arguments.
        let pieces = pattern
            .split('{')
            .map(|p| p.rsplit('}').next().unwrap_or(p).trim())
            .filter(|p| p.len() >= 10 && !p.starts_with("prop:"));
        for piece in pieces {
            if let Some(t) = shown.iter().find(|t| t.contains(piece)) {
                left.push(format!("{id}: {piece:?} in {t:?}"));
            }
        }
    }
    left
}

#[test]
fn the_events_layers_filters_inspector_and_timeline_speak_russian() {
    let mut h = harness();
    command(&mut h, Command::SetLanguage(Lang::Ru));
    // Every panel shown: a window mode, a filter, an event with claims selected, a layer's
    // details open, a time typed that cannot be read.
    command(
        &mut h,
        Command::Time(TimeCommand::SetMode(TimeMode::Window {
            width_secs: 86_400,
        })),
    );
    let mut filter = Filter::default();
    filter.add("kind=clash").expect("a filter");
    command(&mut h, Command::SetFilter(filter));
    let r = {
        let ds = h.state().dataset();
        let e = ds
            .events
            .iter()
            .max_by_key(|e| ds.record(e).map_or(0, |r| r.claims.len() + r.sources.len()))
            .expect("an event");
        FeatureRef {
            layer: e.layer,
            feature: e.feature,
        }
    };
    command(&mut h, Command::Select(Some(r)));
    h.get_all_by_label("подробности")
        .next()
        .expect("a layer's details")
        .click();
    h.run_steps(3);
    let jump = h
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| n.accesskit_node().placeholder() == Some("Перейти к: 2022-09-16 18:00"))
        .expect("the jump box");
    jump.focus();
    jump.type_text("вчера");
    h.run_steps(2);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);

    let shown = texts(&h);
    for label in [
        // Layers.
        "Слои",
        "непрозрачность",
        "толщина линии",
        "размер точки",
        // Filters.
        "Фильтр",
        "Сбросить фильтры",
        "kind=clash ×",
        // Events.
        "События",
        "Следовать за курсором при воспроизведении",
        "Поиск по названию, месту, заявлениям (Ctrl+F)",
        // Inspector.
        "Подробности",
        "Закрыть",
        "Приблизить",
        "Когда:",
        "Кто заявляет",
        "Погибшие",
        "Раненые",
        "Эвакуированные",
        "Источник",
        // Timeline.
        "Шкала времени",
        "Скорость",
        "Повтор",
        "Режим",
        "Окно: 1 день",
        "Часовой пояс",
        "Показать всё",
    ] {
        assert!(
            shown.iter().any(|t| t == label),
            "no {label:?} among {shown:#?}"
        );
    }
    for start in [
        "не удаётся прочитать «вчера» как время", // the jump box's error
        "Столкновение",                           // a kind chip
    ] {
        assert!(
            shown.iter().any(|t| t.contains(start)),
            "no {start:?} among {shown:#?}"
        );
    }
    assert!(
        shown.iter().any(|t| t.contains(", с датой: ")),
        "a layer's counts in Russian: {shown:#?}"
    );
    let left = english_left(&shown);
    assert!(left.is_empty(), "English left: {left:#?}");

    // A hover text too.
    h.ctx
        .global_style_mut(|style| style.interaction.tooltip_delay = 0.0);
    h.get_by_label("Показать всё").hover();
    h.run_steps(4);
    let shown = texts(&h);
    assert!(
        shown.iter().any(|t| t == "Показать все данные"),
        "no tooltip among {shown:#?}"
    );
    let left = english_left(&texts(&h));
    assert!(left.is_empty(), "English left: {left:#?}");
}
