# SPDX-License-Identifier: GPL-2.0
"""What both halves of make bench share: statistics, tables, plots.

A sample is one measurement with the floor it is divided by, measured in
the same run (the same boot, the same process):

    {"figure": "...", "unit": "...", "policy": "...", "round": N,
     "value": x, "floor": y or None, "floor_name": "..."}

summarize() gives, per figure and policy, the median of the values and
their spread (min and max), the median of value / floor with its spread,
and the ratio to a reference policy (upstream): per round, the median of
the policy's values over the reference's of the same round.
"""
import os
import shutil
import subprocess


def median(xs):
    s = sorted(xs)
    n = len(s)
    if not n:
        return None
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def spread(xs):
    """(min, max) of xs, or None."""
    return (min(xs), max(xs)) if xs else None


def _ratio(a, b):
    return a / b if a is not None and b else None


def summarize(samples, ref="upstream"):
    """[{figure, unit, policy, n, median, min, max, floor_name, floor,
    x_floor, x_floor_min, x_floor_max, x_ref, x_ref_min, x_ref_max}]"""
    order, groups = [], {}
    for s in samples:
        k = (s["figure"], s["policy"])
        if k not in groups:
            order.append(k)
            groups[k] = []
        groups[k].append(s)
    out = []
    for fig, pol in order:
        g = groups[(fig, pol)]
        vals = [s["value"] for s in g]
        floors = [s["floor"] for s in g if s.get("floor") is not None]
        xf = [s["value"] / s["floor"] for s in g if s.get("floor")]
        r = {"figure": fig, "unit": g[0]["unit"], "policy": pol,
             "n": len(vals), "median": median(vals),
             "min": min(vals), "max": max(vals),
             "floor_name": g[0].get("floor_name"),
             "floor": median(floors), "x_floor": median(xf),
             "x_floor_min": min(xf) if xf else None,
             "x_floor_max": max(xf) if xf else None,
             "x_ref": None, "x_ref_min": None, "x_ref_max": None}
        refs = groups.get((fig, ref))
        if refs is not None:
            per_round = []
            for rnd in sorted({s["round"] for s in g}):
                mine = [s["value"] for s in g if s["round"] == rnd]
                theirs = [s["value"] for s in refs if s["round"] == rnd]
                x = _ratio(median(mine), median(theirs))
                if x is not None:
                    per_round.append(x)
            if per_round:
                r["x_ref"] = median(per_round)
                r["x_ref_min"], r["x_ref_max"] = spread(per_round)
        out.append(r)
    return out


def fmt(x, digits=3):
    if x is None:
        return "-"
    if abs(x) >= 1000:
        return "%.0f" % x
    return "%.*g" % (digits, x)


def pm(r, key="median", lo="min", hi="max"):
    """x (lo-hi) as a relative spread: '12.3 ±4%'."""
    m = r[key]
    if m in (None, 0) or r[lo] is None:
        return fmt(m)
    half = (r[hi] - r[lo]) / 2 / abs(m) * 100
    return "%s ±%.0f%%" % (fmt(m), half)


def rows_for(summary, policies, ref="upstream"):
    """Rows: figure, unit, floor, then per policy
    'median ±half the spread, x its floor, x ref' (LEGEND)."""
    figs = []
    for r in summary:
        if r["figure"] not in figs:
            figs.append(r["figure"])
    by = {(r["figure"], r["policy"]): r for r in summary}
    rows = []
    for f in figs:
        any_r = next(r for r in summary if r["figure"] == f)
        row = [f, any_r["unit"], any_r["floor_name"] or "-"]
        for p in policies:
            r = by.get((f, p))
            if r is None:
                row.append("n/a")
                continue
            cell = pm(r)
            if r["x_floor"] is not None:
                cell += ", x%s" % fmt(r["x_floor"])
            if r["x_ref"] is not None and p != ref:
                cell += ", x%s" % fmt(r["x_ref"])
            row.append(cell)
        rows.append(row)
    return ["figure", "unit", "floor"] + policies, rows


LEGEND = ("cell: median ±half the spread, x the floor of the same run, "
          "x upstream of the same round")


def text_table(header, rows):
    w = [max(len(str(x[i])) for x in [header] + rows)
         for i in range(len(header))]
    line = lambda r: "  ".join("%-*s" % (w[i], c)
                               for i, c in enumerate(r)).rstrip()
    return "\n".join([line(header), "-" * len(line(header))] +
                     [line(r) for r in rows])


def md_table(header, rows):
    esc = lambda c: str(c).replace("|", "\\|")
    out = ["| " + " | ".join(header) + " |",
           "|" + "---|" * len(header)]
    out += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def gnuplot(script, data, png):
    """Run gnuplot with @script on @data files ({name: text}); no gnuplot,
    no plot (say so)."""
    if not shutil.which("gnuplot"):
        return "gnuplot is not installed: no " + os.path.basename(png)
    d = os.path.dirname(os.path.abspath(png))
    os.makedirs(d, exist_ok=True)
    paths = {}
    for name, text in data.items():
        paths[name] = os.path.join(d, ".%s.dat" % name)
        with open(paths[name], "w") as f:
            f.write(text)
    full = ("set terminal pngcairo size 900,500 font 'sans,10' noenhanced\n"
            "set output '%s'\n" % png) + script.format(**paths)
    try:
        p = subprocess.run(["gnuplot"], input=full.encode(), timeout=60,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    finally:
        for path in paths.values():
            os.unlink(path)
    if p.returncode:
        return "gnuplot failed: " + p.stdout.decode(errors="replace")
    return None


def _data(head, xs, series):
    """gnuplot's data: a row per x, a column per series, '?' if missing."""
    text = head + " " + " ".join(series) + "\n"
    for i, x in enumerate(xs):
        text += "%s " % x + " ".join(
            fmt(ys[i], 6) if ys[i] is not None else "?"
            for ys in series.values()) + "\n"
    return text


def bars(png, title, ylabel, labels, series, logscale=False):
    """Clustered bars: labels on x, one bar per series {name: [y]}."""
    names = list(series)
    text = _data("label", ['"%s"' % l for l in labels], series)
    script = ("set title '%s'\nset ylabel '%s'\nset style data histograms\n"
              "set style histogram clustered gap 1\nset style fill solid 0.8"
              " border -1\nset key outside right top\nset grid ytics\n"
              "set xtics rotate by -30\nset datafile missing '?'\n"
              "set yrange [0:*]\n" % (title, ylabel))
    if logscale:
        script += "set logscale y\nset yrange [*:*]\n"
    script += "plot " + ", ".join(
        "'{d}' using %d:xtic(1) title '%s'" % (i + 2, n)
        for i, n in enumerate(names)) + "\n"
    return gnuplot(script, {"d": text}, png)


def lines(png, title, xlabel, ylabel, xs, series, logx=True):
    names = list(series)
    text = _data("x", xs, series)
    script = ("set title '%s'\nset xlabel '%s'\nset ylabel '%s'\n"
              "set key outside right top\nset grid\n"
              "set datafile missing '?'\n" % (title, xlabel, ylabel))
    if logx:
        script += "set logscale x 2\n"
    script += "plot " + ", ".join(
        "'{d}' using 1:%d with linespoints title '%s'" % (i + 2, n)
        for i, n in enumerate(names)) + "\n"
    return gnuplot(script, {"d": text}, png)


def plots_rel(plots, md):
    """The plots' directory as the report (md, or none) will link it."""
    return os.path.relpath(plots, os.path.dirname(os.path.abspath(md))
                           if md else os.getcwd())


def made(results, rel, who):
    """The paths (relative to the report, rel) of the plots made; print
    why any was not."""
    out = []
    for m in results:
        if m.endswith(".png"):
            out.append(os.path.join(rel, os.path.basename(m)))
        else:
            print("%s: %s" % (who, m))
    return out
