"""The visual report of one queue: a self-contained HTML page (no script, no stylesheet or font from
the network) with static SVG charts, built from the stored analytics document. `figures` turns the
document into the rows each chart plots, `charts` draws them (Vega-Lite through `altair`, rendered to
SVG by `vl-convert`, both imported only while drawing), `page` writes the HTML.

May import: nothing else from the domain package (it reads the document, never the database).
"""

from ai_visibility.report.page import render_report

__all__ = ["render_report"]
