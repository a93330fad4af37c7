"""Which cells of a submission the verdicts depend on: static analysis of the submitted code.

A task's verdict depends only on what the notebook binds to the names its graded functions read
when the probe calls them (the functions themselves, the helpers and data they use, transitively),
and a quiz's verdict only on its quiz cell. :func:`plan` keeps the setup cell, the quiz cells,
every cell that binds (or mutates) a name the kept cells read, and every cell that patches an
imported module; the worked examples and plots in between are left out. Whatever the analysis
cannot follow makes the whole notebook run: ``exec``/``eval``, ``globals()``, star imports,
``%run`` and other magics that may define names, shell escapes, code that reaches the interpreter
itself (``sys.modules``, ``setattr``), and file reads of files a left-out cell may write.

The analysis reads the submitted text only, outside the sandbox; the sandbox, the probes and the
verdicts are unchanged. Examples
--------
>>> p = plan(["import numpy as np", "x = np.ones(3)", "plt_demo = 1", "def f():\\n    return x"], {"f"}, setup=0)
>>> p.cells, p.whole
([0, 1, 3], False)
"""
from __future__ import annotations

import ast
import builtins
import symtable
from dataclasses import dataclass, field

#: Line magics that bind no name and run no code of the notebook.
SAFE_MAGICS = frozenset({"matplotlib", "config", "precision", "xmode", "pprint", "timeit", "time"})
#: Names whose use means code may reach the namespace or the interpreter in ways the analysis cannot see.
OPAQUE_NAMES = frozenset({"exec", "eval", "compile", "globals", "__import__", "get_ipython", "__builtins__",
                          "builtins", "importlib", "__main__", "runpy"})
#: Called without arguments, these read or write the calling namespace.
_NAMESPACE_CALLS = frozenset({"vars", "locals", "dir"})
#: Attributes of ``sys`` that reach other modules or frames.
_SYS_ATTRS = frozenset({"modules", "_getframe", "settrace", "setprofile", "meta_path", "path_hooks", "displayhook"})
_READS = frozenset({"open", "read_csv", "read_parquet", "read_json", "read_pickle", "read_excel", "load", "loadtxt",
                    "genfromtxt", "fromfile", "read_table", "read_feather", "read_text", "read_bytes", "imread"})
_WRITES = frozenset({"open", "to_csv", "to_parquet", "to_json", "to_pickle", "to_excel", "save", "savez", "savetxt",
                     "dump", "tofile", "write_text", "write_bytes", "savefig", "imsave", "to_feather", "mkdir",
                     "rename", "replace", "unlink", "remove", "rmtree", "copy", "copyfile", "move", "touch"})
_BUILTINS = frozenset(dir(builtins))


@dataclass
class Cell:
    """What one cell binds, reads and does, as far as the analysis sees."""

    binds: set = field(default_factory=set)
    reads: set = field(default_factory=set)
    imports: dict = field(default_factory=dict)   # name -> the top-level import statement that binds it
    patches_module: bool = False
    opaque: str = ""           # why the analysis cannot follow this cell ("" if it can)
    reads_files: bool = False
    writes_files: bool = False


@dataclass
class Plan:
    """The cells to run (indexes into the given list), or ``whole`` with the reason."""

    cells: list
    whole: bool
    reason: str = ""
    skipped: list = field(default_factory=list)
    imports: list = field(default_factory=list)   # import statements of left-out cells that kept cells need


def _python(source: str) -> tuple[str, str]:
    """IPython's translation of a cell to Python, and why it cannot be followed (magics, shell)."""
    from IPython.core.inputtransformer2 import TransformerManager

    lines = source.splitlines()
    for line in lines:
        text = line.strip()
        if text.startswith("%%"):
            return "", f"a cell magic ({text.split()[0]})"
        if text.startswith("!") or (text.startswith("%") and text[1:].split(" ")[0] not in SAFE_MAGICS):
            return "", f"a magic or shell escape ({text.split()[0]})"
    kept = ["" if ln.strip().startswith("%") else ln for ln in lines]
    try:
        return TransformerManager().transform_cell("\n".join(kept)), ""
    except Exception:
        return "\n".join(kept), ""


class _Reader(ast.NodeVisitor):
    """Mutations of module-level objects, module patches, star imports, opaque names and file I/O of a cell.

    (Which names a cell binds and reads comes from :mod:`symtable`, by Python's own scoping rules.)
    Only statements that run when the cell runs count as mutations; function bodies run later,
    when the function does, and it is kept then anyway.
    """

    def __init__(self, cell: Cell, modules: set):
        self.cell, self.modules, self.depth = cell, modules, 0

    def _nested(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def _bind_target(self, node):
        if isinstance(node, ast.Name):
            pass
        elif isinstance(node, (ast.Tuple, ast.List)):
            for elt in node.elts:
                self._bind_target(elt)
        elif isinstance(node, ast.Starred):
            self._bind_target(node.value)
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            base = node
            while isinstance(base, (ast.Attribute, ast.Subscript)):
                base = base.value
            if isinstance(base, ast.Name) and self.depth == 0:
                self.cell.binds.add(base.id)          # a mutation of an object counts as binding its name
                if base.id in self.modules:
                    self.cell.patches_module = True
            self.visit(node)

    def visit_Assign(self, node):
        for target in node.targets:
            self._bind_target(target)
        self.visit(node.value)

    def visit_AugAssign(self, node):
        self._bind_target(node.target)
        if isinstance(node.target, ast.Name):
            self.cell.reads.add(node.target.id)
        self.visit(node.value)

    def visit_AnnAssign(self, node):
        self._bind_target(node.target)
        if node.value is not None:
            self.visit(node.value)

    def visit_NamedExpr(self, node):
        self._bind_target(node.target)
        self.visit(node.value)

    def visit_For(self, node):
        self._bind_target(node.target)
        self.generic_visit(node)

    visit_AsyncFor = visit_For

    def visit_With(self, node):
        for item in node.items:
            if item.optional_vars is not None:
                self._bind_target(item.optional_vars)
        self.generic_visit(node)

    visit_AsyncWith = visit_With

    def visit_Import(self, node):
        for alias in node.names:
            self.modules.add((alias.asname or alias.name).split(".")[0])

    def visit_ImportFrom(self, node):
        for alias in node.names:
            if alias.name == "*":
                self.cell.opaque = self.cell.opaque or "a star import"
                continue
            self.modules.add(alias.asname or alias.name)

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = visit_Lambda = _nested

    def visit_Delete(self, node):
        for target in node.targets:
            self._bind_target(target)

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load) and node.id in OPAQUE_NAMES:
            self.cell.opaque = self.cell.opaque or f"`{node.id}`"

    def visit_Attribute(self, node):
        if isinstance(node.value, ast.Name) and node.value.id == "sys" and node.attr in _SYS_ATTRS:
            self.cell.opaque = self.cell.opaque or f"`sys.{node.attr}`"
        self.generic_visit(node)

    def visit_Call(self, node):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if isinstance(func, ast.Name) and name in _NAMESPACE_CALLS and not node.args:
            self.cell.opaque = self.cell.opaque or f"`{name}()`"
        if isinstance(func, ast.Name) and name in ("setattr", "delattr") and node.args and isinstance(node.args[0], ast.Name) \
                and node.args[0].id in self.modules:
            self.cell.patches_module = True
        literal = bool(node.args) and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
        if name in _READS and (self.depth == 0 or literal):
            # a read in a function body of a path it is given reads what the probe's inputs name
            self.cell.reads_files = True
        if name in _WRITES:
            self.cell.writes_files = True
        if isinstance(func, ast.Attribute) and self.depth == 0:     # x.append(...): may change x in place
            base = func.value
            while isinstance(base, (ast.Attribute, ast.Subscript, ast.Call)):
                base = base.func if isinstance(base, ast.Call) else base.value
            if isinstance(base, ast.Name) and base.id not in self.modules:
                self.cell.binds.add(base.id)
        self.generic_visit(node)


def read_cell(source: str, modules: set) -> Cell:
    """What ``source`` binds and reads (``modules``: names bound by imports so far, updated)."""
    cell = Cell()
    code, why = _python(source)
    if why:
        cell.opaque = why
        return cell
    try:
        tree = ast.parse(code)
        table = symtable.symtable(code, "<cell>", "exec")
    except (SyntaxError, ValueError):
        return cell                        # it raises when run and binds nothing: leaving it out changes nothing
    _Reader(cell, modules).visit(tree)
    cell.reads = _global_reads(table) - (_BUILTINS - OPAQUE_NAMES)
    cell.binds |= _global_binds(table)
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)) and not any(a.name == "*" for a in node.names):
            for alias in node.names:
                cell.imports[(alias.asname or alias.name).split(".")[0] if isinstance(node, ast.Import) else alias.asname or alias.name] = ast.unparse(node)
    if any(child.get_type() == "function" and _declares_global(child) for child in table.get_children()):
        # the global is bound whenever some later cell calls the function: the analysis does not follow calls
        cell.opaque = cell.opaque or "a function that assigns a global variable"
    return cell


def _declares_global(table) -> bool:
    return any(s.is_declared_global() and s.is_assigned() for s in table.get_symbols()) or any(
        _declares_global(child) for child in table.get_children())


def _global_binds(table) -> set:
    """Names a cell binds in the notebook's namespace: at module level, or declared ``global`` in a function."""
    found = set()
    for symbol in table.get_symbols():
        top = table.get_type() == "module"
        if (top and (symbol.is_assigned() or symbol.is_imported())) or (not top and symbol.is_declared_global() and symbol.is_assigned()):
            found.add(symbol.get_name())
    for child in table.get_children():
        found |= _global_binds(child)
    return found


def _global_reads(table) -> set:
    """Names a cell reads from the notebook's namespace, at run time of the cell or of its functions
    (parameters and local variables of functions are not), by Python's own scoping rules."""
    found = set()
    for symbol in table.get_symbols():
        if symbol.is_referenced() and (table.get_type() == "module" or symbol.is_global()):
            found.add(symbol.get_name())
    for child in table.get_children():
        found |= _global_reads(child)
    return found


def plan(sources: list[str], needed: set, setup: int | None = None, always=()) -> Plan:
    """The cells the verdicts depend on.

    Parameters
    ----------
    sources : list of str
        Code of the cells that would run, in order.
    needed : set of str
        Names the probes read: the graded functions.
    setup : int, optional
        Index of the setup cell (always run).
    always : iterable of int
        Other cells always run (the quiz cells).
    """
    modules: set = set()
    cells = [read_cell(s, modules) for s in sources]
    keep = set(always) | ({setup} if setup is not None else set())
    keep |= {i for i, c in enumerate(cells) if c.patches_module}
    # A name that only imports bind is the same module whichever cell imports it: the import statement
    # runs (after the setup cell) without the rest of its cell.
    other_binds = set().union(*(c.binds - set(c.imports) for c in cells)) if cells else set()
    names = set(needed)
    while True:
        for i in keep:
            names |= cells[i].reads
        grown = keep | {i for i, c in enumerate(cells) if (c.binds - (set(c.imports) - other_binds)) & names}
        if grown == keep:
            break
        keep = grown
    skipped = [i for i in range(len(cells)) if i not in keep]
    imports = list(dict.fromkeys(cells[i].imports[n] for i in skipped for n in cells[i].imports if n in names))
    for i, cell in enumerate(cells):
        if cell.opaque:
            return Plan(list(range(len(cells))), True, f"cell {i + 1} uses {cell.opaque}, which the analysis cannot follow")
    if any(cells[i].writes_files for i in skipped) and any(cells[i].reads_files for i in keep):
        return Plan(list(range(len(cells))), True, "a cell that reads files may need one that a left-out cell writes")
    return Plan(sorted(keep), False, "", skipped, imports)


def lean_setup(source: str, names: set) -> str:
    """The setup cell without the statements no kept cell needs (matplotlib when nothing plots).

    A statement stays when it binds a name in ``names`` or only uses names that kept statements bind;
    ``%matplotlib`` stays when ``plt`` or ``matplotlib`` does.
    """
    lines = source.splitlines()
    try:
        tree = ast.parse("\n".join("" if ln.strip().startswith("%") else ln for ln in lines))
    except SyntaxError:
        return source
    kept_names: set = set()
    out = []
    for node in tree.body:
        cell = read_cell(ast.unparse(node), set())
        reads = cell.reads
        if cell.binds & names or (not cell.binds - reads and reads and reads <= kept_names) or (not cell.binds and not reads):
            kept_names |= cell.binds
            out.append(ast.get_source_segment("\n".join(lines), node) or "")
    magics = [ln for ln in lines if ln.strip().startswith("%") and (kept_names & {"plt", "matplotlib"} or "matplotlib" not in ln)]
    return "\n".join(magics + out)


def literal_quiz(source: str) -> bool:
    """Whether a cell only records quiz answers written as literals (``quiz("F7a", answer="B")``).

    The grader reads such answers from the submitted text itself (:func:`autograder.grading.verdict.static_answers`),
    so the cell need not run.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    if not tree.body:
        return False
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "quiz"):
            return False
        try:
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                ast.literal_eval(arg)
        except ValueError:
            return False
    return True
