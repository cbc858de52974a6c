"""Outline: the book's tree, from the notes' ``parent`` and ``child`` fields.

Takes the notes, the name index and the config; returns an `Outline` (the tree, the notes
left out with their reason, and diagnostics).

* A note's parent comes from its own ``parent`` field or from a ``child:`` list that names
  it; either is enough. When they disagree, the ``parent`` field wins (with a warning).
* The root is the config's ``root``, else the one note that has children and no parent.
* Children come first in the order of the parent's ``child:`` list, then by ``order:``,
  then by title in French collation.
* Cycles, self-parents, unknown parents and several parents are reported; nothing hangs:
  every walk is iterative and marks what it has seen.
* Notes not reachable from the root are left out, each with its reason (a warning), but
  for source notes outside the tree: they are the bibliography's entries, not chapters.
* A vault where no note declares a parent or children is laid out by its folders instead:
  a folder is a chapter, opened by the note named like the folder, or ``index``/``README``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .bibliography.sources import is_source_note
from .collation import french_sort_key
from .config import BookConfig
from .diagnostics import Diagnostic, error, warning
from .model import Exclusion, Node, Note, NoteRef, Outline
from .names import NameIndex, ambiguity_warning, normalize_name

FOLDER_NOTE_NAMES = ("index", "readme")


def _sibling_key(note: Note) -> tuple:
    return (note.order is None, note.order or 0.0, french_sort_key(note.title), note.path)


class _Relations:
    """Resolves every note's parent once, collecting what is wrong on the way."""

    def __init__(self, notes: Sequence[Note], index: NameIndex):
        self.notes = notes
        self.index = index
        self.diagnostics: list[Diagnostic] = []
        self.parent: dict[str, Note] = {}  # note path -> chosen parent
        self.unknown_parent: dict[str, NoteRef] = {}
        self.child_rank: dict[tuple[str, str], int] = {}  # (parent path, child path) -> position
        self._resolve()

    def _lookup(self, ref: NoteRef, note: Note) -> Note | None:
        found = self.index.resolve(ref.target, note.path)
        if found.ambiguous:
            self.diagnostics.append(ambiguity_warning(ref.target, found, note.path, ref.line))
        return found.note

    def _resolve(self) -> None:
        listed_by: dict[str, list[Note]] = defaultdict(list)
        declared: dict[str, Note] = {}
        for note in self.notes:
            parents = []
            for ref in note.parents:
                target = self._lookup(ref, note)
                if target is None:
                    self.unknown_parent.setdefault(note.path, ref)
                    self.diagnostics.append(warning(
                        "outline.unknown-parent", f"parent [[{ref.target}]] matches no note", note.path, ref.line))
                elif target is note:
                    self.diagnostics.append(warning(
                        "outline.self-parent", "the note names itself as its parent; ignored", note.path, ref.line))
                elif target not in parents:
                    parents.append(target)
            if len(parents) > 1:
                self.diagnostics.append(warning(
                    "outline.multiple-parents",
                    f"{len(parents)} parents are named ({_titles(parents)}); the first, "
                    f"'{parents[0].title}', is used", note.path, note.parents[0].line))
            if parents:
                declared[note.path] = parents[0]
            for position, ref in enumerate(note.children):
                child = self._lookup(ref, note)
                if child is None:
                    self.diagnostics.append(warning(
                        "outline.unknown-child", f"child [[{ref.target}]] matches no note", note.path, ref.line))
                elif child is note:
                    self.diagnostics.append(warning(
                        "outline.self-parent", "the note lists itself as its own child; ignored", note.path, ref.line))
                elif (note.path, child.path) not in self.child_rank:
                    self.child_rank[(note.path, child.path)] = position
                    listed_by[child.path].append(note)
        for note in self.notes:
            listers = listed_by.get(note.path, [])
            own = declared.get(note.path)
            if own is not None:
                if listers and own not in listers:
                    self.diagnostics.append(warning(
                        "outline.parent-mismatch",
                        f"parent is '{own.title}', but {_titles(listers)} list{'s' * (len(listers) == 1)} "
                        f"it as a child; '{own.title}' is used", note.path, note.parents[0].line))
                self.parent[note.path] = own
            elif listers:
                if len(listers) > 1:
                    self.diagnostics.append(warning(
                        "outline.multiple-parents",
                        f"listed as a child by {len(listers)} notes ({_titles(listers)}); the first, "
                        f"'{listers[0].title}', is used", note.path, None))
                self.parent[note.path] = listers[0]

    @property
    def any_declared(self) -> bool:
        return bool(self.parent) or bool(self.unknown_parent)


def _titles(notes: Sequence[Note]) -> str:
    return ", ".join(f"'{n.title}'" for n in notes)


def _find_cycles(notes: Sequence[Note], parent: dict[str, Note]) -> tuple[dict[str, list[str]], list[Diagnostic]]:
    """Map each note caught in a parent cycle to the cycle's titles; one warning per cycle."""
    state: dict[str, int] = {}  # 1 = on the current chain, 2 = done
    in_cycle: dict[str, list[str]] = {}
    diagnostics = []
    for start in notes:
        chain: list[Note] = []
        node: Note | None = start
        while node is not None and state.get(node.path) is None:
            state[node.path] = 1
            chain.append(node)
            node = parent.get(node.path)
        if node is not None and state.get(node.path) == 1:
            loop = chain[[n.path for n in chain].index(node.path):]
            titles = [n.title for n in loop] + [loop[0].title]
            for member in loop:
                in_cycle[member.path] = titles
            first = min(loop, key=lambda n: n.path)
            diagnostics.append(warning("outline.cycle", "parent cycle: " + " -> ".join(titles) +
                                       "; these notes are left out", first.path,
                                       first.parents[0].line if first.parents else None))
        for member in chain:
            state[member.path] = 2
    return in_cycle, diagnostics


def _build_tree(top: Note | None, title: str, tops: Sequence[Note],
                children_of: dict[str, list[Note]]) -> Node:
    """Build frozen nodes bottom-up without recursion (hierarchies can be deep)."""
    order: list[Note] = []
    stack = list(tops) if top is None else [top]
    seen: set[str] = set()
    while stack:
        note = stack.pop()
        if note.path in seen:
            continue
        seen.add(note.path)
        order.append(note)
        stack.extend(children_of.get(note.path, ()))
    built: dict[str, Node] = {}
    for note in reversed(order):
        kids = tuple(built[c.path] for c in children_of.get(note.path, ()) if c.path in built)
        built[note.path] = Node(note.title, note, kids)
    if top is not None:
        return built[top.path]
    return Node(title, None, tuple(built[n.path] for n in tops))


def _hierarchy(notes: Sequence[Note], rel: _Relations, root: Note | None, title: str,
               config: BookConfig) -> Outline:
    diagnostics = list(rel.diagnostics)
    parent = dict(rel.parent)
    if root is not None:
        parent.pop(root.path, None)  # the configured root heads the book whatever its own parent
    in_cycle, cycle_warnings = _find_cycles(notes, parent)
    diagnostics.extend(cycle_warnings)
    children_of: dict[str, list[Note]] = defaultdict(list)
    for note in notes:
        if note.path in parent and note.path not in in_cycle:
            children_of[parent[note.path].path].append(note)
    for parent_path, kids in children_of.items():
        kids.sort(key=lambda n: (rel.child_rank.get((parent_path, n.path), len(rel.child_rank)),) + _sibling_key(n))
    tops: list[Note] = []
    if root is None:
        tops = [n for n in notes if n.path not in parent and n.path not in in_cycle and children_of.get(n.path)]
        tops.sort(key=_sibling_key)
        if not tops:
            diagnostics.append(error(
                "outline.no-root",
                "no note can be the book's root: every note that has children also has a parent "
                "(see the cycles above); set 'root' in book.yml"))
        elif len(tops) == 1:
            root = tops[0]
        elif len(tops) > 1:
            diagnostics.append(error(
                "outline.multiple-roots",
                f"{len(tops)} notes have children but no parent, so each could be the book's root: "
                f"{_titles(tops)}; set 'root' in book.yml or give all but one a parent"))
    tree = _build_tree(root, title, tops, children_of)
    placed = {node.note.path for _, node in Outline(tree, "hierarchy").walk() if node.note}
    excluded = []
    for note in notes:
        if note.path in placed:
            continue
        reason = _exclusion_reason(note, rel, parent, in_cycle)
        if reason == _NO_PARENT and is_source_note(note, config.source_types, config.source_prefixes,
                                                   config.literature_folder):
            # a source note outside the tree is what it should be: an entry of the
            # bibliography, not a chapter; the manifest and `tree` say so, no warning
            excluded.append(Exclusion(note.path, SOURCE_REASON))
            continue
        excluded.append(Exclusion(note.path, reason))
        # the parent field that leads nowhere, else the top of the note (nothing names it)
        line = note.parents[0].line if note.parents else 1
        diagnostics.append(warning("outline.unreachable", f"not in the book: {reason}", note.path, line))
    return Outline(tree, "hierarchy", tuple(excluded), tuple(diagnostics))


def _exclusion_reason(note: Note, rel: _Relations, parent: dict[str, Note], in_cycle: dict[str, list[str]]) -> str:
    if note.path in in_cycle:
        return "it is in a parent cycle (" + " -> ".join(in_cycle[note.path]) + ")"
    if note.path in parent:
        return f"its parent '{parent[note.path].title}' is not in the book"
    if note.path in rel.unknown_parent:
        return f"its parent [[{rel.unknown_parent[note.path].target}]] matches no note"
    return _NO_PARENT


_NO_PARENT = "it has no parent, and no note lists it as a child"
SOURCE_REASON = "a source note: an entry of the bibliography, not a chapter"


def _folder_outline(notes: Sequence[Note], title: str) -> Outline:
    """The fallback: the folder tree is the book's tree."""
    by_folder: dict[str, list[Note]] = defaultdict(list)
    folders = {""}
    for note in notes:
        by_folder[note.folder].append(note)
        parts = note.folder.split("/") if note.folder else []
        folders.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    subfolders: dict[str, list[str]] = defaultdict(list)
    for folder in folders - {""}:
        subfolders[folder.rsplit("/", 1)[0] if "/" in folder else ""].append(folder)

    def opening_note(folder: str) -> Note | None:
        name = normalize_name(folder.rsplit("/", 1)[-1]) if folder else None
        candidates = {normalize_name(n.stem): n for n in by_folder.get(folder, ())}
        for wanted in (name, *FOLDER_NOTE_NAMES):
            if wanted and wanted in candidates:
                return candidates[wanted]
        return None

    built: dict[str, Node] = {}
    for folder in sorted(folders, key=lambda f: -f.count("/") - (f != "")):  # deepest first
        opener = opening_note(folder)
        entries: list[tuple[tuple, Node]] = [
            (_sibling_key(n), Node(n.title, n)) for n in by_folder.get(folder, ()) if n is not opener]
        for sub in subfolders.get(folder, ()):
            node = built[sub]
            key = _sibling_key(node.note) if node.note else (True, 0.0, french_sort_key(node.title), sub)
            entries.append((key, node))
        entries.sort(key=lambda pair: pair[0])
        node_title = opener.title if opener else (folder.rsplit("/", 1)[-1] if folder else title)
        built[folder] = Node(node_title, opener, tuple(node for _, node in entries), folder=folder)
    return Outline(built[""], "folders")


def build_outline(notes: Sequence[Note], index: NameIndex, config: BookConfig, default_title: str) -> Outline:
    """Lay the notes out as a book. ``default_title`` names a book with no root note."""
    title = config.title or default_title
    rel = _Relations(notes, index)
    root: Note | None = None
    diagnostics: list[Diagnostic] = []
    if config.root:
        found = index.resolve(config.root)
        if found.note is None:
            diagnostics.append(error("outline.unknown-root", f"the configured root [[{config.root}]] matches no note",
                                     "book.yml"))
        root = found.note
    use_folders = config.outline == "folders" or (config.outline == "auto" and root is None and not rel.any_declared)
    if use_folders:
        outline = _folder_outline(notes, title)
        if config.outline == "folders":
            diagnostics.extend(rel.diagnostics)
    else:
        outline = _hierarchy(notes, rel, root, title, config)
    return Outline(outline.root, outline.mode, outline.excluded, tuple(diagnostics) + outline.diagnostics)
