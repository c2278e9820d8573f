#!/usr/bin/python3
"""Render a kepumap GeoPackage headless in QGIS with each layer's default style (the row kepumap
writes into layer_styles) and save a PNG. Needs Debian's python3-qgis (not installed by ./test;
this is a check by hand): tools/qgis_snapshot.py coverage.gpkg out.png [layer ...]"""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import (QgsApplication, QgsMapRendererParallelJob, QgsMapSettings, QgsProject,
                       QgsRectangle, QgsVectorLayer)
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
    settings.setLayers(layers)
    settings.setDestinationCrs(layers[0].crs())
    extent = QgsRectangle(layers[0].extent())
    for l in layers[1:]:
        extent.combineExtentWith(l.extent())
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
