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

## Layers panel (src/ui/layers.rs)

## Filters (src/ui/filters.rs)

## Inspector (src/ui/inspector.rs)

## Timeline (src/ui/timeline.rs)

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
