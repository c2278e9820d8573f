#!/usr/bin/python3
"""Render a kepumap GeoPackage headless in QGIS with each layer's default style (the row kepumap
writes into layer_styles) and save a PNG. Needs Debian's python3-qgis (not installed by ./test;
this is a check by hand): tools/qgis_snapshot.py coverage.gpkg out.png [layer ...]
A layer ending in .tif is a GeoTIFF path drawn under the vector layers with its .qml style."""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import (QgsApplication, QgsCoordinateTransform, QgsMapRendererParallelJob, QgsMapSettings, QgsProject,
                       QgsRasterLayer, QgsRectangle, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    gpkg, out = sys.argv[1], sys.argv[2]
    names = sys.argv[3:] or ["coverage_village", "coverage_township"]
    app = QgsApplication([], False)
    app.initQgis()
    layers = []
    for name in names:
        if name.endswith(".tif"):
            layer = QgsRasterLayer(name, os.path.basename(name), "gdal")
            if not layer.isValid():
                print(f"error: {name}: not a raster QGIS opens")
                return 2
            msg, ok = layer.loadDefaultStyle()  # the .qml beside the GeoTIFF
            print(f"{name}: default style loaded={ok} renderer={layer.renderer().type()} crs={layer.crs().authid()}")
            QgsProject.instance().addMapLayer(layer)
            layers.append(layer)
            continue
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        if not layer.isValid():
            print(f"error: {gpkg}: no layer {name}")
            return 2
        # QGIS loads the default style from layer_styles when the layer is created; say which.
        msg, ok = layer.loadDefaultStyle()
        renderer = layer.renderer().type() if layer.renderer() else "none"
        aliases = [layer.attributeDisplayName(i) for i in range(min(6, layer.fields().count()))]
        print(f"{name}: default style loaded={ok} renderer={renderer} labels={layer.labelsEnabled()} "
              f"aliases={aliases}")
        QgsProject.instance().addMapLayer(layer)
        layers.append(layer)
    settings = QgsMapSettings()
    # QGIS draws the first layer of the list on top: vectors over rasters.
    settings.setLayers([l for l in layers if not isinstance(l, QgsRasterLayer)] +
                       [l for l in layers if isinstance(l, QgsRasterLayer)])
    settings.setDestinationCrs(layers[0].crs())
    extent = QgsRectangle(layers[0].extent())
    for l in layers[1:]:
        to_dest = QgsCoordinateTransform(l.crs(), layers[0].crs(), QgsProject.instance())
        extent.combineExtentWith(to_dest.transformBoundingBox(l.extent()))
    extent.scale(1.05)
    settings.setExtent(extent)
    settings.setOutputSize(QSize(1200, 1000))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(out, "png")
    print(f"wrote {out}")
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
