"""Read a saved web page (.html, .htm) into blocks, leaving out the site around the content.

The page is decoded by its own declaration (BOM, `<meta charset>`, XML declaration; cp1252 when
undeclared bytes are not UTF-8, as browsers do), parsed by the standard library's tolerant
parser into a small tree (tag soup allowed: unclosed `<p>` and `<li>`), and walked: headings,
paragraphs (split at `<br>`), list items, `<dl>` pairs, captions and data tables become blocks;
scripts, forms, navigation, headers, footers, breadcrumbs and tab bars are skipped, and tables
that lay out a page (holding headings or other tables) are read as containers.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ingest.blocks import Block, TableRow
from ingest.errors import IngestError

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr"}
_SKIP = {"script", "style", "noscript", "template", "head", "title", "nav", "header", "footer", "aside", "form",
         "select", "button", "iframe", "svg", "object", "map", "textarea"}
_SKIP_NAMES = {"wm", "wayback", "nav", "navigation", "navbar", "menu", "header", "footer", "breadcrumb",
               "breadcrumbs", "crumbs", "crumb", "skip", "sidebar", "leftnav", "rightnav", "sitename", "banner",
               "masthead", "cookie", "search", "tabs", "toolbar", "share", "social", "topnav", "subnav",
               "skiplinks"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr",
          "td", "th", "thead", "tbody", "tfoot", "blockquote", "section", "article", "main", "figure",
          "figcaption", "pre", "address", "center", "caption", "hr"}
#: Start tags that close an open element first (HTML's implied end tags).
_CLOSES = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr", "td", "th"},
           "td": {"td", "th"}, "th": {"td", "th"}, "option": {"option"}}
_SCOPE = {"ul", "ol", "table", "dl", "tr", "body", "div", "td", "th"}
#: Deepest nesting kept: tag soup that never closes its `<font>` is read flat past it.
_MAX_DEPTH = 200
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""")
_SPACES = re.compile(r"\s+")
_CAPTION_CLASS = re.compile(r"\b(?:caption|photo-?caption|figure-?caption|credit|imagecaption)\b", re.IGNORECASE)
#: Labels web browsers treat as windows-1252 (WHATWG encoding standard).
_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252",
           "x-cp1252", "iso_8859-1"}


def decode_html(path: str, data: bytes) -> str:
    """Decode a page's bytes by its BOM or declaration, else UTF-8, else windows-1252.

    >>> decode_html("p.html", b'<meta charset="windows-1252"><p>\\x93quoted\\x94 \\xa33</p>')
    '<meta charset="windows-1252"><p>\\u201cquoted\\u201d \\xa33</p>'
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name, errors="replace")
    head = data[:4096]
    declared = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if declared:
        name = declared.group(1).decode("ascii").lower()
        if name in _CP1252:
            name = "cp1252"
        try:
            if not codecs.lookup(name)._is_text_encoding:
                raise LookupError(name)
        except LookupError:
            raise IngestError(path, f"the page declares the character encoding {name!r}, which is not a known "
                                    "encoding; save it as UTF-8") from None
        if name.startswith("utf-16"):
            name = "utf-8"  # a page read from bytes that declares UTF-16 without a BOM is not UTF-16
        return data.decode(name, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


@dataclass
class Node:
    """An element of the page: its tag, attributes and children (nodes or text)."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        """Return the element's text, with `<br>` and block boundaries as newlines."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br" or child.tag in _BLOCK:
                parts.append("\n" + child.text() + "\n")
            elif child.tag not in _SKIP:
                parts.append(child.text())
        return "".join(parts)

    def find(self, tags: set[str]) -> bool:
        """Tell whether any descendant has one of these tags."""
        return any(isinstance(c, Node) and (c.tag in tags or c.find(tags)) for c in self.children)


class _TreeBuilder(HTMLParser):
    """Builds a Node tree, closing what HTML closes implicitly."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("document", {})
        self.stack = [self.root]
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        closes = _CLOSES.get(tag, set())
        if tag in _BLOCK:  # a block closes an open <p>, through any inline elements left open in it
            for index in range(len(self.stack) - 1, 0, -1):
                if self.stack[index].tag == "p":
                    del self.stack[index:]
                    break
                if self.stack[index].tag in _BLOCK:
                    break
        lowest = None
        for index in range(len(self.stack) - 1, 0, -1):
            open_tag = self.stack[index].tag
            if open_tag in closes:
                lowest = index
            elif open_tag in _SCOPE:
                break
        if lowest is not None:
            del self.stack[lowest:]
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:  # deeper tag soup is read flat
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if self.stack[-1].tag == "title":
            self.title += data
        self.stack[-1].children.append(data)


def read_html(path: str, data: bytes) -> list[Block]:
    """Read a web page's bytes into blocks (IngestError if it declares an unknown encoding)."""
    builder = _TreeBuilder()
    builder.feed(decode_html(path, data))
    builder.close()
    walker = _Walker()
    walker.walk(builder.root)
    return _choose_title(walker.blocks, _one_line(builder.title))


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _is_skipped(node: Node) -> bool:
    """Tell whether an element is the site around the content (by its tag, id, class or role)."""
    if node.tag in _SKIP:
        return True
    if node.tag in ("html", "body", "main", "article"):  # `<body class="one-sidebar">` describes the page
        return False
    names = re.split(r"[\s_\-]+", (node.attrs.get("id", "") + " " + node.attrs.get("class", "")).lower())
    return bool(_SKIP_NAMES.intersection(names)) or node.attrs.get("role") in ("navigation", "banner",
                                                                                  "contentinfo", "search")


class _Walker:
    """Turns the tree into blocks in reading order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._inline: list[str] = []

    def walk(self, node: Node, depth: int = 0) -> None:
        """Turn a node's children into blocks; `depth` is the list nesting they sit in."""
        for child in node.children:
            if isinstance(child, str):
                self._inline.append(child)
                continue
            if _is_skipped(child):
                continue
            if child.tag in ("p", "div", "span") and _CAPTION_CLASS.search(child.attrs.get("class", "")):
                self._flush()
                self._add("caption", child.text())
                continue
            if child.tag == "br":
                self._inline.append("\n")
            elif child.tag not in _BLOCK:
                if child.tag in ("small", "figcaption"):
                    self._flush()
                    self._add("caption", child.text())
                elif child.tag != "img":
                    self.walk(child, depth)
            else:
                self._flush()
                self._block(child, depth)
                self._flush()

    def _block(self, node: Node, depth: int) -> None:
        if node.tag in _HEADINGS:
            self._add("heading", node.text(), level=_HEADINGS[node.tag])
        elif node.tag == "li":
            nested = [c for c in node.children if isinstance(c, Node) and c.tag in ("ul", "ol")]
            own = Node("li", {}, [c for c in node.children if c not in nested])
            self._add("item", own.text(), level=depth + 1)
            for sub in nested:
                self.walk(sub, depth + 1)
        elif node.tag in ("ul", "ol"):
            self.walk(node, depth)
        elif node.tag == "dl":
            self._definitions(node)
        elif node.tag == "table" and not node.find({"h1", "h2", "h3", "h4", "h5", "h6", "table", "form"}):
            self._table(node)
        elif node.tag == "figcaption":
            self._add("caption", node.text())
        else:
            self.walk(node, depth)

    def _definitions(self, node: Node) -> None:
        """Read a `<dl>` as field pairs: each `<dd>` under the `<dt>` before it (also inside `<div>`s)."""
        label = ""
        for child in _descendants(node, {"dt", "dd"}):
            if child.tag == "dt":
                label = _one_line(child.text())
            else:
                self.blocks.append(Block("field", _lines(child.text()), label=label.rstrip(":")))

    def _table(self, node: Node) -> None:
        """Read a data table row by row; a cell spanning columns fills the first, one spanning rows repeats."""
        caption = next((c for c in node.children if isinstance(c, Node) and c.tag == "caption"), None)
        if caption is not None:
            self._add("paragraph", caption.text())
        rows: list[TableRow] = []
        below: dict[int, tuple[str, int]] = {}  # column -> (text, rows it still covers)
        for tr, in_head in _rows(node):
            cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]
            if not cells:
                continue
            texts: list[str] = []
            for cell in cells:
                while len(texts) in below:
                    texts.append(self._covered(below, len(texts)))
                span, down = _int(cell.attrs.get("colspan", "1")), _int(cell.attrs.get("rowspan", "1"))
                if down > 1:
                    below[len(texts)] = (_lines(cell.text()), down - 1)
                texts.extend([_lines(cell.text())] + [""] * (span - 1))
            while len(texts) in below:
                texts.append(self._covered(below, len(texts)))
            header = in_head or all(cell.tag == "th" for cell in cells)
            rows.append(TableRow(tuple(texts), header=header))
        if rows:
            self.blocks.append(Block("table", rows=tuple(rows)))

    @staticmethod
    def _covered(below: dict[int, tuple[str, int]], column: int) -> str:
        """Return the text of a cell from a row above that spans down into this row."""
        text, left = below.pop(column)
        if left > 1:
            below[column] = (text, left - 1)
        return text

    def _flush(self) -> None:
        text = "".join(self._inline)
        self._inline = []
        for line in text.split("\n"):
            self._add("paragraph", line)

    def _add(self, kind: str, text: str, level: int = 0) -> None:
        text = _one_line(text)
        if text:
            self.blocks.append(Block(kind, text, level=level))


def _descendants(node: Node, tags: set[str]) -> list[Node]:
    """Return the descendants with these tags, in document order, not looking inside them."""
    found: list[Node] = []
    for child in node.children:
        if isinstance(child, Node):
            found.extend([child] if child.tag in tags else _descendants(child, tags))
    return found


def _rows(table: Node) -> list[tuple[Node, bool]]:
    """Return a table's rows in order, each with whether it sits in `<thead>`."""
    rows: list[tuple[Node, bool]] = []
    for child in table.children:
        if isinstance(child, Node) and child.tag == "tr":
            rows.append((child, False))
        elif isinstance(child, Node) and child.tag in ("thead", "tbody", "tfoot"):
            rows.extend((tr, child.tag == "thead") for tr in child.children
                        if isinstance(tr, Node) and tr.tag == "tr")
    return rows


def _lines(text: str) -> str:
    """Collapse spaces within lines and drop empty lines."""
    return "\n".join(line for line in (_one_line(part) for part in text.split("\n")) if line)


def _int(text: str) -> int:
    return min(int(text), 50) if text.strip().isdigit() else 1


def _choose_title(blocks: list[Block], page_title: str) -> list[Block]:
    """Mark the page's title: its first `<h1>`, or the `<h2>` right after a banner `<h1>`.

    The `<title>` element (up to a `|` or ` - ` separator) leads the blocks as a paragraph: the
    summary reader falls back on it when the heading only says what the page is (`About us`).
    """
    lead = re.split(r"\s+[|\u2013\u2014-]\s+|\s*\|\s*", page_title)[0].strip() if page_title else ""
    headings = [i for i, b in enumerate(blocks) if b.kind == "heading" and b.level <= 2]
    if not headings:
        return ([Block("title", lead)] if lead else []) + blocks
    first = headings[0]
    following = first + 1
    if (blocks[first].level == 1 and following < len(blocks) and blocks[following].kind == "heading"
            and blocks[following].level == 2):
        del blocks[first]  # a site banner in <h1>, the DP's name in the <h2> under it
    blocks[first] = Block("title", blocks[first].text, level=blocks[first].level)
    site_cut = re.split(r"\s*\|\s*", page_title)[0].strip() if page_title else ""  # `DP page | Site name`
    return ([Block("paragraph", site_cut)] if site_cut else []) + blocks
