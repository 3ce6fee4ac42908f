"""Charts drawn on the server as SVG with leather, inline in the page, each with words and a table.

leather writes presentation attributes only (no <style>, no script), so a chart sits inline under
our strict Content-Security-Policy and needs no extra request. Every chart carries a <title> and a
<desc> that says what it shows in words; the page puts the same figures in a table beneath it.
"""

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

import leather
from markupsafe import Markup

# Drawn for a phone first: at 320 px wide the chart shows at about its own size, so text stays
# readable; on a wider screen the stylesheet caps how far it grows.
WIDTH = 320
BAR_HEIGHT = 30
CHROME_HEIGHT = 48  # the axis and its numbers below the bars
LABEL_CHARACTERS = 18  # longer labels are shortened in the chart; the table has them whole

FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
INK, MUTED, GRID, BAR = "#1f2328", "#4a5259", "#d8dadb", "#0b5560"

for name, value in {
    "background_color": "#ffffff",
    "default_series_colors": [BAR],
    "tick_font_family": FONT,
    "tick_font_size": 13,
    "tick_font_char_width": 7,
    "label_color": INK,
    "tick_color": GRID,
    "zero_color": MUTED,
    "margin": 0.03,
}.items():
    setattr(leather.theme, name, value)


@dataclass(frozen=True)
class Chart:
    """A chart ready for a page: its caption, its words for those who cannot see it, its SVG."""

    title: str
    description: str
    bars: tuple[tuple[str, int | float], ...]
    unit: str
    svg: Markup


def bar_chart(title: str, bars: Sequence[tuple[str, int | float]], *, unit: str) -> Chart:
    """Horizontal bars, largest first as given; unit names what is counted ("groups")."""
    bars = tuple(bars)
    description = "; ".join(f"{label}: {counted(value, unit)}" for label, value in bars)
    return Chart(title, description, bars, unit, _svg(title, description, bars))


def counted(value: int | float, unit: str) -> str:
    """'4 groups', '1 group'."""
    return f"{number_text(value)} {unit.removesuffix('s') if value == 1 else unit}"


def number_text(value: int | float) -> str:
    """'1,234'; '7.5'; '13' for 13.0."""
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}".removesuffix(".0")


def _svg(title: str, description: str, bars: tuple[tuple[str, int | float], ...]) -> Markup:
    if not bars:
        return Markup("")
    height = CHROME_HEIGHT + BAR_HEIGHT * len(bars)
    chart = leather.Chart()
    chart.add_bars([(value, short(label)) for label, value in bars])
    axis = ticks(max(value for _, value in bars))
    chart.add_x_scale(0, axis[-1])
    chart.add_x_axis(ticks=axis, tick_formatter=lambda value, *_: f"{value:g}")
    root = ET.Element(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {WIDTH} {height}",
        role="img",
        focusable="false",
    )
    ET.SubElement(root, "title").text = title
    ET.SubElement(root, "desc").text = description
    root.append(chart.to_svg_group(WIDTH, height))
    return Markup(ET.tostring(root, encoding="unicode"))


def short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def ticks(top: float) -> list[float]:
    """Up to five round numbers from 0 to at least top, a step of 1, 2 or 5 times a power of ten."""
    rough_step = max(top, 1) / 4
    power = 10 ** math.floor(math.log10(rough_step))
    step = next(nice * power for nice in (1, 2, 5, 10) if nice * power >= rough_step)
    step = max(step, 1)  # counts of groups are whole numbers
    return [step * index for index in range(math.ceil(top / step) + 1 if top > 0 else 2)]
