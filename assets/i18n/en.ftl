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

## Tools (src/ui/tools.rs)

## Export dialog (src/ui/export_dialog.rs)

## Animation (src/ui/animation.rs)

## Chart (src/ui/chart.rs)

## Compare (src/ui/compare.rs)

## Exported furniture (src/export, src/map)
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
