"""The body map: every catalog zone and muscle is on the figure, the geometry is sane, the SVG accessible and safe."""

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from assessments import body_map
from assessments.body_map import (
    HEIGHT,
    MIDLINE_ZONES,
    MUSCLE_POINTS,
    OUTLINE,
    TARGET_PX,
    VIEW_HEIGHT,
    WIDTH,
    ZOOM_AREAS,
    Region,
    area_box,
    area_of,
    area_scale,
    drawn_points,
    muscle_point,
    region_centroid,
    regions,
    render_chart,
)

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog" / "data"
ZONES = json.loads((CATALOG / "zones.json").read_text(encoding="utf-8"))
MUSCLES = json.loads((CATALOG / "muscles.json").read_text(encoding="utf-8"))
ZONE_SLUGS = {z["slug"] for z in ZONES}
LABELS = {z["slug"]: z["label"] for z in ZONES}
SVG = "{http://www.w3.org/2000/svg}"


# --- small geometry helpers for the checks ----------------------------------------------------------------------------


def inside(point, polygon):
    """Even-odd point in polygon."""
    x, y = point
    result = False
    for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            result = not result
    return result


def distance_to_edges(point, polygon):
    px, py = point
    best = float("inf")
    for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        dx, dy = x1 - x0, y1 - y0
        t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy)))
        best = min(best, ((px - x0 - t * dx) ** 2 + (py - y0 - t * dy) ** 2) ** 0.5)
    return best


def on_figure(point, view, tolerance=0.0):
    polygons = OUTLINE[view]
    return any(inside(point, p) for p in polygons) or min(distance_to_edges(point, p) for p in polygons) <= tolerance


def segments_cross(a, b, c, d):
    def orient(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return orient(a, b, c) * orient(a, b, d) < 0 and orient(c, d, a) * orient(c, d, b) < 0


def area(polygon):
    return (
        abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1], strict=True))) / 2
    )


# --- coverage ---------------------------------------------------------------------------------------------------------


def test_every_catalog_zone_has_a_region_and_no_region_names_an_unknown_zone():
    drawn = {r.zone for r in regions()}
    assert ZONE_SLUGS - drawn == set()
    assert drawn - ZONE_SLUGS == set()
    assert len(ZONE_SLUGS) == 66
    assert MIDLINE_ZONES <= ZONE_SLUGS


def test_paired_zones_have_a_left_and_a_right_region_and_midline_zones_one_midline_region():
    sides: dict[str, set[str]] = {}
    for r in regions():
        sides.setdefault(r.zone, set()).add(r.side)
    for zone, found in sides.items():
        if zone in MIDLINE_ZONES:
            assert found == {"midline"}, zone
        else:
            assert found == {"left", "right"}, zone
    # the commonly one-sided areas of the back and pelvis are charted per side
    for zone in ("lumbar", "sacroiliac", "buttock", "posterior_neck", "thoracic_mid_back", "anterior_chest"):
        assert zone not in MIDLINE_ZONES


def test_each_zone_side_and_view_is_one_region():
    counts = Counter((r.zone, r.side, r.view) for r in regions())
    assert [key for key, n in counts.items() if n > 1] == []


def test_every_catalog_muscle_has_a_marker_point_on_the_figure():
    slugs = {m["slug"] for m in MUSCLES}
    assert len(slugs) == 59
    assert set(MUSCLE_POINTS) == slugs
    for slug, (view, x, y) in MUSCLE_POINTS.items():
        assert view in ("front", "back"), slug
        assert 0 <= x <= WIDTH and 0 <= y <= HEIGHT, slug
        assert on_figure((x, y), view), slug


def test_muscle_points_are_on_the_patients_right_and_mirror_for_the_left():
    for slug, (view, x, _y) in MUSCLE_POINTS.items():
        # patient's right: viewer's left in the front view, viewer's right in the back view
        assert (x < 100) if view == "front" else (x > 100), slug
    view, x, y = MUSCLE_POINTS["gluteus_medius"]
    assert muscle_point("gluteus_medius") == (view, x, y)
    assert muscle_point("gluteus_medius", "right") == (view, x, y)
    assert muscle_point("gluteus_medius", "left") == (view, pytest.approx(WIDTH - x), y)
    with pytest.raises(KeyError):
        muscle_point("no_such_muscle")


def test_muscle_markers_do_not_sit_on_top_of_each_other():
    points = list(MUSCLE_POINTS.items())
    for i, (a, (va, xa, ya)) in enumerate(points):
        for b, (vb, xb, yb) in points[i + 1 :]:
            if va == vb:
                assert ((xa - xb) ** 2 + (ya - yb) ** 2) ** 0.5 >= 5.5, (a, b)


# --- geometry ---------------------------------------------------------------------------------------------------------


def test_regions_are_simple_polygons_inside_the_box():
    for r in regions():
        assert isinstance(r, Region)
        assert r.view in ("front", "back") and r.side in ("left", "right", "midline")
        assert len(r.points) >= 3, r.zone
        assert len(set(r.points)) >= 3, r.zone
        assert all(0 <= x <= WIDTH and 0 <= y <= HEIGHT for x, y in r.points), (r.zone, r.side, r.view)
        assert area(list(r.points)) > 4, r.zone
        pts = list(r.points)
        edges = list(zip(pts, pts[1:] + pts[:1], strict=True))
        for i, (a, b) in enumerate(edges):
            for j in range(i + 2, len(edges)):
                if i == 0 and j == len(edges) - 1:
                    continue  # neighbours through the closing edge
                c, d = edges[j]
                assert not segments_cross(a, b, c, d), (r.zone, r.side, r.view, i, j)


def test_regions_lie_on_the_figure():
    for r in regions():
        off = [p for p in r.points if not on_figure(p, r.view, tolerance=1.0)]
        assert off == [], (r.zone, r.side, r.view)
        assert on_figure(region_centroid(r), r.view), (r.zone, r.side, r.view)


def test_outline_polygons_are_inside_the_box():
    for view in ("front", "back"):
        assert len(OUTLINE[view]) >= 2
        for polygon in OUTLINE[view]:
            assert len(polygon) >= 3
            assert all(0 <= x <= WIDTH and 0 <= y <= HEIGHT for x, y in polygon)
        for details in body_map.DETAILS[view]:
            assert all(0 <= x <= WIDTH and 0 <= y <= HEIGHT for x, y in details)


def test_regions_of_a_view_barely_overlap():
    for view in ("front", "back"):
        shapes = [(r, [min(x for x, _ in r.points), min(y for _, y in r.points), max(x for x, _ in r.points),
                       max(y for _, y in r.points)]) for r in regions(view)]  # fmt: skip
        covered = doubly = 0
        y = 0.5
        while y < HEIGHT:
            x = 0.5
            while x < WIDTH:
                hits = sum(
                    1 for r, (x0, y0, x1, y1) in shapes if x0 <= x <= x1 and y0 <= y <= y1 and inside((x, y), r.points)
                )
                covered += hits > 0
                doubly += hits > 1
                x += 1.0
            y += 1.0
        assert covered > 0
        assert doubly / covered < 0.002, (view, doubly / covered)


def test_paired_regions_mirror_each_other_in_the_anatomical_convention():
    by_key = {(r.zone, r.side, r.view): r for r in regions()}
    for (zone, side, view), right in by_key.items():
        if side != "right":
            continue
        left = by_key[(zone, "left", view)]
        assert len(right.points) == len(left.points), (zone, view)
        mirrored = [(WIDTH - x, y) for x, y in reversed(left.points)]  # mirroring reverses the winding
        for (x0, y0), (x1, y1) in zip(right.points, mirrored, strict=True):
            assert abs(x0 - x1) < 0.05 and abs(y0 - y1) < 0.05, (zone, view)
        rx, _ = region_centroid(right)
        lx, _ = region_centroid(left)
        if view == "front":  # the patient faces us: their right is on our left
            assert rx < 100 < lx, (zone, view)
        else:  # we see their back: their right is on our right
            assert lx < 100 < rx, (zone, view)
    for r in regions():
        if r.side == "midline":
            cx, _ = region_centroid(r)
            assert cx == pytest.approx(100, abs=1.0), r.zone


def test_regions_filter_by_view_and_centroid_is_the_area_centroid():
    front, back = regions("front"), regions("back")
    assert front and back
    assert all(r.view == "front" for r in front) and all(r.view == "back" for r in back)
    assert len(front) + len(back) == len(regions())
    square = Region("lumbar", "right", "back", ((10.0, 10.0), (30.0, 10.0), (30.0, 20.0), (10.0, 20.0)))
    assert region_centroid(square) == pytest.approx((20.0, 15.0))
    # the plantar zones are on the sole insets under the feet of the back view
    soles = [r for r in back if r.zone in ("plantar_heel", "arch_instep", "plantar_forefoot")]
    assert len(soles) == 6 and all(min(y for _, y in r.points) > 390 for r in soles)


def test_the_module_is_pure_python_without_django():
    code = "import sys, assessments.body_map; sys.exit(1 if any(m.startswith('django') for m in sys.modules) else 0)"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=False).returncode == 0


# --- zoom areas -------------------------------------------------------------------------------------------------------

# A 390 px phone gives the chart 311 px of its card; a zoomed view takes 6 px of that for its frame.
PHONE_CHART_PX = 305


def test_every_region_is_in_exactly_one_zoom_area_and_an_arm_area_is_one_side():
    for r in regions():
        assert [a.key for a in ZOOM_AREAS if a.holds(r)] == [area_of(r).key], (r.zone, r.side, r.view)
    arms = {a.key: {r.side for r in regions() if a.holds(r)} for a in ZOOM_AREAS if a.key.endswith("_arm")}
    assert arms == {"right_arm": {"right"}, "left_arm": {"left"}}
    assert area_of(next(r for r in regions("back") if r.zone == "plantar_heel")).key == "ankle_foot"
    assert len({a.key for a in ZOOM_AREAS}) == len(ZOOM_AREAS)


def test_zoomed_in_every_zone_is_a_24_px_target_and_every_area_fits_a_phone():
    for area in ZOOM_AREAS:
        scale = area_scale(area)
        for view in ("front", "back"):
            x, y, w, h = area_box(area, view)
            held = [r for r in regions(view) if area.holds(r)]
            assert held, (area.key, view)
            for r in held:
                points = drawn_points(r.points)
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                assert min(max(xs) - min(xs), max(ys) - min(ys)) * scale >= TARGET_PX, (area.key, r.zone, r.side)
                assert x <= min(xs) and max(xs) <= x + w and y <= min(ys) and max(ys) <= y + h, (area.key, r.zone)
            assert x >= 0 and y >= 0 and x + w <= WIDTH and y + h <= VIEW_HEIGHT, (area.key, view)
            assert w * scale <= PHONE_CHART_PX, (area.key, view, w * scale)


# --- the chart's markup -----------------------------------------------------------------------------------------------


def zones_of(chart):
    root = ET.fromstring(chart)
    return root, [el for el in root.iter(f"{SVG}polygon") if "zone" in el.get("class", "").split()]


def test_render_chart_is_xml_with_one_accessible_element_per_region_and_one_tab_stop():
    chart = render_chart(labels=LABELS)
    root, zones = zones_of(chart)
    assert root.tag == "div" and root.get("class") == "body-chart"
    assert root.get("role") == "group" and root.get("aria-label") == "Body chart: choose an area"
    desc = root.find("p")
    assert desc is not None and desc.get("id") == root.get("aria-describedby") and desc.get("hidden") == ""
    assert "Arrow keys move between the areas" in (desc.text or "")
    assert len(zones) == len(regions())
    assert [(z.get("data-zone"), z.get("data-side")) for z in zones] == [(r.zone, r.side) for r in regions()]
    assert [z.get("data-area") for z in zones] == [area_of(r).key for r in regions()]
    assert [z.get("tabindex") for z in zones] == ["0"] + ["-1"] * (len(zones) - 1)  # one stop in the Tab order
    for z in zones:
        label = LABELS[z.get("data-zone")]
        assert z.get("class") == "zone"
        assert z.get("data-label") == label
        assert z.get("role") == "button" and z.get("aria-pressed") == "false"
        assert z.get("aria-label") == f"{label}, {z.get('data-side')}"
        assert z.find(f"{SVG}title").text == z.get("aria-label")
    svgs = list(root.iter(f"{SVG}svg"))
    assert [s.get("aria-label") for s in svgs] == ["Front view", "Back view"]
    assert all(s.get("viewBox") == s.get("data-viewbox") == f"0 0 200 {VIEW_HEIGHT:g}" for s in svgs)
    captions = ["".join(p.itertext()) for p in root.iter("p") if p.get("class") == "bc-caption"]
    assert captions == ["R Front L", "L Back R"]
    assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "bc-focus"]) == 2

    toolbar = next(el for el in root.iter("div") if el.get("role") == "toolbar")
    label = next(el for el in toolbar.iter("span") if el.get("id") == toolbar.get("aria-labelledby"))
    assert label.text == "Zoom the chart to"
    buttons = list(toolbar.iter("button"))
    assert [b.text for b in buttons] == ["Whole body", *(a.label for a in ZOOM_AREAS)]
    assert [b.get("aria-pressed") for b in buttons] == ["true"] + ["false"] * len(ZOOM_AREAS)
    assert [b.get("tabindex") for b in buttons] == ["0"] + ["-1"] * len(ZOOM_AREAS)
    for button, area in zip(buttons[1:], ZOOM_AREAS, strict=True):
        assert button.get("data-zoom") == area.key
        assert float(button.get("data-scale")) == area_scale(area)
        for view in ("front", "back"):
            assert tuple(map(float, button.get(f"data-{view}").split())) == area_box(area, view)


def test_marked_regions_are_shaded_and_pressed():
    chart = render_chart(
        marked=[("lumbar", "right"), ("temple", "bilateral"), ("abdomen", "left"), ("no_such_zone", "left")],
        labels=LABELS,
    )
    root, zones = zones_of(chart)
    marked = {
        (z.get("data-zone"), z.get("data-side"), z.get("aria-pressed")) for z in zones if "marked" in z.get("class")
    }
    assert marked == {
        ("lumbar", "right", "true"),
        ("temple", "right", "true"),
        ("temple", "left", "true"),
        ("abdomen", "midline", "true"),  # a midline zone charted on one side still shades the zone
    }
    assert all(z.get("class") == "zone marked" for z in zones if z.get("aria-pressed") == "true")
    desc = root.find("p").text
    assert "Low back (lumbar), right" in desc and "Temple, left" in desc


def test_midline_pain_on_a_paired_zone_shades_both_sides():
    _root, zones = zones_of(render_chart(marked=[("lumbar", "midline")]))
    assert {z.get("data-side") for z in zones if "marked" in z.get("class")} == {"left", "right"}


def test_read_only_chart_has_no_buttons_tab_stops_or_zoom():
    root, zones = zones_of(render_chart(marked=[("calf", "left")], selectable=False))
    assert root.get("aria-label") == "Body chart"
    assert list(root.iter("button")) == [] and [g for g in root.iter(f"{SVG}g") if g.get("class") == "bc-focus"] == []
    assert zones
    for z in zones:
        assert z.get("tabindex") is None and z.get("role") is None and z.get("aria-pressed") is None
        assert z.get("data-area") is None
        assert z.get("data-zone") and z.get("data-side")
    assert [z.get("data-side") for z in zones if "marked" in z.get("class")] == ["left"]


def test_hostile_labels_and_prefix_are_escaped_and_nothing_inline_runs():
    hostile = {"lumbar": '<script>alert("x")</script> & "low" back', "calf": "Calf' onmouseover='alert(1)"}
    chart = render_chart(labels=hostile, id_prefix='bc"><script>x</script>')
    assert "<script" not in chart.lower()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;low&quot; back" in chart
    assert "Calf&#x27; onmouseover=&#x27;alert(1)" in chart
    _root, zones = zones_of(chart)  # still well-formed
    lumbar = next(z for z in zones if z.get("data-zone") == "lumbar")
    assert lumbar.get("data-label") == hostile["lumbar"]
    root = ET.fromstring(chart)
    for el in root.iter():
        assert "style" not in el.attrib
        assert not any(name.lower().startswith("on") for name in el.attrib)
        assert el.tag not in (f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject")


def test_unlabelled_zones_fall_back_to_a_readable_name():
    _root, zones = zones_of(render_chart())
    z = next(z for z in zones if z.get("data-zone") == "lateral_hip_trochanter")
    assert z.get("data-label") == "Lateral hip trochanter"


# --- template tag -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_template_tag_renders_the_chart_with_catalog_labels_and_marked_pain_sites():
    marked = [
        SimpleNamespace(zone="lumbar", side="right"),  # a PainSite-like object
        {"zone": "calf", "side": "left"},
        ("temple", "bilateral"),
        "not-a-pair",
    ]
    html = Template("{% load body_chart %}{% body_chart marked=m %}").render(Context({"m": marked}))
    root, zones = zones_of(html)
    assert len(zones) == len(regions())
    pressed = {(z.get("data-zone"), z.get("data-side")) for z in zones if z.get("aria-pressed") == "true"}
    assert pressed == {("lumbar", "right"), ("calf", "left"), ("temple", "left"), ("temple", "right")}
    lumbar = next(z for z in zones if z.get("data-zone") == "lumbar" and z.get("data-side") == "right")
    assert lumbar.get("aria-label") == "Low back (lumbar), right"

    read_only = Template("{% load body_chart %}{% body_chart marked=m selectable=False id_prefix='past' %}").render(
        Context({"m": []})
    )
    root, zones = zones_of(read_only)
    assert root.get("id") == "past-chart" and root.get("aria-describedby") == "past-desc"
    assert all(z.get("role") is None for z in zones)


# --- the script, in a real browser ------------------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"  # make test sets it


@pytest.mark.browser
def test_clicking_or_pressing_enter_on_a_zone_fills_the_form_and_survives_swaps():
    assert os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK), (
        f"Chromium is not installed at {CHROMIUM}: run `make test` (tools/ensure_chromium.py) or set CHROMIUM_PATH"
    )
    from playwright.sync_api import sync_playwright

    chart = render_chart(marked=[("calf", "left")], labels=LABELS)
    page_html = f"""<!doctype html><html lang="en"><body>
      <div id="panel"><div data-body-chart data-body-chart-form="#pain-form">{chart}
        <p data-body-chart-status aria-live="polite"></p></div></div>
      <form id="pain-form">
        <select name="pain-zone"><option value="">Choose…</option>
          {"".join(f'<option value="{slug}">{label}</option>' for slug, label in LABELS.items())}</select>
        <select name="pain-side"><option value="left">Left</option><option value="right">Right</option>
          <option value="bilateral">Bilateral</option><option value="midline">Midline</option></select>
        <input name="pain-nprs" type="number">
      </form></body></html>"""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"])
        try:
            page = browser.new_page()
            page.set_content(page_html)
            page.add_style_tag(path=str(ROOT / "static" / "css" / "body_chart.css"))
            page.add_script_tag(path=str(ROOT / "static" / "js" / "body_chart.js"))
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))

            lumbar = page.locator('.bc-back [data-zone="lumbar"][data-side="right"]')
            lumbar.click()
            assert page.input_value('[name="pain-zone"]') == "lumbar"
            assert page.input_value('[name="pain-side"]') == "right"
            assert page.text_content("[data-body-chart-status]") == "Selected: Low back (lumbar), right"
            assert lumbar.get_attribute("aria-pressed") == "true" and "selected" in (
                lumbar.get_attribute("class") or ""
            )
            assert page.evaluate("document.activeElement.name") == "pain-nprs"

            # keyboard: focus a midline zone and press Enter; the previous choice is released, the marked calf stays
            abdomen = page.locator('[data-zone="abdomen"]')
            abdomen.focus()
            page.keyboard.press("Enter")
            assert page.input_value('[name="pain-zone"]') == "abdomen"
            assert page.input_value('[name="pain-side"]') == "midline"
            assert lumbar.get_attribute("aria-pressed") == "false"
            assert "selected" not in (lumbar.get_attribute("class") or "")
            calf = page.locator('.bc-back [data-zone="calf"][data-side="left"]')
            assert calf.get_attribute("aria-pressed") == "true"
            assert page.locator(".zone.selected").count() == 1

            # Space works too, and the chart keeps working after its markup is swapped (as htmx does)
            page.evaluate("document.getElementById('panel').innerHTML = document.getElementById('panel').innerHTML")
            page.locator('.bc-front [data-zone="temple"][data-side="left"]').focus()
            page.keyboard.press(" ")
            assert page.input_value('[name="pain-zone"]') == "temple"
            assert page.input_value('[name="pain-side"]') == "left"
            assert errors == []
        finally:
            browser.close()


def test_outline_polygons_have_no_stray_jumps():
    # consecutive points of every silhouette polygon are close: no point went astray
    for view in ("front", "back"):
        for polygon in OUTLINE[view]:
            for a, b in pairwise([*polygon, polygon[0]]):
                assert ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 < 16, view
