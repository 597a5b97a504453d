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
