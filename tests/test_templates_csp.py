"""Templates stay ready for a strict Content Security Policy: no inline scripts, no inline styles,
and every {% static %} file they name exists (so a vendored upgrade cannot leave a dead path)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

TEMPLATES = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
STATIC_TAG = re.compile(r"""{%\s*static\s+["']([^"']+)["']\s*%}""")
COMMENTS = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL)


def markup(template: Path) -> str:
    """The template without its Django comments (which may well mention <script> or <style>)."""
    return COMMENTS.sub("", template.read_text())


def relative(path: Path) -> str:
    return str(path.relative_to(settings.BASE_DIR))


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 5


@pytest.mark.parametrize("template", TEMPLATES, ids=relative)
def test_no_inline_script(template):
    for attributes in SCRIPT_TAG.findall(markup(template)):
        assert "src=" in attributes or 'type="application/json"' in attributes, (
            f"{relative(template)}: inline <script{attributes}>: move it to a static file"
        )


@pytest.mark.parametrize("template", TEMPLATES, ids=relative)
def test_no_inline_style_or_event_handler(template):
    text = markup(template)
    assert not STYLE_ATTRIBUTE.search(text), f'{relative(template)}: style="" attribute'
    assert not STYLE_ELEMENT.search(text), f"{relative(template)}: <style> element"
    assert not EVENT_HANDLER.search(text), f'{relative(template)}: on...="" event handler'


@pytest.mark.parametrize("template", TEMPLATES, ids=relative)
def test_static_files_named_exist(template):
    for path in STATIC_TAG.findall(markup(template)):
        assert finders.find(path), f"{relative(template)}: no static file {path}"


def test_the_scan_catches_what_it_should(tmp_path):
    bad = '<script>alert(1)</script><p style="color: red" onclick="x()">'
    good = '<script src="/a.js" defer></script><script id="d" type="application/json">{}</script>'
    assert not all("src=" in a or "application/json" in a for a in SCRIPT_TAG.findall(bad))
    assert all("src=" in a or "application/json" in a for a in SCRIPT_TAG.findall(good))
    assert STYLE_ATTRIBUTE.search(bad) and EVENT_HANDLER.search(bad)
    assert COMMENTS.sub("", "{# a <style> #}{% comment %}<script>{% endcomment %}x") == "x"


def test_no_template_has_a_comment_django_would_print():
    """Django's {# #} comments end on their own line; one spread over lines shows on the page."""
    broken = [
        f"{path.name}:{number}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line
    ]
    assert not broken, "multi-line {# #} comments (use {% comment %}): " + ", ".join(broken)
