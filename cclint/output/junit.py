"""`--format junit`: JUnit XML, read by CI test views and course autograders.

One <testsuite> per file; one <testcase> per finding, failed when the finding reaches the
file's --fail-on level (lower ones pass, their text in <system-out>); a clean file has one
passing test case; an unreadable file is an <error>. Everything from a script goes through
the XML writer (so `<`, `&` and quotes are escaped), and characters XML 1.0 cannot hold
become U+FFFD.
"""

from __future__ import annotations

from cclint.output import Report, display_path, xml_safe


def build(report: Report):
    import xml.etree.ElementTree as ET

    root = ET.Element("testsuites", name="cclint")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for result in report.results:
        path = xml_safe(display_path(result.path))
        suite = ET.SubElement(root, "testsuite", name=path)
        counts = {"tests": 0, "failures": 0, "errors": 0}
        if result.error:
            case = ET.SubElement(suite, "testcase", name="read", classname=path, file=path)
            ET.SubElement(case, "error", message=xml_safe(result.error), type="unreadable")
            counts["tests"] += 1
            counts["errors"] += 1
        elif not result.diagnostics:
            ET.SubElement(suite, "testcase", name="no problems", classname=path, file=path)
            counts["tests"] += 1
        for d in result.diagnostics:
            name = xml_safe(f"{d.code} {d.rule} at {d.line}:{d.column}")
            case = ET.SubElement(suite, "testcase", name=name, classname=path, file=path, line=str(d.line))
            text = xml_safe(f"{display_path(d.path)}:{d.line}:{d.column}: {d.severity.label}: {d.message}\n"
                            f"fix: {d.fix}")
            counts["tests"] += 1
            if report.failing(result, d):
                failure = ET.SubElement(case, "failure", message=xml_safe(d.message),
                                        type=xml_safe(f"{d.code} {d.rule} ({d.severity.label})"))
                failure.text = text
                counts["failures"] += 1
            else:
                ET.SubElement(case, "system-out").text = text
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    return root


def render(report: Report, stream, color: bool = False) -> None:
    import xml.etree.ElementTree as ET

    root = build(report)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
