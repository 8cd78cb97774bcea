"""The shrinkable SQL tree the generator builds and the reducer rewrites.

A Node is a sequence of parts (literal text or child Nodes) plus `alts`:
simpler Nodes that may stand in for it (an optional clause's alternative is
the empty node; an expression's alternatives are its same-typed operands and
a literal).  Rendering concatenates the parts.  The reducer never needs to
understand SQL: it tries each alternative of each node and keeps those that
preserve a mismatch.  `Node.total_order` marks an ORDER BY that orders every
output column, which is what lets the comparison be ordered.
"""


class Node:
    __slots__ = ("parts", "alts", "total_order")

    def __init__(self, parts, alts=(), total_order=False):
        self.parts = list(parts)
        self.alts = list(alts)
        self.total_order = total_order

    def render(self):
        return "".join(p if isinstance(p, str) else p.render() for p in self.parts)

    def __repr__(self):
        return "Node(%r)" % self.render()


EMPTY = Node([])


def optional(*parts):
    """A clause the reducer may drop."""
    return Node(parts, alts=[EMPTY])


def is_ordered(root):
    """True when the top-level query still carries its total ORDER BY."""
    return any(isinstance(p, Node) and p.total_order for p in root.parts)


def walk(node, path=()):
    """Yields (path, node) for every node, parents first."""
    yield path, node
    for index, part in enumerate(node.parts):
        if isinstance(part, Node):
            yield from walk(part, path + (index,))


def replace(node, path, new):
    """A copy of the tree with the node at path replaced (untouched subtrees are shared)."""
    if not path:
        return new
    parts = list(node.parts)
    parts[path[0]] = replace(parts[path[0]], path[1:], new)
    return Node(parts, node.alts, node.total_order)


def shrink_candidates(root):
    """Every tree one replacement simpler than root, biggest cuts first."""
    out = []
    for path, node in walk(root):
        for alt in node.alts:
            if alt.render() != node.render():
                out.append(replace(root, path, alt))
    return out
