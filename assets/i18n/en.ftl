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
