//! The windows over the map (Open, Problems, Measure, Go to, Search, Views, the claims chart,
//! Animation, Export), the compare bar and the app's notices in Russian: each shows its
//! Russian labels and none of its English ones. The same harness as `tests/ui.rs`.

use bordermap::app::App;
use bordermap::command::{Command, CompareCommand, ViewCommand, Window};
use bordermap::i18n::Lang;
use bordermap::instruments::measure::{MeasureCommand, Tool};
use egui::accesskit::Role;
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
    h.run_steps(3);
}

/// Every label and value of the tree, or of one window (its title included).
fn texts(h: &Harness<'static, App>, window: Option<&str>) -> Vec<String> {
    let root = match window {
        Some(title) => h
            .query_by_role_and_label(Role::Window, title)
            .unwrap_or_else(|| panic!("no window {title:?}; the tree has {:?}", texts(h, None))),
        None => h.root(),
    };
    std::iter::once(root)
        .chain(root.children_recursive())
        .flat_map(|n| {
            let node = n.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .filter(|t| !t.is_empty())
        .collect()
}

/// The window (or the whole tree) shows every `russian` label, and no label is one of
/// `english` or holds one of `english_parts`.
#[track_caller]
fn check(
    h: &Harness<'static, App>,
    window: Option<&str>,
    russian: &[&str],
    english: &[&str],
    english_parts: &[&str],
) {
    let found = texts(h, window);
    let missing: Vec<&&str> = russian
        .iter()
        .filter(|r| !found.iter().any(|f| f == **r || f.contains(**r)))
        .collect();
    assert!(
        missing.is_empty(),
        "{window:?}: no {missing:?} among {found:#?}"
    );
    let left: Vec<&String> = found
        .iter()
        .filter(|f| english.contains(&f.as_str()) || english_parts.iter().any(|p| f.contains(p)))
        .collect();
    assert!(left.is_empty(), "{window:?}: English left: {left:?}");
}

/// Steps until `done` (at most a few seconds: the place names are read on a thread).
fn step_until(h: &mut Harness<'static, App>, done: impl Fn(&Harness<'static, App>) -> bool) {
    for _ in 0..600 {
        h.step();
        if done(h) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run_steps(2);
}

#[test]
fn the_windows_the_compare_bar_and_the_notices_speak_russian() {
    let mut h = harness();
    h.run_steps(3);
    command(&mut h, Command::SetLanguage(Lang::Ru));

    // Open.
    command(&mut h, Command::Toggle(Window::Open));
    check(
        &h,
        Some("Открыть слои"),
        &["Открыть", "Обзор…", "Путь к файлу GeoJSON"],
        &["Open layers", "Open", "Browse…"],
        &["Path of a GeoJSON", "drop files"],
    );
    command(&mut h, Command::Toggle(Window::Open));

    // Problems.
    command(&mut h, Command::Toggle(Window::Problems));
    let none = h.state().problems().is_empty();
    check(
        &h,
        Some("Проблемы"),
        &[if none {
            "Проблем нет."
        } else {
            "Очистить"
        }],
        &["Problems", "No problems.", "Clear"],
        &[],
    );
    command(&mut h, Command::Toggle(Window::Problems));

    // Measure: a shape kept, a path being clicked, then the range rings.
    command(&mut h, Command::Toggle(Window::Measure));
    for at in [[70.5, 40.0], [70.6, 40.0], [70.6, 40.1]] {
        command(&mut h, Command::Measure(MeasureCommand::Click(at)));
    }
    command(
        &mut h,
        Command::Measure(MeasureCommand::Finish { closed: true }),
    );
    for at in [[70.5, 40.0], [70.7, 40.05], [70.75, 40.2]] {
        command(&mut h, Command::Measure(MeasureCommand::Click(at)));
    }
    let measure_en = [
        "Measure",
        "Distance / area",
        "Range rings",
        "Keep path",
        "Close shape",
        "Undo point",
        "Remove all",
        "Save as GeoJSON",
        "shown (and exported)",
        "Radii",
        "km",
        "Click on the map to put rings there.",
        "Pick a tool, then click on the map.",
    ];
    let measure_parts = [
        "Leg ",
        "Total:",
        "Closed:",
        "perimeter",
        " km",
        " m²",
        "Shape:",
        "Path:",
        "Rings:",
        "Measurements",
        "Click points",
    ];
    check(
        &h,
        Some("Измерения"),
        &[
            "Расстояние / площадь",
            "Кольца дальности",
            "Отрезок 1",
            "Отрезок 2",
            "Всего: ",
            "Замкнутый контур: площадь ",
            "Сохранить линию",
            "Замкнуть контур",
            "Отменить точку",
            "Измерения (1)",
            "показывать (и экспортировать)",
            "Контур: ",
            " км",
            "Удалить все",
            "Сохранить в GeoJSON",
        ],
        &measure_en,
        &measure_parts,
    );
    command(
        &mut h,
        Command::Measure(MeasureCommand::Use(Some(Tool::Rings))),
    );
    check(
        &h,
        Some("Измерения"),
        &[
            "Радиусы",
            "км",
            "Щёлкните по карте, чтобы поставить туда кольца.",
        ],
        &measure_en,
        &measure_parts,
    );
    let saved = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ru-measure.geojson");
    command(&mut h, Command::SaveMeasurements(saved.clone()));
    command(&mut h, Command::Toggle(Window::Measure));
    check(
        &h,
        None,
        &[&format!("записан файл {}", saved.display())],
        &[],
        &["wrote "],
    );

    // Search: the names read, then counted.
    command(&mut h, Command::Toggle(Window::Search));
    step_until(&mut h, |h| {
        texts(h, Some("Поиск мест"))
            .iter()
            .any(|t| t.ends_with("названий") || t.ends_with("названия"))
    });
    check(
        &h,
        Some("Поиск мест"),
        &["назван"],
        &[
            "Search places",
            "Reading the names…",
            "No place by that name.",
        ],
        &[" names", "Adding the names"],
    );
    command(&mut h, Command::Toggle(Window::Search));

    // Go to: a name no place has.
    command(&mut h, Command::Toggle(Window::GoTo));
    let window = h.get_by_role_and_label(Role::Window, "Перейти");
    let field = window
        .children_recursive()
        .find(|n| n.accesskit_node().role() == Role::TextInput)
        .expect("the Go to box");
    field.focus();
    field.type_text("Qqzzxxyy");
    h.run_steps(2);
    let window = h.get_by_role_and_label(Role::Window, "Перейти");
    window
        .children_recursive()
        .find(|n| {
            let node = n.accesskit_node();
            node.role() == Role::Button && node.label().as_deref() == Some("Перейти")
        })
        .expect("the Go button")
        .click();
    h.run_steps(3);
    check(
        &h,
        Some("Перейти"),
        &[
            "Координаты (десятичные, ГМС или MGRS) или название места",
            "Ожидаются координаты",
        ],
        &["Go to", "Go"],
        &["Expected coordinates", "still being read"],
    );
    command(&mut h, Command::Toggle(Window::GoTo));

    // Views: one saved (its made-up name and the notice in Russian).
    command(&mut h, Command::View(ViewCommand::Save(String::new())));
    command(&mut h, Command::Toggle(Window::Views));
    check(
        &h,
        Some("Виды"),
        &[
            "Вид 1",
            "Сохранить текущий вид",
            "Место, масштаб, время, режим, часовой пояс, подложка, слои и выделение",
            "Импорт",
            "Экспорт",
            "Переименовать",
            "Вниз",
            "Вверх",
        ],
        &[
            "Views",
            "View 1",
            "Save current view",
            "No saved views yet.",
            "Import",
            "Export",
            "Rename",
            "Down",
            "Up",
        ],
        &["Place, zoom"],
    );
    check(
        &h,
        None,
        &["вид «Вид 1» сохранён (клавиша 1)"],
        &[],
        &["saved view"],
    );
    command(&mut h, Command::Toggle(Window::Views));

    // The claims chart.
    command(&mut h, Command::Toggle(Window::Chart));
    check(
        &h,
        Some("Заявления во времени"),
        &[
            "Погибшие",
            "Раненые",
            "Эвакуированные",
            "Перемещённые",
            "График",
            "График в файл",
            "Сохранить PNG",
            "Заявленные погибшие по дате заявления, по заявителям",
            "погибших (KG), заявлено 2022-09-18",
            "закрашенный: число как заявлено",
            "Источники: ",
        ],
        &[
            "Claims over time",
            "Killed",
            "Injured",
            "Evacuated",
            "Displaced",
            "Claims",
            "Chart of",
            "Chart to",
            "Save PNG",
            "Kyrgyz side",
            "Tajik side",
            "selected event",
        ],
        &[
            ", reported 20",
            "by date of claim",
            "Sources:",
            "filled:",
            "passes the filter",
            "cursor ",
        ],
    );
    command(&mut h, Command::Toggle(Window::Chart));

    // Animation: a first moment that is no time says so in Russian (and writes nothing).
    command(&mut h, Command::Toggle(Window::Animation));
    let from = h.get_by_role_and_label(Role::TextInput, "С");
    from.focus();
    from.type_text("zz");
    h.run_steps(2);
    h.get_by_label("Записать MP4").click();
    h.run_steps(3);
    assert!(h.state().animating().is_none(), "no video started");
    check(
        &h,
        Some("Анимация"),
        &[
            "Видео в файл",
            "С",
            "По",
            "Заголовок",
            "Секунд",
            "Кадров в секунду",
            "Размер",
            "Записать MP4",
            "H.264 в MP4; время плавно идёт",
            "С: ",
        ],
        &[
            "Animation",
            "Video to",
            "From",
            "To",
            "Title",
            "Seconds",
            "Frames per second",
            "Size",
            "Write MP4",
            "Cancel",
        ],
        &[
            "H.264 in an MP4",
            "From: ",
            "To: ",
            "give the file",
            "frames",
        ],
    );
    command(&mut h, Command::Toggle(Window::Animation));

    // Export, with a size of its own.
    command(&mut h, Command::Toggle(Window::Export));
    h.get_by_label("Другой").click();
    h.run_steps(3);
    check(
        &h,
        Some("Экспорт карты"),
        &[
            "Файл",
            "Обзор…",
            "Размер",
            "Другой",
            "Пиксели",
            "Заголовок",
            "Также записать рядом файл вида (.view.json)",
            "Экспорт",
        ],
        &[
            "Export map",
            "File",
            "Browse…",
            "Size",
            "Custom",
            "Pixels",
            "Title",
            "Export",
            "Replace the existing file",
            "Exporting…",
        ],
        &["Also write the view file", " px"],
    );
    command(&mut h, Command::Toggle(Window::Export));

    // The compare bar.
    command(&mut h, Command::Compare(CompareCommand::Toggle));
    check(
        &h,
        None,
        &[
            "Сравнение",
            "A: ",
            "B: ",
            "B на",
            "Задать B",
            "Рядом",
            "Шторка",
            "Поменять A и B",
            "Закрыть сравнение",
        ],
        &[
            "Compare",
            "B at",
            "Set B",
            "Side by side",
            "Swipe",
            "Swap A and B",
            "Close compare",
        ],
        &[],
    );
    command(&mut h, Command::Compare(CompareCommand::Toggle));

    // A notice of the app's own.
    command(&mut h, Command::Copy("70.82,40.06".into()));
    check(&h, None, &["скопировано: 70.82,40.06"], &[], &["copied "]);
}
