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

windows-open-title = Открыть слои
windows-open-help = Путь к файлу GeoJSON, последовательности GeoJSON, KML/KMZ или CSV (несколько путей разделяйте знаком ;). Файлы также можно перетащить в окно.
windows-open = Открыть
windows-browse = Обзор…
windows-browse-tip = Системный диалог выбора файла; если он не появился, введите путь
windows-problems-title = Проблемы
windows-no-problems = Проблем нет.
windows-clear = Очистить
windows-drop = Отпустите, чтобы открыть как слои
windows-dialog-layers = Слои
windows-dialog-export-title = Экспорт карты в PNG
windows-dialog-png = Изображение PNG
windows-saved-filters-unused = сохранённые фильтры не применены: { $error }
windows-view-filters-unused = фильтры вида не применены: { $error }
windows-wrote = записан файл { $path }
windows-cannot-write = не удалось записать { $path }: { $error }
windows-exists = { $path } уже существует: выберите другое имя
windows-copied = скопировано: { $text }
windows-cannot-write-chart = не удалось записать график: { $error }
windows-cannot-start-export = не удалось начать экспорт: { $error }
windows-cannot-start-video = не удалось начать запись видео: { $error }
windows-views-max = не более { $n } видов
windows-view-saved = вид «{ $name }» сохранён
windows-view-saved-key = вид «{ $name }» сохранён (клавиша { $key })
windows-view-imported = вид «{ $name }» импортирован
windows-view-imported-name = Импортированный
windows-views-cannot-save = не удалось сохранить виды в { $path }: { $error }

## Tools (src/ui/tools.rs)

tools-measure-title = Измерения
tools-distance-area = Расстояние / площадь
tools-range-rings = Кольца дальности
tools-pick-tool = Выберите инструмент, затем щёлкните по карте.
tools-path-help = Щёлкайте точки на карте. Enter сохраняет линию, Backspace удаляет точку.
tools-leg = Отрезок { $n }
tools-total = Всего: { $distance }
tools-closed = Замкнутый контур: площадь { $area }, периметр { $perimeter }
tools-keep-path = Сохранить линию
tools-close-shape = Замкнуть контур
tools-undo-point = Отменить точку
tools-rings-help = Щёлкните по карте, чтобы поставить туда кольца.
tools-radii = Радиусы
tools-km = км
tools-measurements = Измерения ({ $n })
tools-measurements-shown = показывать (и экспортировать)
tools-remove = Удалить
tools-remove-all = Удалить все
tools-save-geojson = Сохранить в GeoJSON
tools-summary-path = Линия: { $n ->
    [one] { $n } отрезок
    [few] { $n } отрезка
   *[many] { $n } отрезков
}, { $distance }
tools-summary-shape = Контур: { $area }, периметр { $perimeter }
tools-summary-rings = Кольца: { $radii } км
tools-distance-m = { $value } м
tools-distance-km = { $value } км
tools-area-m2 = { $value } м²
tools-area-km2 = { $value } км²
tools-bearing = { $degrees }° { $point ->
    [N] С
    [NNE] ССВ
    [NE] СВ
    [ENE] ВСВ
    [E] В
    [ESE] ВЮВ
    [SE] ЮВ
    [SSE] ЮЮВ
    [S] Ю
    [SSW] ЮЮЗ
    [SW] ЮЗ
    [WSW] ЗЮЗ
    [W] З
    [WNW] ЗСЗ
    [NW] СЗ
    [NNW] ССЗ
   *[other] { $point }
}
tools-names-not-ready = названия мест ещё загружаются; попробуйте ещё раз
tools-goto-expected = { $error }. Ожидаются координаты (70.82,40.06 как долгота,широта; 40°03'36"N 70°49'12"E; 40.06N 70.82E; 42TXK5522336003) или название места
tools-goto-title = Перейти
tools-goto-help = Координаты (десятичные, ГМС или MGRS) или название места
tools-go = Перейти
tools-search-title = Поиск мест
tools-search-hint = место, анклав, событие… латиницей или кириллицей
tools-reading-names = Загрузка названий…
tools-adding-names = Добавление названий из новых слоёв…
tools-no-place = Место с таким названием не найдено.
tools-names-count = { $n ->
    [one] { $n } название
    [few] { $n } названия
   *[many] { $n } названий
}
tools-views-title = Виды
tools-view-name = Вид { $n }
tools-save-view = Сохранить текущий вид
tools-views-help = Место, масштаб, время, режим, часовой пояс, подложка, слои и выделение
tools-no-views = Сохранённых видов пока нет.
tools-import = Импорт
tools-view-tip = { $lat }, { $lon }, масштаб { $zoom }
tools-view-tip-time = { $lat }, { $lon }, масштаб { $zoom }, { $time }
tools-export = Экспорт
tools-export-tip = Экспортировать в файл, указанный ниже
tools-rename = Переименовать
tools-down = Вниз
tools-up = Вверх

## Export dialog (src/ui/export_dialog.rs)

export-title = Экспорт карты
export-file = Файл
export-browse = Обзор…
export-browse-tip = Системный диалог выбора файла; если он не появился, введите путь
export-size = Размер
export-custom = Другой
export-pixels = Пиксели
export-px = пикс.
export-title-label = Заголовок
export-title-hint = необязательно
export-with-view = Также записать рядом файл вида (.view.json)
export-with-view-tip = Центр, масштаб, время, слои и выделение, чтобы рисунок можно было получить снова: bordermap export --view FILE.view.json
export-replace = Заменить существующий файл
export-export = Экспорт
export-exporting = Экспорт…

## Animation (src/ui/animation.rs)

animation-title = Анимация
animation-video-to = Видео в файл
animation-from = С
animation-to = По
animation-title-label = Заголовок
animation-title-hint = (нет)
animation-seconds = Секунд
animation-fps = Кадров в секунду
animation-size = Размер
animation-px = пикс.
animation-help = H.264 в MP4; время плавно идёт от «С» до «По», с датой, легендой, заголовком и атрибуцией на каждом кадре. Существующий файл не перезаписывается.
animation-frames = { $done } / { $all } { $all ->
    [one] кадр
    [few] кадра
   *[many] кадров
}
animation-write = Записать MP4
animation-no-file = укажите файл для записи
animation-exists = { $path } уже существует: выберите другое имя
animation-from-error = С: { $error }
animation-to-error = По: { $error }
animation-to-before-from = «По» раньше, чем «С»

## Chart (src/ui/chart.rs)

chart-tally = { $tally ->
    [injured] Раненые
    [evacuated] Эвакуированные
    [displaced] Перемещённые
   *[killed] Погибшие
}
chart-claimant = { $claimant ->
    [kyrgyz] Киргизская сторона
    [tajik] Таджикская сторона
    [independent] Независимые
    [media] СМИ
   *[unattributed] Без указания стороны
}
chart-title-claims = Заявленные { $tally ->
    [injured] раненые
    [evacuated] эвакуированные
    [displaced] перемещённые
   *[killed] погибшие
} по дате заявления, по заявителям
chart-title-sums = { $layer }: { $property } { $bucket ->
    [week] по неделям
   *[day] по дням
}
chart-series-sums = { $property } { $bucket ->
    [week] по неделям
   *[day] по дням
}
chart-per = { $bucket ->
    [week] по неделям
   *[day] по дням
}
chart-cursor = курсор { $time }
chart-summed = Объектов: { $total }, сложено { $bucket ->
    [week] по неделям
   *[day] по дням
} (интервалов: { $n })
chart-summed-missing = Объектов: { $total }, сложено { $bucket ->
    [week] по неделям
   *[day] по дням
} (интервалов: { $n }); без числа в «{ $property }»: { $missing }
chart-claim = { $by }: { $figure } { $tally ->
    [injured] { $n ->
        [one] раненый
       *[other] раненых
    }
    [evacuated] { $n ->
        [one] эвакуированный
       *[other] эвакуированных
    }
    [displaced] { $n ->
        [one] перемещённый
       *[other] перемещённых
    }
   *[killed] { $n ->
        [one] погибший
       *[other] погибших
    }
}, заявлено { $reported }
chart-claim-about = { $by }: { $figure } { $tally ->
    [injured] { $n ->
        [one] раненый
       *[other] раненых
    }
    [evacuated] { $n ->
        [one] эвакуированный
       *[other] эвакуированных
    }
    [displaced] { $n ->
        [one] перемещённый
       *[other] перемещённых
    }
   *[killed] { $n ->
        [one] погибший
       *[other] погибших
    }
} ({ $about }), заявлено { $reported }
chart-claim-both = { $by }: { $figure } { $tally ->
    [injured] { $n ->
        [one] раненый
       *[other] раненых
    }
    [evacuated] { $n ->
        [one] эвакуированный
       *[other] эвакуированных
    }
    [displaced] { $n ->
        [one] перемещённый
       *[other] перемещённых
    }
   *[killed] { $n ->
        [one] погибший
       *[other] погибших
    }
} (обе стороны), заявлено { $reported }
chart-selected-event = выбранное событие
chart-open-marker = полый маркер: не точное число (не менее, около, более, до или разбивка, показанная суммой)
chart-click-to-select = щёлкните, чтобы выбрать событие
chart-key = закрашенный: число как заявлено · полый: не менее, около, более, до или разбивка по сумме · полоса: дата известна лишь в пределах интервала · пунктир: пересмотры одного заявителя по одному событию
chart-key-undated = { chart-key } · без даты и не показано заявлений: { $n }
chart-no-claims = Ни одно заявление о { $tally ->
    [injured] раненых
    [evacuated] эвакуированных
    [displaced] перемещённых
   *[killed] погибших
} не проходит фильтр.
chart-sources = Источники: { $sources }
chart-window-title = Заявления во времени
chart-to = График в файл
chart-save = Сохранить PNG
chart-save-tip = График как изображение, с легендой и источниками (существующий файл не перезаписывается)
chart-claims = Заявления
chart-of = График

## Compare (src/ui/compare.rs)

compare-title = Сравнение
compare-a = A: { $time }
compare-a-tip = A — курсор шкалы времени
compare-b = B: { $time }
compare-first-tip = B к первому событию
compare-previous-tip = B к предыдущему событию
compare-next-tip = B к следующему событию
compare-last-tip = B к последнему событию
compare-b-at = B на
compare-set-b = Задать B
compare-b-error = B: { $error }
compare-side-by-side = Рядом
compare-swipe = Шторка
compare-swipe-tip = Одна карта: A слева от линии, B справа; линию можно перетаскивать
compare-swap = Поменять A и B
compare-close = Закрыть сравнение

## Exported furniture (src/export, src/map)
