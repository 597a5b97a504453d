# Интерфейс bordermap на русском: по сообщению на каждую надпись, с теми же идентификаторами
# и в том же порядке, что и в en.ftl.

## General

app-tagline = Киргизско-таджикская граница: события 2021–2025
language = Язык
language-tip = Язык интерфейса (названия событий остаются на языке данных)
events-count = { $n ->
    [one] { $n } событие
    [few] { $n } события
   *[many] { $n } событий
}
features-count = { $n ->
    [one] { $n } объект
    [few] { $n } объекта
   *[many] { $n } объектов
}
close = Закрыть
cancel = Отмена
ok = ОК
apply = Применить
save = Сохранить
delete = Удалить
yes = Да
no = Нет
none = нет

## Dates

date-long = { $day } { $month } { $year }
month-1 = января
month-2 = февраля
month-3 = марта
month-4 = апреля
month-5 = мая
month-6 = июня
month-7 = июля
month-8 = августа
month-9 = сентября
month-10 = октября
month-11 = ноября
month-12 = декабря

## Top bar (src/ui/top_bar.rs)

top-export = Экспорт… (Ctrl+E)
top-problems = Проблемы ({ $n })
top-compare = Сравнить
top-compare-tip = Два момента рядом, одна камера: A (шкала времени) и B
top-animation = Анимация…
top-animation-tip = Видео MP4 карты с идущим временем, для брифингов
top-chart = График заявлений
top-chart-tip = Заявленные каждой стороной погибшие, раненые и эвакуированные по дате заявления
top-views = Виды
top-views-tip = Сохранённые виды: место, время и слои (клавиши 1–9)
top-search = Поиск
top-search-tip = Найти место латиницей или кириллицей (Ctrl+K)
top-goto = Перейти
top-goto-tip = Координаты (десятичные, ГМС, MGRS) или место (Ctrl+G)
top-measure = Измерить
top-measure-tip = Расстояния, площади и кольца дальности (M)
top-open = Открыть… (Ctrl+O)
top-open-tip = Открыть слои GeoJSON, KML/KMZ, CSV, GeoPackage, Shapefile и FlatGeobuf или перетащить файлы в окно
basemap = Подложка
basemap-online = { $name } (онлайн)
basemap-custom = Своя XYZ или PMTiles…
tiles-loading = тайлы: загружается { $loading }
tiles-loading-failed = тайлы: загружается { $loading }, ошибок { $failed }
custom-basemap = Своя подложка
custom-basemap-help = Шаблон XYZ с {"{"}z{"}"}, {"{"}x{"}"}, {"{"}y{"}"} (и необязательным {"{"}s{"}"}) или путь к файлу .pmtiles. Онлайн-тайлы сообщают серверу, куда вы смотрите.
custom-basemap-use = Применить
basemap-offline = Офлайн (встроенная)
basemap-xyz = Свои тайлы ({ $host })
basemap-pmtiles = PMTiles: { $file }

## Events panel (src/ui/events.rs)

events-heading = События
events-shown = { $shown } из { $total }
events-searching = поиск… { $percent }%
events-search-hint = Поиск по названию, месту, заявлениям (Ctrl+F)
events-kind-tip = Показать или скрыть: { $kind }
events-follow = Следовать за курсором при воспроизведении
events-side-uncertain = сторона не определена
events-side-uncertain-tip = Сторона не определена: зона точности места пересекает линию границы
events-claim-by-via = { $by } (по данным { $via })
events-claim-reported = сообщено { $date }
events-claims-who-via = { $who } по данным { $via }
events-figure-killed = { $n ->
    [one] { $figure } погибший
   *[other] { $figure } погибших
}
events-figure-injured = { $n ->
    [one] { $figure } раненый
   *[other] { $figure } раненых
}
events-figure-evacuated = { $n ->
    [one] { $figure } эвакуированный
   *[other] { $figure } эвакуированных
}
events-figure-displaced = { $n ->
    [one] { $figure } перемещённое лицо
    [few] { $figure } перемещённых лица
   *[many] { $figure } перемещённых лиц
}
events-date-range = с { $from } по { $to }
events-kind-clash = Столкновение
events-kind-shelling = Обстрел
events-kind-drone-strike = Удар БПЛА
events-kind-evacuation = Эвакуация
events-kind-ceasefire = Прекращение огня
events-kind-casualty-report = Данные о потерях
events-kind-diplomacy = Дипломатия
events-kind-mourning = Траур
events-kind-agreement = Соглашение
events-kind-other = Другое

## Layers panel (src/ui/layers.rs)

layers-heading = Слои
layers-loading = Загрузка { $name }
layers-visible-tip = Показать или скрыть
layers-color-tip = Цвет слоя
layers-remove = Удалить
layers-zoom = Приблизить
layers-zoom-tip = Приблизить к слою
layers-down = Ниже
layers-up = Выше
layers-details = подробности
layers-counts = { $n ->
    [one] { $n } объект
    [few] { $n } объекта
   *[many] { $n } объектов
}, с датой: { $dated }
layers-counts-errors = { $n ->
    [one] { $n } объект
    [few] { $n } объекта
   *[many] { $n } объектов
}, с датой: { $dated } — есть ошибки (см. «Проблемы»)
layers-time-none = время: не найдено (все объекты показываются всегда)
layers-time-fields = время из полей: { $fields }
layers-no-offset = { $n ->
    [one] { $n } значение времени без смещения прочитано как { $zone }
    [few] { $n } значения времени без смещения прочитаны как { $zone }
   *[many] { $n } значений времени без смещения прочитаны как { $zone }
}
layers-opacity = непрозрачность
layers-line-width = толщина линии
layers-point-size = размер точки
layers-style-none = (нет)
layers-style-by = стиль по полю
layers-size-range = размер точки от { $lo } до { $hi }
layers-time-fields-label = поля времени
layers-start-hint = начало (авто)
layers-end-hint = конец
layers-zone-label = часовой пояс для времени без смещения
layers-reread = Перечитать

## Filters (src/ui/filters.rs)

filters-label = Фильтр
filters-hint = kind=clash · killed>=10 · side=KG · prop:ПОЛЕ=ЗНАЧЕНИЕ
filters-add = Добавить
filters-shown-to = Показанное в файл
filters-save-hint = /путь/к/shown.geojson или .csv
filters-save-tip = Сохранить события и объекты, которые сейчас показаны в списке и на карте, с их атрибутами и заявлениями, в GeoJSON или CSV (так же, как их записывает bordermap extract)
filters-by-property = Фильтр слоя по атрибуту
filters-remove-tip = Удалить это условие
filters-filtering = { $n ->
    [one] фильтрация { $n } объекта…
   *[other] фильтрация { $n } объектов…
}
filters-count = { $shown } из { $total }
filters-clear = Сбросить фильтры
filters-layer = Слой
filters-choose = выбрать…
filters-property = Атрибут
filters-keep-values = Оставить эти значения
filters-from = От
filters-to = до
filters-keep-range = Оставить этот диапазон
filters-range = { $prop }: от { $lo } до { $hi }
filters-too-many = У атрибута { $prop } больше { $few } различных значений: введите условие, например prop:{ $prop }=ЗНАЧЕНИЕ
filters-error = не удаётся прочитать фильтр '{ $expr }': { $why }
filters-error-too-long = он слишком длинный (не более 500 символов)
filters-error-syntax = ожидается ИМЯ ОПЕРАТОР ЗНАЧЕНИЕ с =, !=, >=, >, <= или <, например { $expected }
filters-error-no-value = нет значения после оператора
filters-error-not-comparison = { $what } допускает только = или !=, а не сравнение
filters-error-no-property = нет имени атрибута после 'prop:'
filters-error-not-number-compare = '{ $value }' — не число, с ним нельзя сравнивать
filters-error-not-number = '{ $value }' — не число
filters-error-side = сторону можно указать только для killed, injured и evacuated ('{ $name }')
filters-error-unknown-kind = неизвестный вид '{ $kind }': ожидается { $known }
filters-error-unknown-name = неизвестное имя '{ $name }': ожидается { $expected }

## Inspector (src/ui/inspector.rs)

inspector-heading = Подробности
inspector-close-tip = Снять выделение (Esc)
inspector-zoom-to = Приблизить
inspector-border-heading = Относительно киргизско-таджикской линии
inspector-point = Точка { $n }:
inspector-border = Граница:
inspector-border-distance = { $distance } от линии · территория: { $side }
inspector-side-enclave = { $owner } — анклав { $enclave }
inspector-side-outside = вне стран встроенных данных
inspector-border-note = Геодезическое расстояние до линии OpenStreetMap 2017 года (с контуром Воруха), до договора 2025 года; сторона определяется по встроенным данным о границе.
inspector-site-uncertain = { $name } (±{ $radius } км, { $distance } от линии)
inspector-side-uncertain = Сторона не определена
inspector-side-uncertain-tip = На какой стороне границы это произошло — как раз предмет спора сторон
inspector-side-uncertain-text = Зона точности { $sites } пересекает киргизско-таджикскую линию (линия 2017 года).
inspector-estimated = местоположение приблизительное
inspector-day-only = { $days }, известно только с точностью до дня
inspector-when = Когда:
inspector-as-reported = В источнике:
inspector-reported-precision = { $time } (точность: { $precision })
inspector-clock = Часы:
inspector-where = Где:
inspector-location-precision = Точность местоположения:
inspector-how-placed = Как определено место:
inspector-how-drawn = Как нарисовано:
inspector-claims = Заявления (цифры и слова каждой стороны, без объединения)
inspector-qualifiers = ≥ не менее · > более · ≈ около · ≤ до; у разбивки нет общего итога
inspector-col-who = Кто заявляет
inspector-col-side = Сторона
inspector-col-killed = Погибшие
inspector-col-injured = Раненые
inspector-col-evacuated = Эвакуированные
inspector-col-displaced = Перемещённые
inspector-col-account = Изложение
inspector-col-reported = Сообщено
inspector-col-source = Источник
inspector-by-via = { $by } (по данным { $via })
inspector-reported-tip = Когда было сделано заявление
inspector-reported-range-tip = Источник точно не установлен: сообщено в промежутке между этими датами
inspector-link = ссылка
inspector-source-no-address = { $source } (адрес неизвестен)
inspector-see-note = см. примечание
inspector-sources = Источники
inspector-no-address = адрес неизвестен
inspector-feature = Объект { $n }
inspector-feature-of-layer = { $layer } · объект { $n }

## Timeline (src/ui/timeline.rs)

timeline-label = Шкала времени
timeline-first-tip = Первое событие (Home)
timeline-prev-tip = Предыдущее событие (стрелка влево)
timeline-pause = Пауза
timeline-play = Пуск
timeline-play-tip = Пуск или пауза (пробел)
timeline-next-tip = Следующее событие (стрелка вправо)
timeline-last-tip = Последнее событие (End)
timeline-speed = Скорость
timeline-speed-tip = Скорость воспроизведения: время данных за секунду
timeline-speed-weeks = { $n } нед/с
timeline-speed-days = { $n } д/с
timeline-speed-hours = { $n } ч/с
timeline-loop = Повтор
timeline-cumulative = Накопительно
timeline-window = Окно: { $span }
timeline-window-custom = другое
timeline-hours = { $n ->
    [one] { $n } час
    [few] { $n } часа
   *[many] { $n } часов
}
timeline-days = { $n ->
    [one] { $n } день
    [few] { $n } дня
   *[many] { $n } дней
}
timeline-weeks = { $n ->
    [one] { $n } неделя
    [few] { $n } недели
   *[many] { $n } недель
}
timeline-mode = Режим
timeline-zone = Часовой пояс
timeline-zone-local = Местное ({ $name })
timeline-jump-hint = Перейти к: 2022-09-16 18:00
timeline-go = К дате
timeline-sept-2022 = Сент. 2022
timeline-sept-2022-tip = Показать 13–21 сентября 2022 года
timeline-fit-all = Показать всё
timeline-fit-all-tip = Показать все данные
timeline-error-empty = время не указано; введите, например, { $examples }
timeline-error-range = «{ $text }» вне допустимого диапазона: { $error }
timeline-error-range-zone = «{ $text }» вне допустимого диапазона в поясе { $zone }: { $error }
timeline-error-unreadable-why = не удаётся прочитать «{ $text }» как время ({ $error }); введите, например, { $examples }
timeline-error-unreadable = не удаётся прочитать «{ $text }» как время; введите, например, { $examples }
timeline-examples = 2022-09-16, 2022-09-16 18:00, 2022-09-16T18:00+05:00 или 16.09.2022
timeline-error-year = не удаётся прочитать «{ $text }»: укажите год четырьмя цифрами, например 16.09.2022
timeline-error-not-date = «{ $text }» — несуществующая дата: { $error }
timeline-error-time = не удаётся прочитать время в «{ $text }»: { $error }

## Windows (src/ui/windows.rs)

## Tools (src/ui/tools.rs)

## Export dialog (src/ui/export_dialog.rs)

## Animation (src/ui/animation.rs)

## Chart (src/ui/chart.rs)

## Compare (src/ui/compare.rs)

## Exported furniture (src/export, src/map)
attribution-overlay = Граница: OpenStreetMap 2017 (ODbL) · События: GeoNames (CC BY 4.0), зоны OpenStreetMap (ODbL), источники указаны для каждого события
attribution-basemap = Подложка: © участники OpenStreetMap (ODbL) · Natural Earth · GeoNames (CC BY 4.0)
attribution-tiles = Тайлы: { $host }
time-on-map = { $day } { $month } { $year }, { $clock } { $offset }
scale-km = { $n } км
scale-m = { $n } м
legend = Легенда
legend-border = Киргизско-таджикская граница
legend-border-note = Линия OSM 2017 года, до договора 2025 года; местами не демаркирована и оспаривается
legend-other-borders = Другие границы
legend-enclave = Анклав
legend-evacuation-zone = Зона эвакуации (приблизительно)
legend-estimated = Местоположение оценочное
legend-site-size = Размер знака: наибольшее число жертв, заявленное одной из сторон, по нижней границе (> 100 считается как 100)
legend-precision-areas = Области точности
legend-precision-areas-tip = Каждое место, известное лишь с точностью до села, района или области, показано областью, где оно может находиться (радиус его класса точности)
legend-precision-area = Область точности места
view-conflict-area = Район конфликта
view-conflict-area-tip = Приблизить Баткен–Исфару
view-central-asia = Центральная Азия
view-central-asia-tip = Отдалить до региона
view-world = Мир
view-world-tip = Отдалить до всего мира, чтобы показать, где находится долина
