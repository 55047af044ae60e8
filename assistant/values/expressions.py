"""Arithmetic expression slots ("12 times 7 plus 3", "square root of 81") as a small tree.

Spoken words become symbols ("times" -> ``*``, "to the power of" -> ``**``, "15 percent of 80" ->
a percent-of operator), spelled numbers become digits, and Python's :mod:`ast` parses the result
with Python's precedence. Only numbers, ``+ - * / % **``, unary minus and ``sqrt(...)`` are accepted
(a whitelist of node types; nothing is ever ``eval``-ed); the nodes become the frozen dataclasses
below, whose :meth:`Expression.evaluate` is bounded: at most 200 characters in, 50 levels deep,
exponents up to 1000 and numbers up to 1e100, so no input can make it run long.

Reading rules: "square root of" covers everything after it up to the end of its bracket or of the
expression ("square root of 12 squared plus 5 squared" = 13), unless a bracket follows it directly
("sqrt(9) + 1" = 4); the written sign covers just the number after it ("√81 + 1" = 10). A "%"
between two numbers is modulo ("17 % 5"), before "of" it is a percentage of ("15% of 80" = 12) and
at the end of a number it divides by 100 ("50%"). "negative 2 squared" is -4, as written maths reads
"-2²". Adding or taking a percentage works as on a calculator: "200 plus 10 percent" is 220. "and"
is not "plus" ("one hundred and five" is 105).
"""

from __future__ import annotations

import ast
import math
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.errors import ValueParseError
from assistant.values._words import format_number, read_digits, spelled_to_digits, tidy, whole_if_possible

if TYPE_CHECKING:
    from assistant.values import ValueContext

MAX_INPUT_CHARS = 200
MAX_DEPTH = 50
MAX_EXPONENT = 1000
MAX_MAGNITUDE = 1e100

# ---------------------------------------------------------------------------------------------
# The tree


class Expression(ABC):
    """A node of an arithmetic expression."""

    @abstractmethod
    def evaluate(self) -> float:
        """The value (an int when whole); ValueParseError for impossible or too big results."""

    @abstractmethod
    def to_json(self) -> int | float | dict[str, Any]:
        """Numbers as numbers, operations as {"op": ..., "args": [...]}."""

    @abstractmethod
    def describe(self) -> str:
        """The expression in symbols, brackets only where needed: "12 × 7 + 3"."""

    @property
    def precedence(self) -> int:
        """How tightly the node binds when written out; atoms bind tightest."""
        return _ATOM


@dataclass(frozen=True)
class Number(Expression):
    """A literal number."""

    value: int | float

    def evaluate(self) -> float:
        return _checked(self.value)

    def to_json(self) -> int | float:
        return whole_if_possible(self.value)

    def describe(self) -> str:
        return format_number(self.value)

    @property
    def precedence(self) -> int:
        return _UNARY if self.value < 0 else _ATOM


@dataclass(frozen=True)
class UnaryOp(Expression):
    """``neg`` (minus in front) or ``percent`` (a trailing %: divide by 100)."""

    op: str
    operand: Expression

    def evaluate(self) -> float:
        value = self.operand.evaluate()
        if self.op == "neg":
            return _checked(-value)
        return _divide(value, 100)

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "args": [self.operand.to_json()]}

    def describe(self) -> str:
        if self.op == "neg":
            return "-" + _wrapped(self.operand, self.operand.precedence < _UNARY)
        return _wrapped(self.operand, self.operand.precedence < _ATOM) + "%"

    @property
    def precedence(self) -> int:
        return _UNARY if self.op == "neg" else _POWER


@dataclass(frozen=True)
class BinaryOp(Expression):
    """``+ - * / ^``, ``mod`` and ``percent_of`` ("15 percent of 80" = 12)."""

    op: str
    left: Expression
    right: Expression

    def evaluate(self) -> float:
        left, right = self.left.evaluate(), self.right.evaluate()
        if self.op in ("+", "-") and isinstance(self.right, UnaryOp) and self.right.op == "percent":
            right = _checked(left * right)  # "200 plus 10 percent" is 220, as on a calculator
        if self.op == "^":
            return _power(left, right)
        if self.op == "/":
            return _divide(left, right)
        if self.op == "mod":
            if right == 0:
                raise ValueParseError("can't divide by zero")
            return _checked(left % right)
        if self.op == "percent_of":
            return _divide(_checked(left * right), 100)
        return _checked(_SIMPLE[self.op](left, right))

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "args": [self.left.to_json(), self.right.to_json()]}

    def describe(self) -> str:
        mine = self.precedence
        right_associative = self.op == "^"
        left = _wrapped(self.left, self.left.precedence < mine or (right_associative and
                                                                    self.left.precedence <= mine))
        if right_associative and isinstance(self.right, Number) and self.right.value in _SUPERSCRIPTS:
            return left + _SUPERSCRIPTS[self.right.value]
        negative_right = self.right.precedence == _UNARY
        right = _wrapped(self.right, negative_right or self.right.precedence < mine or (
            not right_associative and self.right.precedence == mine))
        if self.op == "percent_of":
            return f"{left}% of {right}"
        if self.op == "^":
            return f"{left}^{right}"
        return f"{left} {_SYMBOLS[self.op]} {right}"

    @property
    def precedence(self) -> int:
        return _BINARY_PRECEDENCE[self.op]


@dataclass(frozen=True)
class Call(Expression):
    """A function of one argument; ``sqrt`` is the only one."""

    function: str
    argument: Expression

    def evaluate(self) -> float:
        value = self.argument.evaluate()
        if value < 0:
            raise ValueParseError("can't take the square root of a negative number")
        if isinstance(value, int):
            root = math.isqrt(value)
            if root * root == value:
                return root
        return _checked(math.sqrt(value))

    def to_json(self) -> dict[str, Any]:
        return {"op": self.function, "args": [self.argument.to_json()]}

    def describe(self) -> str:
        plain_number = isinstance(self.argument, Number) and self.argument.value >= 0
        return "√" + _wrapped(self.argument, not plain_number)  # "√" reads only the number after it


_ADDITIVE, _MULTIPLICATIVE, _UNARY, _POWER, _ATOM = 1, 2, 3, 4, 5
_BINARY_PRECEDENCE = {"+": _ADDITIVE, "-": _ADDITIVE, "*": _MULTIPLICATIVE, "/": _MULTIPLICATIVE,
                      "mod": _MULTIPLICATIVE, "percent_of": _MULTIPLICATIVE, "^": _POWER}
_SYMBOLS = {"+": "+", "-": "-", "*": "×", "/": "÷", "mod": "mod"}
_SUPERSCRIPTS: dict[float, str] = {2: "²", 3: "³"}
_SIMPLE = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b}


def _wrapped(node: Expression, brackets: bool) -> str:
    """A child's description, in brackets when it binds more loosely than its parent."""
    text = node.describe()
    return f"({text})" if brackets else text


# ---------------------------------------------------------------------------------------------
# Bounded arithmetic


def _checked(value: float | complex) -> float:
    """The value, as an int when whole; errors for complex, infinite or too big results."""
    if isinstance(value, complex):
        raise ValueParseError("that has no real answer")
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise ValueParseError("that number is too big for me")
    return whole_if_possible(value)


def _divide(left: float, right: float) -> float:
    """left / right, exact for whole numbers that divide evenly."""
    if right == 0:
        raise ValueParseError("can't divide by zero")
    if isinstance(left, int) and isinstance(right, int) and left % right == 0:
        return _checked(left // right)
    return _checked(left / right)


def _power(base: float, exponent: float) -> float:
    """base ** exponent, refused before computing when the exponent or the result would be too big."""
    exponent = whole_if_possible(exponent)
    if abs(exponent) > MAX_EXPONENT:
        raise ValueParseError(f"that exponent is too big ({MAX_EXPONENT} at most)")
    if base == 0 and exponent < 0:
        raise ValueParseError("can't divide by zero")
    if base < 0 and not isinstance(exponent, int):
        raise ValueParseError("that has no real answer")
    if abs(base) > 1 and exponent > 0 and exponent * math.log10(abs(base)) > math.log10(MAX_MAGNITUDE):
        raise ValueParseError("that number is too big for me")
    try:
        return _checked(base**exponent)
    except OverflowError:
        raise ValueParseError("that number is too big for me") from None


# ---------------------------------------------------------------------------------------------
# Words to symbols

_SQRT, _PERCENT = "<sqrt>", "<percent>"
_PHRASES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("plus",): ("+",), ("add",): ("+",), ("added", "to"): ("+",),
    ("minus",): ("-",), ("less",): ("-",), ("take", "away"): ("-",), ("negative",): ("-",),
    ("times",): ("*",), ("x",): ("*",), ("multiplied", "by"): ("*",), ("multiply", "by"): ("*",),
    ("divided", "by"): ("/",), ("over",): ("/",), ("divide", "by"): ("/",),
    ("to", "the", "power", "of"): ("**",), ("raised", "to", "the", "power", "of"): ("**",),
    ("raised", "to"): ("**",), ("to", "the", "power"): ("**",),
    ("squared",): ("**", "2"), ("cubed",): ("**", "3"),
    ("mod",): ("%",), ("modulo",): ("%",), ("modulus",): ("%",),
    ("percent", "of"): ("@",), ("per", "cent", "of"): ("@",), ("percent",): (_PERCENT,),
    ("per", "cent"): (_PERCENT,),
    ("square", "root", "of"): (_SQRT,), ("square", "root"): (_SQRT,), ("root", "of"): (_SQRT,),
    ("sqrt",): (_SQRT,),
    ("half", "of"): ("0.5", "*"),
    ("what",): (), ("whats",): (), ("is",): (), ("the",): (), ("a",): (), ("an",): (), ("equals",): (),
}
"""Spoken phrases and the Python symbols they stand for (the longest phrase wins)."""
_LONGEST_PHRASE = max(map(len, _PHRASES))
_SYMBOL_TEXT = str.maketrans({"×": " x ", "÷": " / ", "√": " √ ", "²": " squared ", "³": " cubed ",
                              "'": ""})
_POINT = re.compile(r"(\d*) point (\d+)")
_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)|(?P<word>[a-z]+)"
                    r"|(?P<symbol>\*\*|[-+*/^%()√]))")
_OPERAND_STARTS = frozenset({"(", "√"})


def parse(raw: str, context: ValueContext) -> Expression:
    """The expression tree the words say; it is not evaluated here."""
    return read_expression(raw)


def to_json(value: Expression) -> int | float | dict[str, Any]:
    """A nested {"op": "+", "args": [...]} tree with numbers as plain numbers."""
    return value.to_json()


def describe(value: Expression) -> str:
    """The expression in symbols: "12 × 7 + 3"."""
    return value.describe()


def read_expression(text: str) -> Expression:
    """The tree for ``text``: words to Python symbols, parsed by ast, checked node by node."""
    if len(text) > MAX_INPUT_CHARS:
        raise ValueParseError(f"that's too long to calculate ({MAX_INPUT_CHARS} characters at most)")
    source = " ".join(_symbols(_tokens(_spoken_numbers(text))))
    if not source:
        raise ValueParseError("there's nothing to calculate")
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise ValueParseError(f"I couldn't make a calculation of {text.strip()!r}") from None
    return _from_ast(tree.body, 1)


def _spoken_numbers(text: str) -> str:
    """Tidy words with digits for spelled numbers ("three point five" -> "3.5")."""
    text = tidy(text.translate(_SYMBOL_TEXT))
    return _POINT.sub(r"\1.\2", spelled_to_digits(text))


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs: numbers, words and symbols; anything else is refused."""
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            raise ValueParseError(f"I can't use {text[position:].strip()[:1]!r} in a calculation")
        tokens.append((match.lastgroup, match[match.lastgroup]))
        position = match.end()
    return tokens


def _symbols(tokens: list[tuple[str, str]]) -> list[str]:
    """Python source tokens for the spoken tokens (see the module docstring for the rules)."""
    out: list[str] = []
    open_roots: list[int] = []  # bracket depth at which each implicit "sqrt(" was opened
    depth = 0
    index = 0
    while index < len(tokens):
        reader = _phrase if tokens[index][0] == "word" else _symbol
        words, index = reader(tokens, index)
        for symbol in words:
            if symbol == _SQRT:
                out.append("sqrt")
                if not (index < len(tokens) and tokens[index][1] == "("):
                    out.append("(")
                    open_roots.append(depth)
            elif symbol == _PERCENT:
                _wrap_last_operand(out, "pct")
            elif symbol == ")":
                while open_roots and open_roots[-1] == depth:
                    out.append(")")
                    open_roots.pop()
                depth -= 1
                out.append(")")
            else:
                if symbol == "(":
                    depth += 1
                out.append(symbol)
    out.extend(")" * len(open_roots))
    return out


def _phrase(tokens: list[tuple[str, str]], index: int) -> tuple[tuple[str, ...], int]:
    """The symbols for the longest known phrase starting at ``index``, and where it ends."""
    for size in range(min(_LONGEST_PHRASE, len(tokens) - index), 0, -1):
        words = tuple(text for _, text in tokens[index:index + size])
        if words in _PHRASES:
            return _PHRASES[words], index + size
    raise ValueParseError(f"I don't know how to calculate with {tokens[index][1]!r}")


def _symbol(tokens: list[tuple[str, str]], index: int) -> tuple[tuple[str, ...], int]:
    """A number or symbol; "%" is percent-of before "of", modulo before an operand, else percent."""
    kind, text = tokens[index]
    if kind == "number":
        return (repr(read_digits(text)),), index + 1
    if text == "^":
        return ("**",), index + 1
    if text == "√":
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and following[0] == "number":  # "√81 + 1" is 10
            return ("sqrt", "(", repr(read_digits(following[1])), ")"), index + 2
        return (_SQRT,), index + 1
    if text != "%":
        return (text,), index + 1
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if following == ("word", "of"):
        return ("@",), index + 2
    if following is not None and (following[0] == "number" or following[1] in _OPERAND_STARTS or
                                  _PHRASES.get((following[1],), ()) == (_SQRT,)):
        return ("%",), index + 1
    return (_PERCENT,), index + 1


def _wrap_last_operand(out: list[str], function: str) -> None:
    """Turn the last operand in ``out`` (a number or a bracketed group) into ``function(operand)``."""
    if not out or out[-1] in ("(", "+", "-", "*", "/", "**", "%", "@"):
        raise ValueParseError("percent of what? say a number before 'percent'")
    start = len(out) - 1
    if out[-1] == ")":
        depth = 0
        for start in range(len(out) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(out[start], 0)
            if depth == 0:
                break
        if start > 0 and out[start - 1] in ("sqrt", "pct"):
            start -= 1
    out[start:] = [function, "(", *out[start:], ")"]


# ---------------------------------------------------------------------------------------------
# Python syntax tree to expression tree

_AST_OPERATORS: dict[type[ast.operator], str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Mod: "mod", ast.Pow: "^",
    ast.MatMult: "percent_of",
}


def _from_ast(node: ast.expr, depth: int) -> Expression:
    """The expression for a whitelisted Python node; anything else is refused."""
    if depth > MAX_DEPTH:
        raise ValueParseError("that calculation is nested too deeply")
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) \
            and not isinstance(node.value, bool):
        return Number(_checked(node.value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _from_ast(node.operand, depth + 1)
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(operand, Number):
            return Number(-operand.value)
        return UnaryOp("neg", operand)
    if isinstance(node, ast.BinOp) and type(node.op) in _AST_OPERATORS:
        return BinaryOp(_AST_OPERATORS[type(node.op)], _from_ast(node.left, depth + 1),
                        _from_ast(node.right, depth + 1))
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("sqrt", "pct")
            and len(node.args) == 1 and not node.keywords):
        argument = _from_ast(node.args[0], depth + 1)
        return Call("sqrt", argument) if node.func.id == "sqrt" else UnaryOp("percent", argument)
    raise ValueParseError("I can only work out arithmetic: numbers, + - × ÷, powers and square roots")
