"""Regenerate src/spp_site/data/germany.json, the outline of Germany for the map.

Source: Natural Earth 1:50m admin-0 boundaries (public domain), as TopoJSON in the npm
package world-atlas@2.0.2 (countries-50m.json; Germany is geometry id "276"). Run once by
hand after `npm install --no-save world-atlas@2.0.2`; the site build reads only the output.

    python tools/make_germany_outline.py node_modules/world-atlas/countries-50m.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "spp_site" / "data" / "germany.json"
TOLERANCE = 0.02  # degrees; keeps ~500 points, plenty for a map a few hundred pixels wide


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are quantized and delta-encoded; undo both."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))  # negative index: arc ~i reversed
        points.extend(arc[1:] if points else arc)
    return points


def simplify(points, tolerance):
    """Douglas-Peucker line simplification."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = (dx * dx + dy * dy) ** 0.5 or 1e-12
    dists = [abs(dy * (x - x1) - dx * (y - y1)) / norm for x, y in points[1:-1]]
    index = max(range(len(dists)), key=dists.__getitem__) + 1
    if dists[index - 1] > tolerance:
        left = simplify(points[: index + 1], tolerance)
        return left[:-1] + simplify(points[index:], tolerance)
    return [points[0], points[-1]]


def main(path: str) -> None:
    topo = json.loads(Path(path).read_text())
    arcs = decode_arcs(topo)
    germany = next(g for g in topo["objects"]["countries"]["geometries"] if g.get("id") == "276")
    polygons = germany["arcs"] if germany["type"] == "MultiPolygon" else [germany["arcs"]]
    rings = []
    for polygon in polygons:
        points = ring(polygon[0], arcs)
        mid = len(points) // 2  # a closed ring has equal ends: simplify its two halves
        outer = simplify(points[: mid + 1], TOLERANCE)[:-1] + simplify(points[mid:], TOLERANCE)
        if len(outer) >= 4:
            rings.append([[round(x, 3), round(y, 3)] for x, y in outer])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "source": "Natural Earth 1:50m admin-0 countries via npm world-atlas@2.0.2 (countries-50m.json, id 276)",
        "licence": "public domain (Natural Earth)",
        "generator": "tools/make_germany_outline.py",
        "rings": rings,
    }, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} with {sum(len(r) for r in rings)} points in {len(rings)} rings")


if __name__ == "__main__":
    main(sys.argv[1])
