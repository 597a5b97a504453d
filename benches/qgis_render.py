#!/usr/bin/env python3
"""Renders a layer with QGIS (PyQGIS, offscreen) the way `bordermap export` does, for the
benchmarks' side-by-side numbers: Web Mercator, a centre, a zoom level (256-pixel tiles) and a
picture size.

    python3 benches/qgis_render.py csv|geojson FILE LON,LAT ZOOM WIDTHxHEIGHT OUT.png

A CSV is read with QGIS's delimited-text provider (longitude/latitude columns), anything else
through OGR.
"""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    kind, path, center, zoom, size, out = sys.argv[1:7]
    app = QgsApplication([], False)
    app.initQgis()
    if kind == "csv":
        uri = (
            f"file://{os.path.abspath(path)}?delimiter=,&xField=longitude&yField=latitude"
            "&crs=EPSG:4326&spatialIndex=no&subsetIndex=no&watchFile=no"
        )
        layer = QgsVectorLayer(uri, "csv", "delimitedtext")
    else:
        layer = QgsVectorLayer(path, "layer", "ogr")
    if not layer.isValid():
        sys.exit(f"QGIS cannot read {path}")
    width, height = (int(v) for v in size.split("x"))
    lon, lat = (float(v) for v in center.split(","))
    mercator = QgsCoordinateReferenceSystem("EPSG:3857")
    to_mercator = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4326"), mercator, QgsProject.instance()
    )
    c = to_mercator.transform(QgsPointXY(lon, lat))
    metres_per_pixel = 156543.03392804097 / 2 ** float(zoom)
    half_w, half_h = width * metres_per_pixel / 2, height * metres_per_pixel / 2
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(mercator)
    settings.setOutputSize(QSize(width, height))
    settings.setExtent(QgsRectangle(c.x() - half_w, c.y() - half_h, c.x() + half_w, c.y() + half_h))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    if not job.renderedImage().save(out, "png"):
        sys.exit(f"cannot write {out}")
    app.exitQgis()


if __name__ == "__main__":
    main()
