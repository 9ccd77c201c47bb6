"""The README stays a quick start and every relative link in it and in docs/ leads somewhere.

A newcomer lands on README.md (the page a repository browser and `pip show` show) and follows
its links into docs/: a link to a moved page or a renamed heading is a dead end they cannot
report, so it fails here. Markdown is parsed with markdown-it (CommonMark plus tables, as GitHub
renders it), so links inside code blocks and code spans are not mistaken for links.
"""
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
MAX_README_LINES = 300

_markdown = MarkdownIt("commonmark").enable("table")
_GITHUB_LINE_ANCHOR = re.compile(r"L(\d+)(?:-L(\d+))?")


def _tokens(path: Path):
    """Every token of the page, inline children included, in document order."""
    def walk(tokens):
        for token in tokens:
            yield token
            if token.children:
                yield from walk(token.children)
    return list(walk(_markdown.parse(path.read_text(encoding="utf-8"))))


class _HtmlTargets(HTMLParser):
    """href/src of raw HTML (<a>, <img>) written into the markdown."""

    def __init__(self):
        super().__init__()
        self.targets = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)


def _link_targets(path: Path) -> list[str]:
    targets = []
    html = _HtmlTargets()
    for token in _tokens(path):
        if token.type == "link_open":
            targets.append(token.attrs["href"])
        elif token.type == "image":
            targets.append(token.attrs["src"])
        elif token.type in ("html_inline", "html_block"):
            html.feed(token.content)
    return targets + html.targets


def github_slug(text: str) -> str:
    """GitHub's heading anchor (github-slugger): lower case, punctuation other than '-' and '_'
    dropped, each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def _heading_anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the page's headings; a repeated slug gets -1, -2, …"""
    anchors, seen = set(), {}
    tokens = _tokens(path)
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = next(t for t in tokens[i + 1:] if t.type == "inline")
        text = "".join(child.content for child in inline.children if child.type in ("text", "code_inline"))
        slug = github_slug(text)
        anchors.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return anchors


def _broken(page: Path, target: str) -> str | None:
    """Why a relative link from `page` does not resolve, or None when it does."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None                         # an absolute URL: not ours to check offline
    file = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    if not file.is_relative_to(ROOT):
        return f"{target}: leaves the repository"
    if not file.exists():
        return f"{target}: no such file {file.relative_to(ROOT)}"
    anchor = unquote(parts.fragment)
    if not anchor:
        return None
    if file.suffix == ".md":
        if anchor not in _heading_anchors(file):
            return f"{target}: no heading with anchor #{anchor} in {file.relative_to(ROOT)}"
        return None
    lines = _GITHUB_LINE_ANCHOR.fullmatch(anchor)
    if lines and file.is_file():
        line_count = len(file.read_text(encoding="utf-8").splitlines())
        if all(int(n) <= line_count for n in lines.groups() if n):
            return None
    return f"{target}: #{anchor} names no heading or line of {file.relative_to(ROOT)}"


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_relative_link_and_image_resolves(page):
    targets = _link_targets(page)
    assert targets, f"{page.name} links nowhere: the pages are meant to lead to each other"
    broken = [reason for target in targets if (reason := _broken(page, target))]
    assert not broken, "broken links in " + page.name + ":\n" + "\n".join(broken)


def test_the_readme_links_every_docs_page():
    linked = {(README.parent / urlsplit(t).path).resolve() for t in _link_targets(README) if not urlsplit(t).scheme}
    pages = {p.resolve() for p in PAGES[1:]}
    assert sorted(p.name for p in pages - linked) == []


def test_github_slug_follows_githubs_rules():
    assert github_slug("The control plane (/_emulator)") == "the-control-plane-_emulator"
    assert github_slug("Fidelity notes: request journal and interception") == \
        "fidelity-notes-request-journal-and-interception"
    assert github_slug("At 100,000 profiles") == "at-100000-profiles"
    assert github_slug("One contract suite, four transports") == "one-contract-suite-four-transports"


def test_a_repeated_heading_gets_a_numbered_anchor(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Notes\n\n## Notes\n\n## `Notes`\n")
    assert _heading_anchors(page) == {"notes", "notes-1", "notes-2"}


def test_a_link_to_a_missing_file_or_heading_is_reported():
    assert _broken(ROOT / "docs" / "x.md", "../README.md") is None
    assert _broken(ROOT / "docs" / "x.md", "missing.md") == "missing.md: no such file docs/missing.md"
    assert _broken(ROOT / "x.md", "README.md#no-such-heading") == \
        "README.md#no-such-heading: no heading with anchor #no-such-heading in README.md"
    assert _broken(ROOT / "x.md", "../outside.md") == "../outside.md: leaves the repository"
    assert _broken(ROOT / "x.md", "https://example.com/gone") is None


def test_the_readme_is_a_short_quick_start():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES


def test_the_readme_starts_with_the_run_command_and_the_ci_test_command():
    """Its first two code blocks, before any section: install-and-run, and install-and-test,
    the latter byte for byte the command `.ci/run` runs."""
    ci_command = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines() if line.strip()][-1]
    tokens = _tokens(README)
    first_section = next(i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2")
    fences = [t for t in tokens if t.type == "fence"]
    run, test = fences[0], fences[1]
    assert tokens.index(test) < first_section
    assert (run.info, test.info) == ("sh", "sh")
    assert run.content == "python3 -m venv .venv && . .venv/bin/activate && pip install . && martech-emulator serve\n"
    assert test.content == ci_command + "\n"
    assert ci_command.endswith("pip install '.[test]' && python -m pytest -n 2")
