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
tools-found-place = населённый пункт
tools-found-place-in = населённый пункт, { $region }
tools-found-site = место события (впервые: { $title })
tools-found-site-estimated = место события, приблизительно (впервые: { $title })
tools-found-event = событие, { $date }
tools-found-border = слой границы
tools-found-features = { $layer }, объектов: { $n }
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
load-cancelled = { $file }: загрузка отменена
load-errors = { $name }: прочитано объектов: { $features }, ошибок: { $errors } (см. «Проблемы»)
load-read = { $name }: объектов: { $features }, с датой: { $dated }
compare-swipe-title = A (слева) { $a } | B (справа) { $b }
chart-claims-title = Заявления во времени: киргизско-таджикская граница
chart-prop-title = { $name } во времени
chart-filter-subtitle = Фильтр: { $filters }
tooltip-estimated = местоположение оценочное
tooltip-feature = объект { $n }
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
