# bordermap's interface in English: one message per label. Each section belongs to one part
# of the code (the file named); keep the same ids, in the same order, in every language.
# Russian is ru.ftl; another language is one more file like these.

## General

app-tagline = Kyrgyz–Tajik border: events 2021–2025
language = Language
language-tip = The interface's language (event titles stay in the language of the data)
events-count = { $n ->
    [one] { $n } event
   *[other] { $n } events
}
features-count = { $n ->
    [one] { $n } feature
   *[other] { $n } features
}
close = Close
cancel = Cancel
ok = OK
apply = Apply
save = Save
delete = Delete
yes = Yes
no = No
none = none

## Dates

date-long = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Top bar (src/ui/top_bar.rs)

top-export = Export… (Ctrl+E)
top-problems = Problems ({ $n })
top-compare = Compare
top-compare-tip = Two moments side by side, one camera: A (the timeline) and B
top-animation = Animation…
top-animation-tip = An MP4 of the map with time moving, for briefings
top-chart = Claims chart
top-chart-tip = Each side's claimed dead, injured and evacuated, by the date claimed
top-views = Views
top-views-tip = Saved views: place, time and layers (keys 1–9)
top-search = Search
top-search-tip = Find a place in Latin or Cyrillic (Ctrl+K)
top-goto = Go to
top-goto-tip = Coordinates (decimal, DMS, MGRS) or a place (Ctrl+G)
top-measure = Measure
top-measure-tip = Distances, areas and range rings (M)
top-open = Open… (Ctrl+O)
top-open-tip = Open GeoJSON, KML/KMZ, CSV, GeoPackage, Shapefile and FlatGeobuf layers; or drop files on the window
basemap = Basemap
basemap-online = { $name } (online)
basemap-custom = Custom XYZ or PMTiles…
tiles-loading = tiles: { $loading } loading
tiles-loading-failed = tiles: { $loading } loading, { $failed } failed
custom-basemap = Custom basemap
custom-basemap-help = An XYZ template with {"{"}z{"}"}, {"{"}x{"}"}, {"{"}y{"}"} (and optional {"{"}s{"}"}), or the path of a .pmtiles file. Online tiles tell the server where you look.
custom-basemap-use = Use
basemap-offline = Offline (bundled)
basemap-xyz = Custom tiles ({ $host })
basemap-pmtiles = PMTiles: { $file }

## Events panel (src/ui/events.rs)

events-heading = Events
events-shown = { $shown } of { $total }
events-searching = searching… { $percent }%
events-search-hint = Search title, place, claims (Ctrl+F)
events-kind-tip = Show or hide { $kind }
events-follow = Follow the cursor while playing
events-side-uncertain = side uncertain
events-side-uncertain-tip = Side uncertain: a site's precision area reaches across the line
events-claim-by-via = { $by } (via { $via })
events-claim-reported = reported { $date }
events-claims-who-via = { $who } via { $via }
events-figure-killed = { $figure } dead
events-figure-injured = { $figure } injured
events-figure-evacuated = { $figure } evacuated
events-figure-displaced = { $figure } displaced
events-date-range = { $from } to { $to }
events-kind-clash = Clash
events-kind-shelling = Shelling
events-kind-drone-strike = Drone strike
events-kind-evacuation = Evacuation
events-kind-ceasefire = Ceasefire
events-kind-casualty-report = Casualty report
events-kind-diplomacy = Diplomacy
events-kind-mourning = Mourning
events-kind-agreement = Agreement
events-kind-other = Other

## Layers panel (src/ui/layers.rs)

layers-heading = Layers
layers-loading = Loading { $name }
layers-visible-tip = Show or hide
layers-color-tip = Layer colour
layers-remove = Remove
layers-zoom = Zoom
layers-zoom-tip = Zoom to the layer
layers-down = Down
layers-up = Up
layers-details = details
layers-counts = { $n } features, { $dated } dated
layers-counts-errors = { $n } features, { $dated } dated — has errors (see Problems)
layers-time-none = time: none found (all features always shown)
layers-time-fields = time read from { $fields }
layers-no-offset = { $n } times had no offset and were read as { $zone }
layers-opacity = opacity
layers-line-width = line width
layers-point-size = point size
layers-style-none = (none)
layers-style-by = style by
layers-size-range = point size from { $lo } to { $hi }
layers-time-fields-label = time fields
layers-start-hint = start (auto)
layers-end-hint = end
layers-zone-label = zone for times without offset
layers-reread = Re-read

## Filters (src/ui/filters.rs)

filters-label = Filter
filters-hint = kind=clash · killed>=10 · side=KG · prop:NAME=VALUE
filters-add = Add
filters-shown-to = Shown to
filters-save-hint = /path/to/shown.geojson or .csv
filters-save-tip = Save the events and features the list and the map show now, with their properties and claims, as GeoJSON or CSV (as bordermap extract writes them)
filters-by-property = Filter a layer by a property
filters-remove-tip = Remove this condition
filters-filtering = filtering { $n } features…
filters-count = { $shown } of { $total }
filters-clear = Clear filters
filters-layer = Layer
filters-choose = choose…
filters-property = Property
filters-keep-values = Keep these values
filters-from = From
filters-to = to
filters-keep-range = Keep this range
filters-range = { $prop } runs from { $lo } to { $hi }
filters-too-many = { $prop } has more than { $few } different values: type a condition, e.g. prop:{ $prop }=VALUE
filters-error = cannot read the filter '{ $expr }': { $why }
filters-error-too-long = it is too long (at most 500 characters)
filters-error-syntax = expected NAME OPERATOR VALUE with =, !=, >=, >, <= or <, e.g. { $expected }
filters-error-no-value = no value after the operator
filters-error-not-comparison = { $what } takes = or !=, not a comparison
filters-error-no-property = no property name after 'prop:'
filters-error-not-number-compare = '{ $value }' is not a number to compare with
filters-error-not-number = '{ $value }' is not a number
filters-error-side = only killed, injured and evacuated take a side ('{ $name }')
filters-error-unknown-kind = unknown kind '{ $kind }': expected { $known }
filters-error-unknown-name = unknown name '{ $name }': expected { $expected }

## Inspector (src/ui/inspector.rs)

inspector-heading = Details
inspector-close-tip = Clear the selection (Esc)
inspector-zoom-to = Zoom to
inspector-border-heading = Against the Kyrgyz–Tajik line
inspector-point = Point { $n }:
inspector-border = Border:
inspector-border-distance = { $distance } from the line · in { $side }
inspector-side-enclave = { $owner } — { $enclave } enclave
inspector-side-outside = outside the bundled countries
inspector-border-note = Geodesic distance to the 2017 OpenStreetMap line (with Vorukh's outline), before the 2025 treaty; the side is read from the bundled border data.
inspector-site-uncertain = { $name } (±{ $radius } km, { $distance } from the line)
inspector-side-uncertain = Side uncertain
inspector-side-uncertain-tip = Which side of the border it happened on is itself what the sides dispute
inspector-side-uncertain-text = The precision area of { $sites } reaches across the Kyrgyz–Tajik line (2017 line).
inspector-estimated = location estimated
inspector-day-only = { $days }, known only to the day
inspector-when = When:
inspector-as-reported = As reported:
inspector-reported-precision = { $time } ({ $precision } precision)
inspector-clock = Clock:
inspector-where = Where:
inspector-location-precision = Location precision:
inspector-how-placed = How placed:
inspector-how-drawn = How drawn:
inspector-claims = Claims (each claimant's own figures and words, never merged)
inspector-qualifiers = ≥ at least · > more than · ≈ about · ≤ up to; a breakdown has no total
inspector-col-who = Who claims
inspector-col-side = Side
inspector-col-killed = Killed
inspector-col-injured = Injured
inspector-col-evacuated = Evacuated
inspector-col-displaced = Displaced
inspector-col-account = Account
inspector-col-reported = Reported
inspector-col-source = Source
inspector-by-via = { $by } (via { $via })
inspector-reported-tip = When the claim was reported
inspector-reported-range-tip = Its source is not pinned down: reported between these dates
inspector-link = link
inspector-source-no-address = { $source } (no address known)
inspector-see-note = see note
inspector-sources = Sources
inspector-no-address = no address known
inspector-feature = Feature { $n }
inspector-feature-of-layer = { $layer } · feature { $n }

## Timeline (src/ui/timeline.rs)

timeline-label = Timeline
timeline-first-tip = First event (Home)
timeline-prev-tip = Previous event (Left)
timeline-pause = Pause
timeline-play = Play
timeline-play-tip = Play or pause (Space)
timeline-next-tip = Next event (Right)
timeline-last-tip = Last event (End)
timeline-speed = Speed
timeline-speed-tip = Playback speed: data time per second
timeline-speed-weeks = { $n } week/s
timeline-speed-days = { $n } day/s
timeline-speed-hours = { $n } h/s
timeline-loop = Loop
timeline-cumulative = Cumulative
timeline-window = Window: last { $span }
timeline-window-custom = custom
timeline-hours = { $n } hours
timeline-days = { $n ->
    [one] { $n } day
   *[other] { $n } days
}
timeline-weeks = { $n ->
    [one] { $n } week
   *[other] { $n } weeks
}
timeline-mode = Mode
timeline-zone = Zone
timeline-zone-local = Local ({ $name })
timeline-jump-hint = Jump to: 2022-09-16 18:00
timeline-go = Go
timeline-sept-2022 = Sept 2022
timeline-sept-2022-tip = Show 13–21 September 2022
timeline-fit-all = Fit all
timeline-fit-all-tip = Show all the data
timeline-error-empty = no time given; type e.g. { $examples }
timeline-error-range = "{ $text }" is out of range: { $error }
timeline-error-range-zone = "{ $text }" is out of range in { $zone }: { $error }
timeline-error-unreadable-why = cannot read "{ $text }" as a time ({ $error }); type e.g. { $examples }
timeline-error-unreadable = cannot read "{ $text }" as a time; type e.g. { $examples }
timeline-examples = 2022-09-16, 2022-09-16 18:00, 2022-09-16T18:00+05:00 or 16.09.2022
timeline-error-year = cannot read "{ $text }": write the year with four digits, e.g. 16.09.2022
timeline-error-not-date = "{ $text }" is not a real date: { $error }
timeline-error-time = cannot read the time in "{ $text }": { $error }

## Windows (src/ui/windows.rs)

windows-open-title = Open layers
windows-open-help = Path of a GeoJSON, GeoJSON sequence, KML/KMZ or CSV file (several: separate with ;). You can also drop files on the window.
windows-open = Open
windows-browse = Browse…
windows-browse-tip = The system's file dialog; if none appears, type the path
windows-problems-title = Problems
windows-no-problems = No problems.
windows-clear = Clear
windows-drop = Drop to open as layers
windows-dialog-layers = Layers
windows-dialog-export-title = Export map as PNG
windows-dialog-png = PNG image
windows-saved-filters-unused = the saved filters were not used: { $error }
windows-view-filters-unused = the view's filters were not used: { $error }
windows-wrote = wrote { $path }
windows-cannot-write = cannot write { $path }: { $error }
windows-exists = { $path } exists: pick another name
windows-copied = copied { $text }
windows-cannot-write-chart = cannot write the chart: { $error }
windows-cannot-start-export = cannot start the export: { $error }
windows-cannot-start-video = cannot start the video: { $error }
windows-views-max = at most { $n } views
windows-view-saved = saved view '{ $name }'
windows-view-saved-key = saved view '{ $name }' (key { $key })
windows-view-imported = imported view '{ $name }'
windows-view-imported-name = Imported
windows-views-cannot-save = cannot save the views to { $path }: { $error }

## Tools (src/ui/tools.rs)

tools-measure-title = Measure
tools-distance-area = Distance / area
tools-range-rings = Range rings
tools-pick-tool = Pick a tool, then click on the map.
tools-path-help = Click points on the map. Enter keeps the path, Backspace removes a point.
tools-leg = Leg { $n }
tools-total = Total: { $distance }
tools-closed = Closed: area { $area }, perimeter { $perimeter }
tools-keep-path = Keep path
tools-close-shape = Close shape
tools-undo-point = Undo point
tools-rings-help = Click on the map to put rings there.
tools-radii = Radii
tools-km = km
tools-measurements = Measurements ({ $n })
tools-measurements-shown = shown (and exported)
tools-remove = Remove
tools-remove-all = Remove all
tools-save-geojson = Save as GeoJSON
tools-summary-path = Path: { $n ->
    [one] { $n } leg
   *[other] { $n } legs
}, { $distance }
tools-summary-shape = Shape: { $area }, perimeter { $perimeter }
tools-summary-rings = Rings: { $radii } km
tools-distance-m = { $value } m
tools-distance-km = { $value } km
tools-area-m2 = { $value } m²
tools-area-km2 = { $value } km²
tools-bearing = { $degrees }° { $point }
tools-names-not-ready = the place names are still being read; try again
tools-goto-expected = { $error }. Expected coordinates (70.82,40.06 as longitude,latitude; 40°03'36"N 70°49'12"E; 40.06N 70.82E; 42TXK5522336003) or a place name
tools-goto-title = Go to
tools-goto-help = Coordinates (decimal, DMS or MGRS) or a place name
tools-go = Go
tools-search-title = Search places
tools-search-hint = a place, an enclave, an event… in Latin or Cyrillic
tools-reading-names = Reading the names…
tools-adding-names = Adding the names of new layers…
tools-no-place = No place by that name.
tools-found-place = place
tools-found-place-in = place, { $region }
tools-found-site = site (first in: { $title })
tools-found-site-estimated = site, estimated (first in: { $title })
tools-found-event = event, { $date }
tools-found-border = border layer
tools-found-features = { $layer }, { $n } features
tools-names-count = { $n ->
    [one] { $n } name
   *[other] { $n } names
}
tools-views-title = Views
tools-view-name = View { $n }
tools-save-view = Save current view
tools-views-help = Place, zoom, time, mode, zone, basemap, layers and selection
tools-no-views = No saved views yet.
tools-import = Import
tools-view-tip = { $lat }, { $lon } at zoom { $zoom }
tools-view-tip-time = { $lat }, { $lon } at zoom { $zoom }, { $time }
tools-export = Export
tools-export-tip = Export to the file typed below
tools-rename = Rename
tools-down = Down
tools-up = Up

## Export dialog (src/ui/export_dialog.rs)

export-title = Export map
export-file = File
export-browse = Browse…
export-browse-tip = The system's file dialog; if none appears, type the path
export-size = Size
export-custom = Custom
export-pixels = Pixels
export-px = px
export-title-label = Title
export-title-hint = optional
export-with-view = Also write the view file (.view.json) beside it
export-with-view-tip = Centre, zoom, time, layers and selection, so the figure can be made again: bordermap export --view FILE.view.json
export-replace = Replace the existing file
export-export = Export
export-exporting = Exporting…

## Animation (src/ui/animation.rs)

animation-title = Animation
animation-video-to = Video to
animation-from = From
animation-to = To
animation-title-label = Title
animation-title-hint = (none)
animation-seconds = Seconds
animation-fps = Frames per second
animation-size = Size
animation-px = px
animation-help = H.264 in an MP4; time moves smoothly from From to To, with the date, legend, title and attribution on every frame. An existing file is left alone.
animation-frames = { $done } / { $all } frames
animation-write = Write MP4
animation-no-file = give the file to write
animation-exists = { $path } exists: pick another name
animation-from-error = From: { $error }
animation-to-error = To: { $error }
animation-to-before-from = To is before From

## Chart (src/ui/chart.rs)

chart-tally = { $tally ->
    [injured] Injured
    [evacuated] Evacuated
    [displaced] Displaced
   *[killed] Killed
}
chart-claimant = { $claimant ->
    [kyrgyz] Kyrgyz side
    [tajik] Tajik side
    [independent] Independent
    [media] Media
   *[unattributed] Unattributed
}
chart-title-claims = Claimed { $tally ->
    [injured] injured
    [evacuated] evacuated
    [displaced] displaced
   *[killed] dead
} by date of claim, per claimant
chart-title-sums = { $layer }: { $property } per { $bucket ->
    [week] week
   *[day] day
}
chart-series-sums = { $property } per { $bucket ->
    [week] week
   *[day] day
}
chart-per = per { $bucket ->
    [week] week
   *[day] day
}
chart-cursor = cursor { $time }
chart-summed = { $total } features summed into { $n } { $bucket ->
    [week] weeks
   *[day] days
}
chart-summed-missing = { $total } features summed into { $n } { $bucket ->
    [week] weeks
   *[day] days
}; { $missing } had no number in '{ $property }'
chart-claim = { $by }: { $figure } { $tally ->
    [injured] injured
    [evacuated] evacuated
    [displaced] displaced
   *[killed] dead
}, reported { $reported }
chart-claim-about = { $by }: { $figure } { $tally ->
    [injured] injured
    [evacuated] evacuated
    [displaced] displaced
   *[killed] dead
} ({ $about }), reported { $reported }
chart-claim-both = { $by }: { $figure } { $tally ->
    [injured] injured
    [evacuated] evacuated
    [displaced] displaced
   *[killed] dead
} (both sides), reported { $reported }
chart-selected-event = selected event
chart-open-marker = open marker: not a plain figure (at least, about, more than, up to, or a breakdown plotted at its sum)
chart-click-to-select = click to select the event
chart-key = filled: the figure as stated · open: at least, about, more than, up to, or a breakdown at its sum · bar: dated only to a span · dashed: one claimant's revisions of one event
chart-key-undated = { chart-key } · { $n } claim(s) give no date and are not plotted
chart-no-claims = No claim of { $tally ->
    [injured] injured
    [evacuated] evacuated
    [displaced] displaced
   *[killed] dead
} passes the filter.
chart-sources = Sources: { $sources }
chart-window-title = Claims over time
chart-to = Chart to
chart-save = Save PNG
chart-save-tip = The chart as a picture, with its key and sources (an existing file is left alone)
chart-claims = Claims
chart-of = Chart of

## Compare (src/ui/compare.rs)

compare-title = Compare
compare-a = A: { $time }
compare-a-tip = A is the timeline's cursor
compare-b = B: { $time }
compare-first-tip = B to the first event
compare-previous-tip = B to the previous event
compare-next-tip = B to the next event
compare-last-tip = B to the last event
compare-b-at = B at
compare-set-b = Set B
compare-b-error = B: { $error }
compare-side-by-side = Side by side
compare-swipe = Swipe
compare-swipe-tip = One map: A left of the line, B right; drag the line
compare-swap = Swap A and B
compare-close = Close compare

## Exported furniture (src/export, src/map)
load-cancelled = { $file }: loading cancelled
load-errors = { $name }: { $features } features read, { $errors } errors (see Problems)
load-read = { $name }: { $features } features, { $dated } dated
compare-swipe-title = A (left) { $a } | B (right) { $b }
chart-claims-title = Claims over time: Kyrgyz–Tajik border
chart-prop-title = { $name } over time
chart-filter-subtitle = Filter: { $filters }
tooltip-estimated = location estimated
tooltip-feature = feature { $n }
attribution-overlay = Border: OpenStreetMap 2017 (ODbL) · Events: GeoNames (CC BY 4.0), zones OpenStreetMap (ODbL), sources listed per event
attribution-basemap = Basemap: © OpenStreetMap contributors (ODbL) · Natural Earth · GeoNames (CC BY 4.0)
attribution-tiles = Tiles: { $host }
time-on-map = { $iso } { $clock } { $offset }
scale-km = { $n } km
scale-m = { $n } m
legend = Legend
legend-border = Kyrgyz–Tajik border
legend-border-note = 2017 OSM line, before the 2025 treaty; undemarcated and disputed in parts
legend-other-borders = Other borders
legend-enclave = Enclave
legend-evacuation-zone = Evacuation zone (approximate)
legend-estimated = Location estimated
legend-site-size = Site size: largest toll one side claims, at its lower bound (> 100 counts 100)
legend-precision-areas = Precision areas
legend-precision-areas-tip = Each site known only to a village, district or region, drawn as the area it may lie in (the radius of its precision class)
legend-precision-area = Precision area of a site
view-conflict-area = Conflict area
view-conflict-area-tip = Zoom to Batken–Isfara
view-central-asia = Central Asia
view-central-asia-tip = Zoom out to the region
view-world = World
view-world-tip = Zoom out to the world, to show where the valley is
